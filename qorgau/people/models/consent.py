"""Consent to disclose a person's data to one agency for one purpose, for a limited time.

The rules (who may record it, how long it may last, when it is in force) are in services/consent.py.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.effective import EffectivePeriod, as_local_date
from qorgau.core.models import Agency
from qorgau.core.permissions import ScopedManager, ScopePaths

from .persons import Person


class ConsentPurpose(models.TextChoices):
    REFERRAL = "referral", _("referral to services of another agency")
    RISK_CONFERENCE = "risk_conference", _("discussion at a multi-agency risk conference")
    SHELTER = "shelter", _("placement in a crisis centre or shelter")
    MEDICAL = "medical", _("medical help")
    PSYCHOLOGICAL = "psychological", _("psychological help")
    LEGAL = "legal", _("legal help")
    INFORMATION_SHARING = "information_sharing", _("sharing case information")


class Consent(models.Model):
    """A person's written consent to disclose their data to one agency for one purpose, until it expires.

    Consent is never a condition of service; a withdrawn or expired consent stops disclosure at once.
    """

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="consents", verbose_name=_("person")
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=ConsentPurpose.choices)
    receiving_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("receiving agency")
    )
    granted_at = models.DateTimeField(_("granted"))
    expires_at = models.DateTimeField(_("expires"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recording_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by agency")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = ScopedManager()
    scope = ScopePaths(
        domain="people", region="person__region", agency="recording_agency", own=("recorded_by",)
    )

    class Meta:
        ordering = ["-granted_at", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("granted_at")), name="consent_expires_after_grant"
            ),
        ]
        indexes = [models.Index(fields=["person", "purpose", "receiving_agency"], name="consent_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.person} → {self.receiving_agency}: {self.get_purpose_display()}"


class ConsentRuleMissing(LookupError):
    """No consent rule is in force on a day: reference data must be fixed, never guessed."""


class ConsentRule(EffectivePeriod):
    """The longest a consent may last, as versioned data (the next law or policy adds a version).

    Survivors' circumstances change fast (a new partner, a move, a reconciliation), and VAWA-style releases
    and OpenSPP's consent module both insist on a time-limited release: after the limit the worker asks
    again instead of relying on an old signature. The limit in force on the day consent is given applies.
    """

    max_days = models.PositiveSmallIntegerField(
        _("longest consent (days)"), validators=[MinValueValidator(1), MaxValueValidator(3650)]
    )

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("consent rule")
        verbose_name_plural = _("consent rules")
        constraints = [
            models.UniqueConstraint(fields=["effective_from"], name="consent_rule_unique_start"),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gt=models.F("effective_from")),
                name="consent_rule_period_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(max_days__gte=1, max_days__lte=3650), name="consent_rule_days_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.max_days} ({self.effective_from.isoformat()})"

    def version_group(self) -> dict[str, object]:
        return {}  # one series: every version of the limit

    @classmethod
    def effective(cls, at: datetime.datetime | datetime.date) -> ConsentRule:
        rule = cls.objects.effective_on(at).order_by("-effective_from").first()
        if rule is None:
            raise ConsentRuleMissing(f"No consent rule is in force on {as_local_date(at)}.")
        return rule
