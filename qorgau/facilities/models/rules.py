"""The rules of a stay as versioned data: the longest stay, how long a place is held, how long a facility
has to answer a request (core/effective.py). A placement, hold and request store the version they used."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qorgau.core.effective import EffectivePeriod, as_local_date

from .network import FacilityType


class StayRuleMissing(LookupError):
    """No stay rule is in force for a facility type on a day: reference data must be fixed, not guessed."""


class StayRule(EffectivePeriod):
    """For one facility type: the longest stay (months; empty: no limit), the hold and answer times."""

    facility_type = models.CharField(_("facility type"), max_length=20, choices=FacilityType.choices)
    max_stay_months = models.PositiveSmallIntegerField(
        _("longest stay (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty: no limit. A longer stay needs an extension with a reason."),
    )
    hold_hours = models.PositiveSmallIntegerField(
        _("place held for (hours)"), default=4, validators=[MinValueValidator(1)]
    )
    answer_hours = models.PositiveSmallIntegerField(
        _("facility answers a request within (hours)"), default=2, validators=[MinValueValidator(1)]
    )

    class Meta:
        ordering = ["facility_type", "-effective_from"]
        verbose_name = _("stay rule")
        verbose_name_plural = _("stay rules")
        constraints = [
            models.UniqueConstraint(
                fields=["facility_type", "effective_from"], name="stay_rule_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=models.F("effective_from")),
                name="stay_rule_period_valid",
            ),
        ]

    def __str__(self) -> str:
        limit = f"{self.max_stay_months} mo" if self.max_stay_months else "no limit"
        return f"{self.get_facility_type_display()}: {limit} (from {self.effective_from})"

    def version_group(self) -> dict[str, Any]:
        return {"facility_type": self.facility_type}

    @property
    def hold(self) -> dt.timedelta:
        return dt.timedelta(hours=self.hold_hours)

    @property
    def answer_within(self) -> dt.timedelta:
        return dt.timedelta(hours=self.answer_hours)

    def latest_end(self, start: dt.date) -> dt.date | None:
        """The last planned day of a stay that starts on `start` (same day of the month, months later)."""
        if not self.max_stay_months:
            return None
        month = start.month - 1 + self.max_stay_months
        year, month = start.year + month // 12, month % 12 + 1
        for day in (start.day, 30, 29, 28):
            try:
                return dt.date(year, month, min(start.day, day))
            except ValueError:
                continue
        raise AssertionError("unreachable")  # pragma: no cover

    @classmethod
    def effective(cls, facility_type: str, at: dt.datetime | dt.date) -> StayRule:
        rule = (
            cls.objects.effective_on(at)
            .filter(facility_type=facility_type)
            .order_by("-effective_from")
            .first()
        )
        if rule is None:
            raise StayRuleMissing(f"No stay rule for {facility_type!r} is in force on {as_local_date(at)}.")
        return rule
