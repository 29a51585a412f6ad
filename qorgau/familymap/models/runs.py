"""Runs of the family map pipeline: a refresh (the whole chain, publishing results) or a dry run (a draft
rule set against the last refresh's linked data, publishing nothing). One run at a time: `active` is
unique while a run is queued or running (the database refuses a second). Not personal data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .rules import RuleSet


class RunKind(models.TextChoices):
    REFRESH = "refresh", _("refresh")
    DRY_RUN = "dry_run", _("dry run")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    FAILED = "failed", _("failed")
    DONE = "done", _("done")


class StageStatus(models.TextChoices):
    WAITING = "waiting", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    SKIPPED = "skipped", _("done earlier (resumed)")
    FAILED = "failed", _("failed")


class Run(models.Model):
    number = models.PositiveIntegerField(_("run number"), unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=RunKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.PROTECT, related_name="runs", verbose_name=_("rule set")
    )
    reference_date = models.DateField(_("reference date"))
    run_dir = models.CharField(_("run directory"), max_length=500, editable=False)
    inputs_dir = models.CharField(_("registry extracts"), max_length=500, blank=True)
    linked_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("linked data of"),
        help_text=_("A dry run reads the linked data of this refresh."),
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("compared with"),
    )
    stages = models.JSONField(_("stages"), default=dict, help_text=_("Progress per stage."))
    summary = models.JSONField(_("summary"), default=dict)
    error = models.TextField(_("error"), blank=True)
    active = models.BooleanField(_("under way"), null=True, default=True, editable=False)
    current = models.BooleanField(
        _("current results"),
        null=True,
        default=None,
        editable=False,
        help_text=_("The refresh whose results are shown."),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("family map run")
        verbose_name_plural = _("family map runs")
        constraints = [
            # NULL is distinct: only one row holds True (a run under way), any number hold NULL.
            models.UniqueConstraint(fields=["active"], name="familymap_one_run_at_a_time"),
            models.UniqueConstraint(fields=["current"], name="familymap_one_current_refresh"),
            models.CheckConstraint(
                condition=~models.Q(active=False), name="familymap_run_active_true_or_null"
            ),
            models.CheckConstraint(
                condition=~models.Q(current=False), name="familymap_run_current_true_or_null"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.get_kind_display()} ({self.get_status_display()})"

    @property
    def audit_label(self) -> str:
        return f"run #{self.number}"

    def stage_rows(self) -> list[dict[str, Any]]:
        from ..engine.pipeline import DRY_RUN, REFRESH

        names = [s.name for s in (REFRESH if self.kind == RunKind.REFRESH else DRY_RUN)]
        rows = []
        for name in names:
            entry = self.stages.get(name, {})
            rows.append(
                {
                    "name": name,
                    "status": entry.get("status", StageStatus.WAITING),
                    "status_label": StageStatus(entry.get("status", StageStatus.WAITING)).label,
                    "seconds": entry.get("seconds"),
                    "peak_rss_mb": entry.get("peak_rss_mb"),
                    "error": entry.get("error", ""),
                    "problems": (entry.get("details") or {}).get("problems", [])[:20],
                }
            )
        return rows
