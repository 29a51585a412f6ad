"""Vacancies: the facility's staff report them (one click per change, with an "as of" time), and
admissions, discharges and holds move them. Every change locks the capacity row and leaves a
VacancyUpdate (the history) and an audit row; counts never go below zero or past the places."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.audit import record
from qorgau.core.models import User

from ..models import Capacity, Facility, VacancyChange, VacancyUpdate
from ._common import locked_capacity, owner, require_staff

# How far back a manager may date a report ("as of" 06:00 when entered at 09:00), and no later than now.
LONGEST_BACKDATE = dt.timedelta(hours=72)


def apply_change(
    capacity: Capacity,
    *,
    actor: User | None,
    kind: str,
    vacant: int = 0,
    held: int = 0,
    as_of: dt.datetime | None = None,
) -> Capacity:
    """Move the locked row's counts by `vacant` and `held`; refused (nothing saved) if a count would leave
    its bounds. The caller holds the lock (`locked_capacity`) and the transaction."""
    new_vacant, new_held = capacity.vacant + vacant, capacity.held + held
    if new_vacant < 0 or new_held < 0 or new_held > new_vacant:
        raise ValidationError({"place_type": _("There is no free place of this type at the facility now.")})
    if new_vacant > capacity.beds:
        raise ValidationError({"vacant": _("There cannot be more vacant places than places.")})
    old = {"vacant": capacity.vacant, "held": capacity.held}
    capacity.vacant, capacity.held = new_vacant, new_held
    capacity.as_of = as_of or timezone.now()
    capacity.updated_by = actor
    capacity.save(update_fields=["vacant", "held", "as_of", "updated_by"])
    VacancyUpdate.objects.create(
        capacity=capacity,
        kind=kind,
        beds=capacity.beds,
        vacant=capacity.vacant,
        held=capacity.held,
        as_of=capacity.as_of,
        recorded_by=actor,
    )
    changes: dict[str, Any] = {
        key: {"old": old[key], "new": getattr(capacity, key)}
        for key in ("vacant", "held")
        if old[key] != getattr(capacity, key)
    }
    record(actor=actor, action=f"capacity.{kind}", obj=capacity, changes=changes, **owner(capacity.facility))
    return capacity


def _as_of(value: dt.datetime | None) -> dt.datetime:
    now = timezone.now()
    if value is None:
        return now
    if value > now + dt.timedelta(minutes=5):
        raise ValidationError({"as_of": _("The time of the count cannot be in the future.")})
    if value < now - LONGEST_BACKDATE:
        raise ValidationError({"as_of": _("The time of the count is too far back; count again now.")})
    return value


def do_report_vacancies(
    *, actor: User, facility: Facility, place_type: str, vacant: int, as_of: dt.datetime | None = None
) -> Capacity:
    """The staff report how many places of a type are vacant (held ones included), as of a time."""
    as_of = _as_of(as_of)
    with transaction.atomic():
        require_staff(actor, facility)
        capacity = locked_capacity(facility, place_type)
        if not isinstance(vacant, int) or isinstance(vacant, bool):
            raise ValidationError({"vacant": _("Enter a whole number.")})
        if vacant < capacity.held:
            raise ValidationError(
                {
                    "vacant": _("%(held)s places are held for accepted requests; release them first.")
                    % {"held": capacity.held}
                }
            )
        return apply_change(
            capacity, actor=actor, kind=VacancyChange.REPORTED, vacant=vacant - capacity.vacant, as_of=as_of
        )


def do_step_vacancy(*, actor: User, facility: Facility, place_type: str, step: int) -> Capacity:
    """One click: one place more (+1) or fewer (-1) vacant, as of now."""
    if step not in (1, -1):
        raise ValidationError({"step": _("A click changes one place.")})
    with transaction.atomic():
        require_staff(actor, facility)
        capacity = locked_capacity(facility, place_type)
        return apply_change(capacity, actor=actor, kind=VacancyChange.REPORTED, vacant=step)


def do_confirm_vacancies(*, actor: User, facility: Facility) -> list[Capacity]:
    """The staff confirm that every count is still right, as of now (clears the stale flag)."""
    with transaction.atomic():
        require_staff(actor, facility)
        rows = list(Capacity.objects.select_for_update().filter(facility=facility).order_by("place_type"))
        return [apply_change(row, actor=actor, kind=VacancyChange.REPORTED) for row in rows]
