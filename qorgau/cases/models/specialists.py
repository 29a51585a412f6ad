"""Specialists who deliver services, and their qualifications (kind, document, issuer, valid until).

A service is assigned only to a specialist whose qualification for that service type is valid on the day
(services/plans.py `check_qualified`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qorgau.core.models import Agency
from qorgau.core.permissions import ScopedManager, ScopePaths


class ServiceType(models.TextChoices):
    MEDICAL = "medical", _("medical")
    PSYCHOLOGICAL = "psychological", _("psychological")
    LEGAL = "legal", _("legal")
    SOCIAL = "social", _("social")
    SHELTER = "shelter", _("shelter")
    EDUCATION = "education", _("education")
    EMPLOYMENT = "employment", _("employment")


class Specialist(models.Model):
    """A person of an agency who delivers services: a Qorgau user, or a named person without an account."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="specialist",
        verbose_name=_("user account"),
    )
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedManager()
    scope = ScopePaths(domain="cases", region="agency__region", agency="agency", own=("user",))

    class Meta:
        ordering = ["agency", "full_name", "id"]
        verbose_name = _("specialist")
        verbose_name_plural = _("specialists")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.full_name:
            return self.full_name
        if self.user_id is not None:
            return self.user.get_full_name() or self.user.get_username()  # type: ignore[union-attr]
        return self.code

    @property
    def code(self) -> str:
        return f"SP-{self.pk:06d}" if self.pk else "SP-new"

    @property
    def audit_label(self) -> str:
        return self.code


class Qualification(models.Model):
    """A specialist's qualification for one service type, from a document, valid until a date."""

    specialist = models.ForeignKey(
        Specialist, on_delete=models.CASCADE, related_name="qualifications", verbose_name=_("specialist")
    )
    kind = models.CharField(_("service type"), max_length=16, choices=ServiceType.choices)
    document_number = models.CharField(_("document number"), max_length=64)
    issuer = models.CharField(_("issued by"), max_length=200)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ScopedManager()
    scope = ScopePaths(
        domain="cases",
        region="specialist__agency__region",
        agency="specialist__agency",
        own=("specialist__user",),
    )

    class Meta:
        ordering = ["specialist", "kind", "-valid_until"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        indexes = [models.Index(fields=["specialist", "kind", "valid_until"], name="qualification_valid_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.valid_until.isoformat()})"

    @property
    def audit_label(self) -> str:
        return f"{self.specialist.code}/{self.kind}"

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and day <= self.valid_until
