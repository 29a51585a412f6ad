"""Referrals of a case to another agency (a grant while active) and transfers of its ownership.

What a referral's purpose opens is data: `ReferralPurpose.sections` (seeded by a frozen data migration,
maintained by administrators). A referral is built on core's grants: accepting it grants the receiving
agency access to the case with the purpose's sections; completing or revoking it revokes the grant.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from qorgau.core.models import Agency, Grant
from qorgau.core.permissions import ScopedManager, ScopePaths

from .cases import Case

# The sections of a case a purpose may open (codes that the case page and serializer interpret).
SECTIONS = ("summary", "identity", "assessment", "safety_plan", "case_plan", "services", "children")


class ReferralPurpose(models.Model):
    """Why a case is referred, which sections of it that opens, and whether it discloses identity.

    Reference data of the whole country, not personal data: no scope. `consent_purpose` is the
    `people.ConsentPurpose` a consent must name for a referral that discloses identifying data.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    sections = models.JSONField(_("sections opened"), default=list)
    discloses_identity = models.BooleanField(_("discloses identifying data"), default=True)
    consent_purpose = models.CharField(_("consent purpose"), max_length=32)
    access_days = models.PositiveSmallIntegerField(_("longest access (days)"), default=90)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("referral purpose")
        verbose_name_plural = _("referral purposes")

    def __str__(self) -> str:
        lang = (get_language() or "en")[:2]
        return getattr(self, f"name_{lang}", "") or self.name_en


class ReferralStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    COMPLETED = "completed", _("completed")
    REVOKED = "revoked", _("revoked")


ACTIVE_REFERRAL = (ReferralStatus.REQUESTED, ReferralStatus.ACCEPTED)


def _both_sides(case_path: str, to_agency: str, own: tuple[str, ...]) -> ScopePaths:
    """A row between two agencies belongs to both: the case's owner and the receiving agency."""
    return ScopePaths(
        domain="cases",
        region=(f"{case_path}__region", f"{to_agency}__region"),
        agency=(f"{case_path}__agency", to_agency),
        own=own,
    )


class Referral(models.Model):
    """A case referred to another agency for a purpose; while accepted, a grant opens the case to it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("case"))
    to_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("referred to")
    )
    purpose = models.ForeignKey(
        ReferralPurpose, on_delete=models.PROTECT, related_name="+", verbose_name=_("purpose")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.REQUESTED
    )
    note = models.TextField(_("what is asked"), blank=True)
    # The lawful basis of the disclosure: a consent in force, or a recorded legal mandate with a reason.
    consent = models.ForeignKey(
        "people.Consent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent relied on"),
    )
    legal_mandate = models.CharField(_("legal mandate"), max_length=200, blank=True)
    mandate_reason = models.TextField(_("reason for relying on the mandate"), blank=True)

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("referred by")
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted or declined by"),
    )
    decided_at = models.DateTimeField(_("accepted or declined"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("completed or revoked by"),
    )
    ended_at = models.DateTimeField(_("completed or revoked"), null=True, blank=True)
    end_reason = models.TextField(_("reason for revoking"), blank=True)
    grant = models.OneToOneField(
        Grant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("access grant"),
    )

    objects = ScopedManager()
    scope = _both_sides("case", "to_agency", own=("case__assigned_to", "requested_by"))

    # Set by do_refer_case when an idempotency key returned the referral it made earlier (not a column).
    idempotent_replay: bool = False

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["to_agency", "status", "requested_at"], name="referral_queue_idx"),
            models.Index(fields=["case", "status"], name="referral_case_idx"),
        ]

    def __str__(self) -> str:
        return self.audit_label

    @property
    def code(self) -> str:
        return f"REF-{self.pk:06d}" if self.pk else "REF-new"

    @property
    def audit_label(self) -> str:
        return f"{self.case.code}/{self.code}"


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")


class CaseTransfer(models.Model):
    """A hand-over of a case's ownership to another agency, effective when that agency accepts it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("case"))
    from_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("from agency")
    )
    to_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("to agency")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=TransferStatus.choices, default=TransferStatus.REQUESTED
    )
    reason = models.TextField(_("reason for the transfer"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted or declined by"),
    )
    decided_at = models.DateTimeField(_("accepted or declined"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)

    objects = ScopedManager()
    # The sending agency keeps seeing the hand-over it made (history), the receiving one what it got.
    scope = ScopePaths(
        domain="cases",
        region=("from_agency__region", "to_agency__region"),
        agency=("from_agency", "to_agency"),
        own=("requested_by",),
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("case transfer")
        verbose_name_plural = _("case transfers")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="requested"),
                name="case_transfer_one_pending",
            )
        ]

    def __str__(self) -> str:
        return self.audit_label

    @property
    def audit_label(self) -> str:
        return f"{self.case.code}/transfer-{self.pk}"
