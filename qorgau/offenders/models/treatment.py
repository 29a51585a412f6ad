"""A referral to compulsory treatment for an offender with an alcohol or drug dependence, started by the
district inspector from a signal, and its steps (one row per move, with the time spent in the step left).

Personal data: `ScopedManager` and `ScopePaths(domain="offenders")`. The referral belongs to the agencies
in the procedure only: the police department that started it, the health facility that examines and the
drug treatment facility that admits. Another agency of the region sees nothing of it (issue 15: "the
offender's treatment details are visible only to the agencies in the procedure"). No victim is named on
it: the signal is a number, and its parties stay behind the signal's own scope.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.models import Agency, District, Region
from qorgau.core.permissions import ScopedManager, ScopePaths
from qorgau.facilities.models import Facility
from qorgau.intake.models import Signal
from qorgau.people.models import Person

from .rules import TreatmentStep, TreatmentStepRule


class Dependence(models.TextChoices):
    ALCOHOL = "alcohol", _("alcohol")
    DRUGS = "drugs", _("drugs")
    BOTH = "both", _("alcohol and drugs")


class TreatmentReferral(models.Model):
    signal = models.ForeignKey(Signal, on_delete=models.PROTECT, related_name="+", verbose_name=_("signal"))
    offender = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("offender")
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("police department")
    )
    health_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("health facility that examines"),
    )
    facility = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drug treatment facility"),
    )
    dependence = models.CharField(_("dependence"), max_length=8, choices=Dependence.choices)
    grounds = models.TextField(_("grounds"), max_length=2000)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    status = models.CharField(
        _("step"), max_length=16, choices=TreatmentStep.choices, default=TreatmentStep.GROUNDS
    )
    status_since = models.DateTimeField(_("in this step since"), default=timezone.now)
    owed_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency that must act next"),
    )
    step_due = models.DateTimeField(_("next step due"), null=True, blank=True)
    step_rule = models.ForeignKey(
        TreatmentStepRule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deadline rule applied"),
    )
    overdue_flagged_at = models.DateTimeField(_("flagged overdue"), null=True, blank=True)
    wait_reason = models.CharField(_("why the decision is not carried out"), max_length=32, blank=True)
    result = models.CharField(_("result"), max_length=32, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    objects = ScopedManager()
    scope = ScopePaths(
        domain="offenders",
        region="region",
        agency=("agency", "health_agency", "facility__agency"),
        own=("started_by",),
    )
    idempotent_replay: bool = False

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("referral to compulsory treatment")
        verbose_name_plural = _("referrals to compulsory treatment")
        indexes = [
            models.Index(fields=["owed_agency", "step_due"], name="treatment_owed_due_idx"),
            models.Index(fields=["region", "status"], name="treatment_region_status_idx"),
            models.Index(fields=["offender", "status"], name="treatment_offender_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"CT-{self.pk:06d}" if self.pk else "CT-new"

    @property
    def audit_label(self) -> str:
        return self.code

    @property
    def is_overdue(self) -> bool:
        return self.step_due is not None and self.step_due < timezone.now()


class TreatmentStepEvent(models.Model):
    """One move of a referral: from which step to which, why, by whom, and how long the step lasted."""

    referral = models.ForeignKey(
        TreatmentReferral, on_delete=models.CASCADE, related_name="steps", verbose_name=_("referral")
    )
    from_status = models.CharField(_("from"), max_length=16, choices=TreatmentStep.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=TreatmentStep.choices)
    category = models.CharField(_("category"), max_length=32, blank=True)
    reason = models.CharField(_("reason"), max_length=32, blank=True)
    documents = models.JSONField(_("documents the agency holds"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    at = models.DateTimeField(_("recorded"), default=timezone.now)
    seconds_in_step = models.PositiveIntegerField(_("time spent in the step left (seconds)"), default=0)
    was_overdue = models.BooleanField(_("the step was overdue"), default=False)

    objects = ScopedManager()
    scope = ScopePaths(
        domain="offenders",
        region="referral__region",
        agency=("referral__agency", "referral__health_agency", "referral__facility__agency"),
        own=("referral__started_by",),
    )

    class Meta:
        ordering = ["referral", "at", "id"]
        verbose_name = _("treatment step")
        verbose_name_plural = _("treatment steps")

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.from_status}->{self.to_status}"

    @property
    def audit_label(self) -> str:
        return f"{self.referral.code}/{self.to_status}"
