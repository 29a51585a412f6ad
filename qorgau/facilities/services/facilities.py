"""Registering a facility and changing its details and places (administrators: `facilities.register`).

The secret street address is encrypted before it is saved, and the audit row says only that it
"changed" (core.audit refuses an `address` value).
"""

from __future__ import annotations

import datetime as dt
import hmac
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.cases.models import ServiceType
from qorgau.core.audit import diff, record
from qorgau.core.idempotency import IdempotencyConflict, fingerprint, remember
from qorgau.core.models import Agency, AgencyType, District, IdempotencyRecord, User
from qorgau.core.permissions import in_scope, may_work_in

from ..models import (
    Accessibility,
    Capacity,
    Facility,
    FacilityType,
    Language,
    OpeningMode,
    Operator,
    PlaceType,
    Settlement,
    VacancyChange,
    VacancyUpdate,
)
from ..secret import encrypt_address
from ._common import clean_codes, owner, raise_if, require, text

REGISTER = "facilities.register_facility"  # the idempotency operation

AGENCY_TYPE = {
    FacilityType.CRISIS_CENTRE: AgencyType.CRISIS_CENTRE,
    FacilityType.FAMILY_SUPPORT: AgencyType.FAMILY_SUPPORT,
    FacilityType.ADAPTATION_CENTRE: AgencyType.ADAPTATION_CENTRE,
    FacilityType.DRUG_TREATMENT: AgencyType.DRUG_TREATMENT,
}

# Fields an administrator sets (the address is separate: it is never shown back in clear in a diff).
DETAILS = (
    "type",
    "operator",
    "district",
    "settlement",
    "licence_number",
    "licence_valid_until",
    "services",
    "opening_mode",
    "accessibility",
    "languages",
    "takes_teenage_sons",
    "teenage_son_max_age",
    "takes_pets",
    "public_phone",
    "is_active",
)


def snapshot(facility: Facility) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in DETAILS:
        field = Facility._meta.get_field(name)
        value = getattr(facility, getattr(field, "attname", name))
        values[name] = value.isoformat() if isinstance(value, dt.date) else value
    values["region"] = facility.region_id
    return values


def _clean(fields: dict[str, Any], errors: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(fields)
    if "type" in cleaned and cleaned["type"] not in FacilityType.values:
        errors["type"] = _("Choose the type of facility.")
    if "operator" in cleaned and cleaned["operator"] not in Operator.values:
        errors["operator"] = _("Choose who runs the facility.")
    if "opening_mode" in cleaned and cleaned["opening_mode"] not in OpeningMode.values:
        errors["opening_mode"] = _("Choose the opening mode.")
    if "services" in cleaned:
        cleaned["services"] = clean_codes(cleaned["services"], ServiceType.choices, "services", errors)
    if "accessibility" in cleaned:
        cleaned["accessibility"] = clean_codes(
            cleaned["accessibility"], Accessibility.choices, "accessibility", errors
        )
    if "languages" in cleaned:
        cleaned["languages"] = clean_codes(cleaned["languages"], Language.choices, "languages", errors)
    if "public_phone" in cleaned:
        cleaned["public_phone"] = text(cleaned["public_phone"])
        if len(cleaned["public_phone"]) > 32:
            errors["public_phone"] = _("The phone is at most 32 characters.")
    if "licence_number" in cleaned:
        cleaned["licence_number"] = text(cleaned["licence_number"])
    return cleaned


def _check_place(
    errors: dict[str, Any], settlement: Settlement | None, district: District | None, region_id: int
) -> None:
    if settlement is None:
        errors["settlement"] = _("Choose the settlement where the facility is.")
    elif settlement.region_id != region_id:
        errors["settlement"] = _("The settlement is in another region.")
    if district is not None and district.region_id != region_id:
        errors["district"] = _("The district is in another region.")


def do_register_facility(
    *,
    actor: User,
    name: str,
    settlement: Settlement,
    type: str,
    operator: str,
    address: str = "",
    places: dict[str, int] | None = None,
    agency: Agency | None = None,
    idempotency_key: str | None = None,
    **fields: Any,
) -> Facility:
    """Register a facility in the settlement's region, run by `agency` (a new agency when None).

    With `idempotency_key`, a retry returns the facility it registered (`idempotent_replay` set)."""
    require(actor, "facilities.register")
    payload = fingerprint(
        {
            "name": text(name),
            "settlement": getattr(settlement, "pk", None),
            "type": type,
            "operator": operator,
            # Not the address itself: the fingerprint is stored, and the address is secret.
            "address": hmac.new(
                settings.SECRET_KEY.encode(), (address or "").strip().encode(), "sha256"
            ).hexdigest(),
            "places": places or {},
            "agency": getattr(agency, "pk", None),
            **{k: getattr(v, "pk", v) for k, v in fields.items()},
        }
    )
    earlier = _replayed(actor, idempotency_key, payload)
    if earlier is not None:
        return earlier
    errors: dict[str, Any] = {}
    name = text(name)
    if agency is None and not name:
        errors["name"] = _("Enter the facility's name.")
    unknown = set(fields) - set(DETAILS)
    if unknown:
        raise TypeError(f"unknown facility fields: {sorted(unknown)}")
    cleaned = _clean({"type": type, "operator": operator, **fields}, errors)
    region_id = settlement.region_id if settlement is not None else 0
    _check_place(errors, settlement, cleaned.get("district"), region_id)
    if settlement is not None and not may_work_in(actor, settlement.region):
        errors["settlement"] = _("You do not administer facilities in this region.")
    if agency is not None and Facility.objects.filter(agency=agency).exists():
        errors["name"] = _("This agency already runs a registered facility.")
    if (
        agency is None
        and name
        and settlement is not None
        and Agency.objects.filter(name=name, region=settlement.region_id).exists()
    ):
        errors["name"] = _("An agency of this name is already registered in the region.")
    places = places or {}
    _check_places(places, errors)
    raise_if(errors)
    with transaction.atomic():
        if agency is None:
            agency = Agency.objects.create(
                name=name,
                type=AGENCY_TYPE[FacilityType(cleaned["type"])],
                region=settlement.region,
                district=cleaned.get("district"),
            )
            record(actor=actor, action="agency.add", obj=agency, changes={"type": agency.type})
        facility = Facility.objects.create(
            agency=agency,
            region=settlement.region,
            settlement=settlement,
            address_encrypted=encrypt_address(address),
            **{k: v for k, v in cleaned.items() if k != "settlement"},
        )
        changes: dict[str, Any] = diff({}, snapshot(facility))
        if facility.address_encrypted:
            changes["address"] = "changed"
        record(actor=actor, action="facility.add", obj=facility, changes=changes, **owner(facility))
        now = timezone.now()
        for place_type, beds in places.items():
            _set_beds(actor, facility, place_type, beds, now)
        _ensure_visible(actor, facility)
        remember(actor=actor, operation=REGISTER, key=idempotency_key, fingerprint=payload, obj=facility)
    return facility


def _replayed(actor: User, key: str | None, payload: str) -> Facility | None:
    """The facility an earlier registration with this key made (core.idempotency.replay reads a scoped
    model's `visible_to`; a facility is matched against the administrator's scope instead)."""
    key = (key or "").strip()
    if not key:
        return None
    rows = IdempotencyRecord.objects.filter(operation=REGISTER, key=key)
    rows = rows.filter(agency=actor.agency_id) if actor.agency_id else rows.filter(created_by=actor.pk)
    row = rows.first()
    if row is None:
        return None
    if row.fingerprint != payload:
        raise IdempotencyConflict()
    facility = in_scope(Facility.objects.filter(pk=row.object_id), Facility.scope_paths, actor).first()
    if facility is None or row.content_type_id != ContentType.objects.get_for_model(Facility).pk:
        raise Http404
    record(actor=actor, action="idempotency.replay", obj=facility, changes={"operation": REGISTER})
    facility.idempotent_replay = True
    return facility


def _check_places(places: dict[str, int], errors: dict[str, Any]) -> None:
    for place_type, beds in places.items():
        if place_type not in PlaceType.values:
            errors["places"] = _("Unknown place type: %(code)s.") % {"code": place_type}
        elif not isinstance(beds, int) or isinstance(beds, bool) or beds < 0 or beds > 1000:
            errors["places"] = _("The number of places must be a whole number from 0 to 1000.")


def _ensure_visible(actor: User, facility: Facility) -> None:
    if not in_scope(Facility.objects.filter(pk=facility.pk), Facility.scope_paths, actor).exists():
        raise PermissionDenied("The saved facility would be outside your scope.")


def registered(actor: User, facility: Facility) -> Facility:
    """The facility locked for an administrator's change, if it is in their scope."""
    require(actor, "facilities.register")
    if not in_scope(Facility.objects.filter(pk=facility.pk), Facility.scope_paths, actor).exists():
        raise PermissionDenied("Not found.")
    return Facility.objects.select_for_update().get(pk=facility.pk)


def do_change_facility(
    *, actor: User, facility: Facility, address: str | None = None, **fields: Any
) -> Facility:
    """Change a facility's details; `address=None` keeps the secret address, "" removes it."""
    unknown = set(fields) - set(DETAILS)
    if unknown:
        raise TypeError(f"unknown facility fields: {sorted(unknown)}")
    errors: dict[str, Any] = {}
    cleaned = _clean(fields, errors)
    with transaction.atomic():
        facility = registered(actor, facility)
        _check_place(
            errors,
            cleaned.get("settlement", facility.settlement),
            cleaned.get("district", facility.district),
            facility.region_id,
        )
        raise_if(errors)
        old = snapshot(facility)
        for name, value in cleaned.items():
            setattr(facility, name, value)
        changes: dict[str, Any] = {}
        if address is not None:
            facility.address_encrypted = encrypt_address(address)
            changes["address"] = "changed"
        facility.save()
        changes = diff(old, snapshot(facility)) | changes
        record(actor=actor, action="facility.change", obj=facility, changes=changes, **owner(facility))
    return facility


def _set_beds(actor: User, facility: Facility, place_type: str, beds: int, now: dt.datetime) -> Capacity:
    capacity = Capacity.objects.select_for_update().filter(facility=facility, place_type=place_type).first()
    if capacity is None:
        capacity = Capacity.objects.create(
            facility=facility, place_type=place_type, beds=beds, vacant=beds, as_of=now, updated_by=actor
        )
        old_beds = 0
    else:
        old_beds = capacity.beds
        occupied = capacity.beds - capacity.vacant
        if beds < occupied + capacity.held:
            raise ValidationError(
                {
                    "places": _(
                        "%(type)s: %(occupied)s places are taken and %(held)s held; there cannot be fewer "
                        "places than that."
                    )
                    % {"type": capacity.get_place_type_display(), "occupied": occupied, "held": capacity.held}
                }
            )
        capacity.beds, capacity.vacant = beds, beds - occupied
        capacity.as_of, capacity.updated_by = now, actor
        capacity.save(update_fields=["beds", "vacant", "as_of", "updated_by"])
    VacancyUpdate.objects.create(
        capacity=capacity,
        kind=VacancyChange.BEDS,
        beds=capacity.beds,
        vacant=capacity.vacant,
        held=capacity.held,
        as_of=now,
        recorded_by=actor,
    )
    record(
        actor=actor,
        action="capacity.beds",
        obj=capacity,
        changes={"beds": {"old": old_beds, "new": beds}},
        **owner(facility),
    )
    return capacity


def do_set_places(*, actor: User, facility: Facility, places: dict[str, int]) -> list[Capacity]:
    """Set the number of places of each type (administrators); the taken ones stay taken."""
    errors: dict[str, Any] = {}
    _check_places(places, errors)
    raise_if(errors)
    with transaction.atomic():
        facility = registered(actor, facility)
        now = timezone.now()
        return [_set_beds(actor, facility, place_type, beds, now) for place_type, beds in places.items()]
