"""The victim's case: who owns it, who works it, its state, and every closure and reopening.

The workflow state is not a free field: `compute_state` derives it from what was recorded (assessment,
safety plan, goals, services, closure), and every service stores the result in `Case.state` (a cached
column, for lists and filters), so that the two never disagree.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.models import Agency, District, Region
from qorgau.core.permissions import ScopedManager, ScopePaths
from qorgau.people.models import Person

from .specialists import ServiceType


class CaseState(models.TextChoices):
    OPEN = "open", _("open")
    ASSESSMENT = "assessment", _("assessment")
    SAFETY_PLAN = "safety_plan", _("safety plan")
    CASE_PLAN = "case_plan", _("case plan")
    SERVICES = "services", _("services in progress")
    CLOSED = "closed", _("closed")
    REOPENED = "reopened", _("reopened")


class OpenedVia(models.TextChoices):
    SIGNAL = "signal", _("from a signal")
    SELF_REFERRAL = "self_referral", _("self-referral")


class CaseOutcome(models.TextChoices):
    GOALS_MET = "goals_met", _("goals of the case plan met")
    SAFE = "safe", _("victim safe, no further help needed")
    TRANSFERRED_OUT = "moved_away", _("victim moved away")
    DECLINED = "declined", _("victim declined further help")
    NO_CONTACT = "no_contact", _("no contact with the victim")
    DIED = "died", _("victim died")
    OTHER = "other", _("other (see the reason)")


class ReferralRefusal(models.TextChoices):
    """Why a referral was refused (audited on the case as "referral.refused")."""

    NO_CONSENT = "no_consent", _("no consent in force and no legal mandate")
    CONSENT_ENDED = "consent_ended", _("the consent ended before the referral was accepted")


class Case(models.Model):
    """A victim's case at the agency that owns it (a crisis or family support centre, mostly)."""

    victim = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("victim"))
    signal = models.ForeignKey(
        "intake.Signal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("source signal"),
    )
    opened_via = models.CharField(_("opened"), max_length=16, choices=OpenedVia.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("owning agency")
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
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned case worker"),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    state = models.CharField(_("state"), max_length=16, choices=CaseState.choices, default=CaseState.OPEN)

    needs = models.JSONField(_("needs found by the assessment"), default=list, blank=True)
    assessment_notes = models.TextField(_("assessment notes"), blank=True)
    assessed_at = models.DateTimeField(_("assessed"), null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessed by"),
    )

    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=CaseOutcome.choices, blank=True)
    closure_reason = models.TextField(_("reason for closing"), blank=True)
    reopened_at = models.DateTimeField(_("last reopened"), null=True, blank=True)

    objects = ScopedManager()
    scope = ScopePaths(domain="cases", region="region", agency="agency", own=("assigned_to",), grant="")

    # Set by do_open_case when an idempotency key returned the case it opened earlier (not a column).
    idempotent_replay: bool = False

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["opened_at", "id"], name="case_opened_idx"),
            models.Index(fields=["agency", "state"], name="case_agency_state_idx"),
            models.Index(fields=["region", "opened_at"], name="case_region_opened_idx"),
            models.Index(fields=["assigned_to", "state"], name="case_assignee_state_idx"),
            models.Index(fields=["victim"], name="case_victim_idx"),
        ]

    def __str__(self) -> str:
        return self.code  # lists and the audit log: the code, never the victim's name

    # Keys of this model's audit changes that are not its fields (or read better by their choices).
    audit_references = {
        "needs": (_("needs found by the assessment"), ServiceType),
        "to_agency": (_("referred to"), Agency),
        "refusal": (_("reason for refusal"), ReferralRefusal),
    }

    @property
    def code(self) -> str:
        return f"CASE-{self.pk:06d}" if self.pk else "CASE-new"

    @property
    def audit_label(self) -> str:
        return self.code

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class CaseClosure(models.Model):
    """One closing of a case, and its reopening if it was reopened: the case's closure history."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="closures", verbose_name=_("case"))
    closed_at = models.DateTimeField(_("closed"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("closed by")
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=CaseOutcome.choices)
    reason = models.TextField(_("reason for closing"))
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reopened by"),
    )
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)

    objects = ScopedManager()
    scope = ScopePaths(
        domain="cases", region="case__region", agency="case__agency", own=("case__assigned_to",), grant="case"
    )

    class Meta:
        ordering = ["case", "-closed_at", "-id"]
        verbose_name = _("case closure")
        verbose_name_plural = _("case closures")

    def __str__(self) -> str:
        return f"{self.case.code}: {self.get_outcome_display()}"

    @property
    def audit_label(self) -> str:
        return f"{self.case.code}/closure-{self.pk}"
