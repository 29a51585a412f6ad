"""The offender track's rules as versioned data (core/effective.py): the deadline of each step of a
referral to compulsory treatment, the deadlines of a programme referral by its basis, the length of a
court requirement, and the offender risk instrument. The law's values are not confirmed (issue 15):
every row says so, and a decision stores the version it used."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qorgau.core.effective import EffectivePeriod, as_local_date


class RuleMissing(LookupError):
    """No rule is in force for a step on a day: reference data must be fixed, not guessed."""


class TreatmentStep(models.TextChoices):
    """The steps of a referral to compulsory treatment, in order; each is a status of the referral."""

    GROUNDS = "grounds", _("grounds recorded")
    EXAMINATION = "examination", _("referred to a narcological examination")
    CONCLUSION = "conclusion", _("examination's conclusion entered")
    APPLICATION = "application", _("application filed with the court")
    DECISION = "decision", _("court decided on compulsory treatment")
    WAITING = "waiting", _("waiting for a treatment bed")
    ADMITTED = "admitted", _("admitted to a drug treatment facility")
    ENDED = "ended", _("treatment ended")
    CLOSED = "closed", _("procedure closed")


class TreatmentStepRule(EffectivePeriod):
    """For one step: how many days the agency that owes the next move has to make it."""

    step = models.CharField(_("step"), max_length=16, choices=TreatmentStep.choices)
    days = models.PositiveSmallIntegerField(
        _("days to the next step"), validators=[MinValueValidator(1), MaxValueValidator(730)]
    )

    class Meta:
        ordering = ["step", "-effective_from"]
        verbose_name = _("treatment step deadline")
        verbose_name_plural = _("treatment step deadlines")
        constraints = [
            models.UniqueConstraint(fields=["step", "effective_from"], name="treatment_step_rule_unique"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=models.F("effective_from")),
                name="treatment_step_rule_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()}: {self.days} d (from {self.effective_from})"

    def version_group(self) -> dict[str, Any]:
        return {"step": self.step}

    @classmethod
    def effective(cls, step: str, at: dt.datetime | dt.date) -> TreatmentStepRule:
        rule = cls.objects.effective_on(at).filter(step=step).order_by("-effective_from").first()
        if rule is None:
            raise RuleMissing(f"No deadline for step {step!r} is in force on {as_local_date(at)}.")
        return rule


class ReferralBasis(models.TextChoices):
    COURT = "court", _("court requirement")
    PROTECTIVE_ORDER = "protective_order", _("protective order")
    POLICE = "police", _("police referral")
    VOLUNTARY = "voluntary", _("voluntary")


class ProgrammeDeadlineRule(EffectivePeriod):
    """For one basis: the days to the first contact with the programme and to the first session, counted
    from the referral (Austria after a barring order: contact within 5 days, start within 14)."""

    basis = models.CharField(_("basis of the referral"), max_length=20, choices=ReferralBasis.choices)
    contact_days = models.PositiveSmallIntegerField(
        _("first contact within (days)"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    start_days = models.PositiveSmallIntegerField(
        _("first session within (days)"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )

    class Meta:
        ordering = ["basis", "-effective_from"]
        verbose_name = _("programme deadline")
        verbose_name_plural = _("programme deadlines")
        constraints = [
            models.UniqueConstraint(fields=["basis", "effective_from"], name="programme_rule_unique"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=models.F("effective_from")),
                name="programme_rule_period_valid",
            ),
            models.CheckConstraint(
                condition=Q(start_days__gte=models.F("contact_days")), name="programme_rule_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_basis_display()}: {self.contact_days}/{self.start_days} d"

    def version_group(self) -> dict[str, Any]:
        return {"basis": self.basis}

    @classmethod
    def effective(cls, basis: str, at: dt.datetime | dt.date) -> ProgrammeDeadlineRule:
        rule = cls.objects.effective_on(at).filter(basis=basis).order_by("-effective_from").first()
        if rule is None:
            raise RuleMissing(f"No programme deadline for {basis!r} is in force on {as_local_date(at)}.")
        return rule


class RequirementRule(EffectivePeriod):
    """How long a court's special requirements on an offender's behaviour may last (months)."""

    code = models.SlugField(_("code"), max_length=32, default="special_requirements")
    min_months = models.PositiveSmallIntegerField(_("shortest (months)"), default=1)
    max_months = models.PositiveSmallIntegerField(_("longest (months)"), default=12)

    class Meta:
        ordering = ["code", "-effective_from"]
        verbose_name = _("special requirements rule")
        verbose_name_plural = _("special requirements rules")
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="requirement_rule_unique"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=models.F("effective_from")),
                name="requirement_rule_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.min_months}-{self.max_months} months (from {self.effective_from})"

    def version_group(self) -> dict[str, Any]:
        return {"code": self.code}

    @classmethod
    def effective(cls, at: dt.datetime | dt.date) -> RequirementRule:
        rule = cls.objects.effective_on(at).order_by("-effective_from").first()
        if rule is None:
            raise RuleMissing(f"No special requirements rule is in force on {as_local_date(at)}.")
        return rule


class OffenderInstrument(EffectivePeriod):
    """An offender risk instrument version (ODARA-style): yes/no items, each adding one point, and bands."""

    code = models.SlugField(_("code"), max_length=32, default="odara")
    number = models.PositiveSmallIntegerField(_("version number"), default=1)
    items = models.JSONField(_("items (codes)"), default=list)
    bands = models.JSONField(_("bands: [lowest score, band code]"), default=list)

    class Meta:
        ordering = ["code", "-effective_from"]
        verbose_name = _("offender risk instrument")
        verbose_name_plural = _("offender risk instruments")
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="offender_instrument_unique"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=models.F("effective_from")),
                name="offender_instrument_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.number}"

    def version_group(self) -> dict[str, Any]:
        return {"code": self.code}

    def band(self, score: int) -> str:
        chosen = ""
        for low, code in sorted(self.bands):
            if score >= low:
                chosen = code
        return chosen

    @classmethod
    def effective(cls, at: dt.datetime | dt.date, code: str = "odara") -> OffenderInstrument:
        rule = cls.objects.effective_on(at).filter(code=code).order_by("-effective_from").first()
        if rule is None:
            raise RuleMissing(f"No offender instrument {code!r} is in force on {as_local_date(at)}.")
        return rule
