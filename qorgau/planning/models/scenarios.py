"""What-if scenarios: the parameters asked, the parameters of the demand formula used, and the result."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.models import Region
from qorgau.core.permissions import ScopePaths


class ScenarioModel(models.TextChoices):
    MAX_COVER = "max_cover", _("maximal covering: open p facilities to cover the most demand")
    P_MEDIAN = "p_median", _("p-median: open p facilities to shorten the average trip")
    CAPACITATED = "capacitated", _("capacitated covering: new facilities and beds within a budget")


class ScenarioStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class Scenario(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=120)
    facility_type = models.CharField(_("facility type"), max_length=20)
    model = models.CharField(_("model"), max_length=12, choices=ScenarioModel.choices)
    parameters = models.JSONField(_("parameters"), default=dict)  # p, radius_km, budget ... (as asked)
    demand_rule = models.JSONField(_("demand formula used"), default=dict)
    travel_csv = models.TextField(_("travel-time matrix (CSV)"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=ScenarioStatus.choices, default="queued")
    progress = models.CharField(_("progress"), max_length=200, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    scope_paths = ScopePaths(domain="planning", region="region")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        indexes = [models.Index(fields=["region", "-created_at"], name="scenario_region_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def code(self) -> str:
        return f"SCN-{self.pk:05d}" if self.pk else "SCN-new"

    @property
    def audit_label(self) -> str:
        return self.code
