"""New versions of a stay rule (system administrators; core/effective.py): never an edit, never a start in
the past. Placements, holds and requests keep the version they were made under."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from qorgau.core.effective import (
    add_version,
    check_start,
    latest_version,
    require_rules_admin,
    withdraw_version,
)
from qorgau.core.models import User

from ..models import FacilityType, StayRule


def _hours(errors: dict[str, Any], field: str, value: Any) -> None:
    if type(value) is not int or not 1 <= value <= 720:
        errors[field] = _("A whole number of hours from 1 to 720.")


@transaction.atomic
def do_add_stay_rule_version(
    *,
    actor: User,
    facility_type: str,
    effective_from: dt.date,
    max_stay_months: int | None,
    hold_hours: int,
    answer_hours: int,
    source: str = "",
    notes: str = "",
    confirmed: bool = False,
) -> StayRule:
    """Add a version of a facility type's stay rule; it follows the version in force."""
    require_rules_admin(actor)
    if facility_type not in FacilityType.values:
        raise ValidationError({"facility_type": _("Unknown facility type.")})
    errors: dict[str, Any] = {}
    if max_stay_months is not None and (type(max_stay_months) is not int or not 1 <= max_stay_months <= 60):
        errors["max_stay_months"] = _("A whole number of months from 1 to 60, or empty for no limit.")
    _hours(errors, "hold_hours", hold_hours)
    _hours(errors, "answer_hours", answer_hours)
    if len(source or "") > 300:
        errors["source"] = _("At most 300 characters.")
    current = latest_version(StayRule, {"facility_type": facility_type}, lock=True)
    check_start(errors, current, effective_from)
    if errors:
        raise ValidationError(errors)
    rule = StayRule(
        facility_type=facility_type,
        max_stay_months=max_stay_months,
        hold_hours=hold_hours,
        answer_hours=answer_hours,
        effective_from=effective_from,
        source=source.strip(),
        notes=notes.strip(),
        confirmed=confirmed,
    )
    return add_version(
        actor=actor,
        version=rule,
        current=current,
        changes={"max_stay_months": max_stay_months, "hold_hours": hold_hours, "answer_hours": answer_hours},
    )


def do_withdraw_stay_rule_version(*, actor: User, version: StayRule, reason: str) -> None:
    withdraw_version(actor=actor, version=version, reason=reason)
