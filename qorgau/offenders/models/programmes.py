"""Correctional and psychological programmes for offenders: the catalogue of a provider, the referrals in
with their intake assessment, sessions and end (drop-out or completion with outcomes), and the contact
offered to the victim's case worker (integrated victim support, as the Respect and WWP standards require).

A Programme is not personal data: it belongs to the provider agency (`scope_paths`, read with `in_scope`).
A ProgrammeReferral and its sessions reach the offender: they belong to the referring agency and the
provider, nobody else (a provider sees its own referrals only). The victim never appears on them:
`PartnerContact` is a row of the victim's case, seen by the case's agency only, so a provider's staff
member (or an offender who works at one) cannot learn from this app who or where the partner is.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.cases.models import Case
from qorgau.core.models import Agency, Region
from qorgau.core.permissions import ScopedManager, ScopePaths
from qorgau.intake.models import Signal
from qorgau.people.models import Person

from .requirements import CourtRequirement
from .rules import OffenderInstrument, ProgrammeDeadlineRule, ReferralBasis


class Method(models.TextChoices):
    CBT = "cbt", _("cognitive-behavioural")
    PSYCHOEDUCATIONAL = "psychoeducational", _("psycho-educational (gender-based)")
    MOTIVATIONAL = "motivational", _("motivational interviewing")
    CASE_MANAGEMENT = "case_management", _("intensive case management (high-harm)")
    ADDICTION = "addiction", _("addiction-focused")


class Format(models.TextChoices):
    GROUP = "group", _("group")
    INDIVIDUAL = "individual", _("individual")


class Standard(models.TextChoices):
    RESPECT = "respect", _("Respect Standard (UK)")
    WWP = "wwp", _("WWP European Network standards")
    DRIVE = "drive", _("DRIVE model")
    NATIONAL = "national", _("national methodology")
    NONE = "none", _("no published standard")


class Programme(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("provider"))
    name = models.CharField(_("name"), max_length=200)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    sessions = models.PositiveSmallIntegerField(_("number of sessions"))
    format = models.CharField(_("group or individual"), max_length=12, choices=Format.choices)
    languages = models.JSONField(_("languages"), default=list)
    standard = models.CharField(_("standard followed"), max_length=12, choices=Standard.choices)
    is_active = models.BooleanField(_("taking referrals"), default=True)

    scope_paths = ScopePaths(domain="offenders", region="agency__region", agency="agency")

    class Meta:
        ordering = ["agency", "name", "id"]
        verbose_name = _("programme for offenders")
        verbose_name_plural = _("programmes for offenders")

    def __str__(self) -> str:
        return self.name

    @property
    def code(self) -> str:
        return f"PG-{self.pk:04d}" if self.pk else "PG-new"

    @property
    def audit_label(self) -> str:
        return self.code


class ProgrammeStatus(models.TextChoices):
    REFERRED = "referred", _("referred")
    ASSESSED = "assessed", _("assessed as suitable")
    UNSUITABLE = "unsuitable", _("assessed as not suitable")
    STARTED = "started", _("attending")
    COMPLETED = "completed", _("completed")
    DROPPED_OUT = "dropped_out", _("dropped out")


class DropoutReason(models.TextChoices):
    STOPPED_ATTENDING = "stopped", _("stopped attending")
    EXCLUDED = "excluded", _("excluded for behaviour")
    REOFFENDED = "reoffended", _("new violence reported")
    MOVED = "moved", _("moved away")
    CUSTODY = "custody", _("taken into custody")
    OTHER = "other", _("other")


class Achievement(models.TextChoices):
    ACHIEVED = "achieved", _("achieved")
    PARTLY = "partly", _("partly achieved")
    NOT = "not", _("not achieved")


OUTCOMES = {
    "responsibility": _("takes responsibility for the violence"),
    "no_violence": _("no further violence or abuse"),
    "emotion_regulation": _("manages anger and emotions"),
    "substance_use": _("controls alcohol or drug use"),
    "parenting": _("safer parenting"),
}


class ProgrammeReferral(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("programme")
    )
    offender = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("offender")
    )
    signal = models.ForeignKey(
        Signal, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("signal")
    )
    requirement = models.ForeignKey(
        CourtRequirement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("court requirement"),
    )
    basis = models.CharField(_("basis"), max_length=20, choices=ReferralBasis.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    referring_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("referring agency")
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("referred by")
    )
    referred_at = models.DateTimeField(_("referred"), default=timezone.now)
    rule = models.ForeignKey(
        ProgrammeDeadlineRule,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("deadline rule applied"),
    )
    contact_due = models.DateTimeField(_("first contact due"))
    start_due = models.DateTimeField(_("first session due"))
    contacted_at = models.DateTimeField(_("first contact"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ProgrammeStatus.choices, default=ProgrammeStatus.REFERRED
    )
    instrument = models.ForeignKey(
        OffenderInstrument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("risk instrument"),
    )
    risk_items = models.JSONField(_("risk items present"), default=list, blank=True)
    risk_score = models.PositiveSmallIntegerField(_("risk score"), null=True, blank=True)
    risk_band = models.CharField(_("risk band"), max_length=16, blank=True)
    assessed_at = models.DateTimeField(_("assessed"), null=True, blank=True)
    started_at = models.DateTimeField(_("first session"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    dropout_reason = models.CharField(
        _("reason for dropping out"), max_length=12, choices=DropoutReason.choices, blank=True
    )
    outcomes = models.JSONField(_("outcomes"), default=dict, blank=True)
    partner_contact_offered = models.BooleanField(
        _("contact offered to the partner's support"), default=False
    )

    objects = ScopedManager()
    scope = ScopePaths(
        domain="offenders",
        region=("region", "programme__agency__region"),
        agency=("referring_agency", "programme__agency"),
        own=("referred_by",),
    )
    idempotent_replay: bool = False

    class Meta:
        ordering = ["-referred_at", "-id"]
        verbose_name = _("programme referral")
        verbose_name_plural = _("programme referrals")
        indexes = [
            models.Index(fields=["programme", "status"], name="programme_ref_status_idx"),
            models.Index(fields=["offender", "status"], name="programme_ref_offender_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"OP-{self.pk:06d}" if self.pk else "OP-new"

    @property
    def audit_label(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in (ProgrammeStatus.REFERRED, ProgrammeStatus.ASSESSED, ProgrammeStatus.STARTED)


class Attendance(models.TextChoices):
    ATTENDED = "attended", _("attended")
    ACCEPTABLE = "acceptable", _("acceptable absence")
    UNACCEPTABLE = "unacceptable", _("unacceptable absence")


class ProgrammeSession(models.Model):
    referral = models.ForeignKey(
        ProgrammeReferral, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("referral")
    )
    number = models.PositiveSmallIntegerField(_("session number"))
    held_on = models.DateField(_("held on"))
    attendance = models.CharField(_("attendance"), max_length=12, choices=Attendance.choices)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    inspector_seen_at = models.DateTimeField(_("seen by the inspector"), null=True, blank=True)

    objects = ScopedManager()
    scope = ScopePaths(
        domain="offenders",
        region=("referral__region", "referral__programme__agency__region"),
        agency=("referral__referring_agency", "referral__programme__agency"),
        own=("referral__referred_by",),
    )

    class Meta:
        ordering = ["referral", "number", "id"]
        verbose_name = _("programme session")
        verbose_name_plural = _("programme sessions")
        constraints = [
            models.UniqueConstraint(fields=["referral", "number"], name="programme_session_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.referral_id}#{self.number}"

    @property
    def audit_label(self) -> str:
        return f"{self.referral.code}#{self.number}"


class ContactStatus(models.TextChoices):
    OFFERED = "offered", _("contact offered")
    MADE = "made", _("partner contacted")
    DECLINED = "declined", _("partner declined")


# What a case worker answers to a contact offer (the API's choice set).
CONTACT_ANSWERS = [
    (ContactStatus.MADE.value, ContactStatus.MADE.label),
    (ContactStatus.DECLINED.value, ContactStatus.DECLINED.label),
]


class PartnerContact(models.Model):
    """The victim's case worker is told that the offender was referred to a programme, and asked to
    contact the partner; when the offender drops out, the partner's safety is to be reviewed.

    A row of the victim's case: its scope is the case's, never the provider's."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="+", verbose_name=_("victim's case")
    )
    referral = models.ForeignKey(
        ProgrammeReferral, on_delete=models.CASCADE, related_name="+", verbose_name=_("programme referral")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ContactStatus.choices, default=ContactStatus.OFFERED
    )
    offered_at = models.DateTimeField(_("offered"), default=timezone.now)
    contacted_at = models.DateTimeField(_("answered"), null=True, blank=True)
    safety_review_due = models.DateTimeField(_("safety review due"), null=True, blank=True)
    safety_reviewed_at = models.DateTimeField(_("safety reviewed"), null=True, blank=True)

    objects = ScopedManager()
    scope = ScopePaths(
        domain="offenders", region="case__region", agency="case__agency", own=("case__assigned_to",)
    )

    class Meta:
        ordering = ["-offered_at", "-id"]
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")
        constraints = [models.UniqueConstraint(fields=["case", "referral"], name="partner_contact_unique")]

    def __str__(self) -> str:
        return self.audit_label

    @property
    def audit_label(self) -> str:
        return f"PC-{self.pk:06d}" if self.pk else "PC-new"
