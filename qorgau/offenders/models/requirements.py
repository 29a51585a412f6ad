"""Court-imposed special requirements on an offender's behaviour (DOMAIN.md: 1-12 months, as data), their
checks, and breaches, which are registered as new signals (as protective-order breaches are)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.models import Agency, Region
from qorgau.core.permissions import ScopedManager, ScopePaths
from qorgau.intake.models import Signal
from qorgau.people.models import Person

from .rules import RequirementRule


class RequirementKind(models.TextChoices):
    NO_CONTACT = "no_contact", _("no contact with the victim")
    NO_ALCOHOL = "no_alcohol", _("no alcohol or drugs")
    ATTEND_PROGRAMME = "programme", _("attend a correctional programme")
    STAY_AWAY = "stay_away", _("stay away from the victim's home")
    NO_WEAPONS = "no_weapons", _("no weapons")


class CourtRequirement(models.Model):
    signal = models.ForeignKey(Signal, on_delete=models.PROTECT, related_name="+", verbose_name=_("signal"))
    offender = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("offender")
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency that supervises")
    )
    kinds = models.JSONField(_("requirements"), default=list)
    months = models.PositiveSmallIntegerField(_("duration (months)"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    rule = models.ForeignKey(
        RequirementRule, on_delete=models.PROTECT, related_name="+", verbose_name=_("rule applied")
    )
    court_reference = models.CharField(_("court decision number"), max_length=64)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = ScopedManager()
    scope = ScopePaths(domain="offenders", region="region", agency="agency", own=("recorded_by",))

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("court requirement")
        verbose_name_plural = _("court requirements")

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"CR-{self.pk:06d}" if self.pk else "CR-new"

    @property
    def audit_label(self) -> str:
        return self.code

    def in_force(self, day: object) -> bool:
        return self.starts_on <= day <= self.ends_on  # type: ignore[operator]


class RequirementCheck(models.Model):
    requirement = models.ForeignKey(
        CourtRequirement, on_delete=models.CASCADE, related_name="checks", verbose_name=_("requirement")
    )
    checked_on = models.DateField(_("checked on"))
    complied = models.BooleanField(_("complied"))
    note = models.TextField(_("note"), blank=True, max_length=2000)
    breach_signal = models.ForeignKey(
        Signal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("breach signal"),
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("checked by")
    )

    objects = ScopedManager()
    scope = ScopePaths(
        domain="offenders", region="requirement__region", agency="requirement__agency", own=("checked_by",)
    )

    class Meta:
        ordering = ["requirement", "-checked_on", "-id"]
        verbose_name = _("requirement check")
        verbose_name_plural = _("requirement checks")

    def __str__(self) -> str:
        return f"{self.requirement_id}: {self.checked_on}"

    @property
    def audit_label(self) -> str:
        return f"{self.requirement.code}/{self.checked_on}"
