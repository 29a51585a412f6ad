"""Checks the facilities services share: the action, the facility's own staff, locked rows."""

from __future__ import annotations

from typing import Any, TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from qorgau.core.models import User
from qorgau.core.permissions import has_action, in_scope

from ..models import Capacity, Facility


def require(actor: User, action: str) -> None:
    if not has_action(actor, action):
        raise PermissionDenied(f"{action} is not granted.")


def text(value: Any) -> str:
    return (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()


def raise_if(errors: dict[str, Any]) -> None:
    if errors:
        raise ValidationError(errors)


def is_staff_of(actor: User, facility: Facility) -> bool:
    """The facility's own staff: users of the agency that runs it, whose role keeps facilities."""
    return (
        has_action(actor, "facilities.change")
        and actor.agency_id is not None
        and actor.agency_id == facility.agency_id
        and in_scope(Facility.objects.filter(pk=facility.pk), Facility.scope_paths, actor).exists()
    )


def require_staff(actor: User, facility: Facility) -> None:
    require(actor, "facilities.change")
    if not is_staff_of(actor, facility):
        raise PermissionDenied("Not found.")


def locked_capacity(facility: Facility, place_type: str) -> Capacity:
    """The capacity row of `place_type` at the facility, locked until the transaction ends.

    Every change of places, vacancies and holds goes through this lock, so that two admissions for the
    last place are serialised: the second sees the first one's count (and the database's check
    constraints refuse a count below zero whatever the caller).
    """
    capacity = Capacity.objects.select_for_update().filter(facility=facility, place_type=place_type).first()
    if capacity is None:
        raise ValidationError({"place_type": _("The facility has no places of this type.")})
    return capacity


def clean_codes(values: Any, choices: Any, field: str, errors: dict[str, Any]) -> list[str]:
    """A list of choice codes, each known, without repeats, in the order of the choices."""
    values = list(values or [])
    known = [code for code, _label in choices]
    unknown = [v for v in values if v not in known]
    if unknown:
        errors[field] = _("Unknown choice: %(codes)s.") % {"codes": ", ".join(map(str, unknown))}
    return [code for code in known if code in values]


class Owner(TypedDict):
    agency: int
    region: int


def owner(facility: Facility) -> Owner:
    """The owner of a facility's audit rows (its tables are not scoped models): its agency and region."""
    return {"agency": facility.agency_id, "region": facility.region_id}
