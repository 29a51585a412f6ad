"""Risk assessments: done with a victim, for a signal or for a case, on the instrument version in force.

Scope follows the signal or the case the assessment belongs to (its region and agency), and the user who
made it. A case's referral opens the case's assessments to the receiving agency only when the referral's
purpose opens the "assessment" section (`cases.models.SECTIONS`): the scope's `grant_section` says so,
and core's grant path keeps to it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.permissions import ScopedManager, ScopePaths
from qorgau.people.models import Person

from .instruments import AnswerValue, InstrumentVersion, Item, ReferralRule

ASSESSMENT_SECTION = "assessment"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("draft (not finished)")
    COMPLETED = "completed", _("completed")


class Assessment(models.Model):
    """One DASH-style risk identification with a victim. A draft is partly answered; completing computes
    the score and the level (`band`) from the version's rule; professional judgement may raise the level
    (with a reason), never lower it. `criteria` keeps each referral criterion as evaluated on completion."""

    signal = models.ForeignKey(
        "intake.Signal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signal"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    victim = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("victim"))
    version = models.ForeignKey(
        InstrumentVersion,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("instrument version"),
    )
    with_victim = models.BooleanField(_("done with the victim"), default=True)
    status = models.CharField(
        _("status"), max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessed by")
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    score = models.PositiveIntegerField(_("score"), null=True, blank=True)
    band = models.CharField(_("level from the score"), max_length=32, blank=True)
    judgement_band = models.CharField(_("level by professional judgement"), max_length=32, blank=True)
    judgement_reason = models.TextField(_("reason for the professional judgement"), blank=True)
    final_band = models.CharField(_("risk level"), max_length=32, blank=True)
    referral_rule = models.ForeignKey(
        ReferralRule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referral rule applied"),
    )
    criteria = models.JSONField(_("referral criteria"), default=list, blank=True)
    refer = models.BooleanField(_("referred to the risk conference"), default=False)

    objects = ScopedManager()
    idempotent_replay: bool = False  # set by the service on a retry with the same Idempotency-Key
    scope = ScopePaths(
        domain="risk",
        region=("signal__region", "case__region"),
        agency=("signal__agency", "case__agency"),
        own=("assessed_by",),
        grant="case",
        grant_section=ASSESSMENT_SECTION,
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        constraints = [
            models.CheckConstraint(
                condition=(Q(signal__isnull=False) & Q(case__isnull=True))
                | (Q(signal__isnull=True) & Q(case__isnull=False)),
                name="risk_assessment_signal_or_case",
            ),
        ]
        indexes = [
            models.Index(fields=["started_at", "id"], name="risk_assessment_started_idx"),
            models.Index(fields=["victim", "completed_at"], name="risk_assessment_victim_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("risk:assessment_detail", args=[self.pk])

    @property
    def code(self) -> str:
        return f"RA-{self.pk:06d}" if self.pk else "RA-new"

    @property
    def audit_label(self) -> str:
        return self.code

    @property
    def is_completed(self) -> bool:
        return self.status == AssessmentStatus.COMPLETED

    @property
    def subject_label(self) -> str:
        """What it is for: the signal's registration number or the case code."""
        if self.signal_id:
            return str(self.signal.registration_number)  # type: ignore[union-attr]
        return str(self.case.code) if self.case_id else ""  # type: ignore[union-attr]

    def band_label(self, code: str | None = None) -> str:
        band = self.version.band(code if code is not None else self.final_band)
        return band.label if band else ""


class Answer(models.Model):
    """The answer to one item of the assessment's version."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="answers", verbose_name=_("assessment")
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    value = models.CharField(_("answer"), max_length=16, choices=AnswerValue.choices)

    objects = ScopedManager()
    scope = ScopePaths(
        domain="risk",
        region=("assessment__signal__region", "assessment__case__region"),
        agency=("assessment__signal__agency", "assessment__case__agency"),
        own=("assessment__assessed_by",),
        grant="assessment__case",
        grant_section=ASSESSMENT_SECTION,
    )

    class Meta:
        ordering = ["assessment", "item__position"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="risk_answer_unique_item"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment.code}/{self.item.code}: {self.value}"

    @property
    def audit_label(self) -> str:
        return f"{self.assessment.code}/{self.item.code}"
