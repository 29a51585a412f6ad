"""The multi-agency risk conference (the UK MARAC): referrals waiting for it, the conference of a district
on a date with its agenda and record, and the actions it assigns to agencies.

- `ConferenceReferral`: a victim referred after a completed assessment (criteria met), waiting for a
  conference of their district; listed on an agenda (oldest referral first), then discussed.
- `Conference`: per district and date, chaired by a conference chair; the record keeps the agencies
  present and what was shared under the conference's legal mandate.
- `ConferenceAction`: assigned to an agency (and an owner there) with a due date, completed with a note.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.models import Agency, District, Region
from qorgau.core.permissions import ScopedManager, ScopePaths
from qorgau.people.models import Person

from .assessments import Assessment


class ConferenceStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held (record kept)")


class ReferralStatus(models.TextChoices):
    WAITING = "waiting", _("waiting for a conference")
    LISTED = "listed", _("on a conference agenda")
    DISCUSSED = "discussed", _("discussed")


class Conference(models.Model):
    """A risk conference of one district on one date."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    date = models.DateField(_("date"))
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("convening agency")
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("chair")
    )
    legal_mandate = models.CharField(
        _("legal mandate for sharing information"),
        max_length=300,
        help_text=_("The law or order under which the agencies share information at the conference."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ConferenceStatus.choices, default=ConferenceStatus.PLANNED
    )
    agencies_present = models.ManyToManyField(
        Agency, blank=True, related_name="+", verbose_name=_("agencies present")
    )
    information_shared = models.TextField(_("information shared under the mandate"), blank=True)
    held_at = models.DateTimeField(_("record kept"), null=True, blank=True)
    created_at = models.DateTimeField(_("scheduled"), default=timezone.now)

    objects = ScopedManager()
    idempotent_replay: bool = False  # set by the service on a retry with the same Idempotency-Key
    scope = ScopePaths(domain="risk", region="region", agency="agency", own=("chair",))

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("risk conference")
        verbose_name_plural = _("risk conferences")
        constraints = [
            models.UniqueConstraint(fields=["district", "date"], name="risk_conference_unique_day"),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("risk:conference_detail", args=[self.pk])

    @property
    def code(self) -> str:
        return f"CONF-{self.pk:05d}" if self.pk else "CONF-new"

    @property
    def audit_label(self) -> str:
        return self.code

    @property
    def is_held(self) -> bool:
        return self.status == ConferenceStatus.HELD


class ConferenceReferral(models.Model):
    """A victim referred to the risk conference by a completed assessment; `criteria` are the reasons."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.PROTECT, related_name="referral", verbose_name=_("assessment")
    )
    victim = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("victim"))
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    signal = models.ForeignKey(
        "intake.Signal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signal"),
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
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("referring agency")
    )
    referred_at = models.DateTimeField(_("referred"), default=timezone.now)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("referred by")
    )
    criteria = models.JSONField(_("criteria met"), default=list)
    status = models.CharField(
        _("status"), max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.WAITING
    )
    conference = models.ForeignKey(
        Conference,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("conference"),
    )
    discussion = models.TextField(_("summary of the discussion"), blank=True)

    objects = ScopedManager()
    scope = ScopePaths(
        domain="risk", region="region", agency=("agency", "conference__agency"), own=("referred_by",)
    )

    class Meta:
        ordering = ["referred_at", "id"]  # the agenda: oldest referral first
        verbose_name = _("conference referral")
        verbose_name_plural = _("conference referrals")
        indexes = [
            models.Index(fields=["status", "district", "referred_at"], name="risk_referral_waiting_idx"),
            models.Index(fields=["victim", "status"], name="risk_referral_victim_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"MRF-{self.pk:06d}" if self.pk else "MRF-new"

    @property
    def audit_label(self) -> str:
        return self.code

    @property
    def subject_label(self) -> str:
        if self.case_id:
            return str(self.case.code)  # type: ignore[union-attr]
        return str(self.signal.registration_number) if self.signal_id else ""  # type: ignore[union-attr]


class ConferenceAction(models.Model):
    """An action the conference assigned to an agency, with an owner there and a due date."""

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="actions", verbose_name=_("conference")
    )
    referral = models.ForeignKey(
        ConferenceReferral, on_delete=models.PROTECT, related_name="actions", verbose_name=_("referral")
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    description = models.TextField(_("action"))
    due_date = models.DateField(_("due"))
    created_at = models.DateTimeField(_("assigned"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assigned by")
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("completed by"),
    )
    completion_note = models.TextField(_("what was done"), blank=True)

    objects = ScopedManager()
    scope = ScopePaths(
        domain="risk",
        region="conference__region",
        agency=("agency", "conference__agency"),
        own=("owner", "conference__chair"),
    )

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("conference action")
        verbose_name_plural = _("conference actions")
        indexes = [
            models.Index(fields=["agency", "completed_at", "due_date"], name="risk_action_agency_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"ACT-{self.pk:06d}" if self.pk else "ACT-new"

    @property
    def audit_label(self) -> str:
        return self.code

    @property
    def is_done(self) -> bool:
        return self.completed_at is not None

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return not self.is_done and self.due_date < (today or timezone.localdate())
