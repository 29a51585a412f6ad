"""Admissions, extensions of a stay, discharges, and the waiting list (the facility's own staff).

An admission takes places of a type: from an accepted request it uses the held places, otherwise it
needs free ones. The capacity row is locked first (`locked_capacity`), so that two admissions for the
last place are serialised and exactly one succeeds (tests/test_concurrency.py on PostgreSQL).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.cases.models import Case, Referral, ReferralStatus
from qorgau.cases.services import do_complete_referral
from qorgau.core.audit import diff, record
from qorgau.core.idempotency import fingerprint, remember, replay
from qorgau.core.models import User

from ..models import (
    BedHold,
    DischargeDestination,
    DischargeOutcome,
    Facility,
    HoldRelease,
    Placement,
    PlacementExtension,
    PlacementRequest,
    PlaceType,
    RequestStatus,
    StayRule,
    VacancyChange,
    WaitingEntry,
    WaitingRemoval,
)
from ._common import locked_capacity, raise_if, require, require_staff, text
from .capacity import apply_change
from .requests import clean_children, owns_case

ADMIT = "facilities.admit"  # the idempotency operations
ADD_WAITING = "facilities.add_to_waiting_list"


def snapshot(placement: Placement) -> dict[str, Any]:
    return {
        "case": placement.case_id,
        "facility": placement.facility_id,
        "place_type": placement.capacity.place_type,
        "places": placement.places,
        "planned_end": placement.planned_end.isoformat(),
        "destination": placement.destination,
        "outcome": placement.outcome,
    }


def _check_end(errors: dict[str, Any], rule: StayRule, start: dt.date, planned_end: Any) -> None:
    if not isinstance(planned_end, dt.date):
        errors["planned_end"] = _("Enter the planned last day of the stay.")
        return
    if planned_end < start:
        errors["planned_end"] = _("The planned end cannot be before the admission.")
        return
    latest = rule.latest_end(start)
    if latest is not None and planned_end > latest:
        errors["planned_end"] = _(
            "A stay at this facility lasts at most %(months)s months (until %(day)s); admit until then and "
            "extend the stay with a reason if it must last longer."
        ) % {"months": rule.max_stay_months, "day": latest.isoformat()}


def do_admit(
    *,
    actor: User,
    facility: Facility,
    case: Case,
    place_type: str | None = None,
    children: list[Any] | None = None,
    planned_end: dt.date | None = None,
    request: PlacementRequest | None = None,
    idempotency_key: str | None = None,
) -> Placement:
    """Admit the case's victim (and accompanying children): from an accepted request (its held places)
    or directly, when the case is visible to the facility's staff and places are free.

    With `idempotency_key` (qorgau/core/idempotency.py) a retry returns the placement it made
    (`idempotent_replay` set); the key with another admission raises `IdempotencyConflict`."""
    require_staff(actor, facility)
    payload = fingerprint(
        {
            "facility": facility.pk,
            "case": case.pk,
            "place_type": place_type,
            "children": children or [],
            "planned_end": planned_end.isoformat() if isinstance(planned_end, dt.date) else planned_end,
            "request": request.pk if request is not None else None,
        }
    )
    earlier = replay(actor=actor, operation=ADMIT, key=idempotency_key, fingerprint=payload, model=Placement)
    if earlier is not None:
        earlier.idempotent_replay = True
        return earlier
    errors: dict[str, Any] = {}
    if request is not None:
        place_type, kids = request.place_type, list(request.children or [])
        if request.case_id != case.pk or request.facility_id != facility.pk:
            raise ValidationError({"request": _("The request is for another case or facility.")})
    else:
        kids = clean_children(children, errors)
        if place_type not in PlaceType.values:
            errors["place_type"] = _("Choose the type of place.")
        elif kids and place_type != PlaceType.WOMEN_WITH_CHILDREN:
            errors["place_type"] = _("Children come with their mother to a place for women with children.")
    now = timezone.now()
    today = timezone.localdate(now)
    rule = StayRule.effective(facility.type, now)
    if planned_end is None:
        planned_end = rule.latest_end(today) or today + dt.timedelta(days=30)
    _check_end(errors, rule, today, planned_end)
    raise_if(errors)
    with transaction.atomic():
        if not Case.objects.visible_to(actor, "view").filter(pk=case.pk).exists():
            raise PermissionDenied("Not found.")
        assert place_type is not None
        capacity = locked_capacity(facility, place_type)  # the lock that serialises admissions
        places = 1 + len(kids)
        if Placement.objects.filter(case=case, discharged_at__isnull=True).exists():
            raise ValidationError({"case": _("The person of this case is already placed at a facility.")})
        if request is not None:
            request = PlacementRequest.objects.select_for_update().get(pk=request.pk)
            hold = BedHold.objects.filter(request=request, released_at__isnull=True).first()
            if request.status != RequestStatus.ACCEPTED or hold is None:
                raise ValidationError({"request": _("The request is not accepted, or its hold has lapsed.")})
            apply_change(
                capacity, actor=actor, kind=VacancyChange.ADMISSION, vacant=-hold.places, held=-hold.places
            )
            hold.released_at, hold.release = now, HoldRelease.ADMITTED
            hold.save(update_fields=["released_at", "release"])
            request.status = RequestStatus.ADMITTED
            request.save(update_fields=["status"])
            places = hold.places
        else:
            if capacity.free < places:
                raise ValidationError(
                    {"place_type": _("There is no free place of this type at the facility now.")}
                )
            apply_change(capacity, actor=actor, kind=VacancyChange.ADMISSION, vacant=-places)
        placement = Placement.objects.create(
            case=case,
            facility=facility,
            capacity=capacity,
            request=request,
            children=kids,
            places=places,
            admitted_at=now,
            admitted_by=actor,
            planned_end=planned_end,
            rule=rule,
        )
        WaitingEntry.objects.filter(facility=facility, case=case, removed_at__isnull=True).update(
            removed_at=now, removed_by=actor, removal=WaitingRemoval.ADMITTED
        )
        record(actor=actor, action="placement.admit", obj=placement, changes=diff({}, snapshot(placement)))
        remember(actor=actor, operation=ADMIT, key=idempotency_key, fingerprint=payload, obj=placement)
        if not Placement.objects.visible_to(actor).filter(pk=placement.pk).exists():
            raise PermissionDenied("The saved placement would be outside your scope.")
    return placement


def _current(actor: User, placement: Placement) -> Placement:
    require_staff(actor, placement.facility)
    if not Placement.objects.visible_to(actor, "change").filter(pk=placement.pk).exists():
        raise PermissionDenied("Not found.")
    locked = Placement.objects.select_for_update().get(pk=placement.pk)
    if locked.discharged_at is not None:
        raise ValidationError({"__all__": _("The person was already discharged.")})
    return locked


def do_extend_stay(*, actor: User, placement: Placement, new_end: dt.date, reason: str) -> PlacementExtension:
    """Move the planned end later (past the longest stay too), with the reason (required)."""
    reason = text(reason)
    errors: dict[str, Any] = {}
    if not reason:
        errors["reason"] = _("Say why the stay is extended.")
    if not isinstance(new_end, dt.date):
        errors["new_end"] = _("Enter the new planned last day of the stay.")
    raise_if(errors)
    with transaction.atomic():
        placement = _current(actor, placement)
        if new_end <= placement.planned_end:
            raise ValidationError({"new_end": _("The new end must be after the planned end.")})
        old = snapshot(placement)
        extension = PlacementExtension.objects.create(
            placement=placement,
            previous_end=placement.planned_end,
            new_end=new_end,
            reason=reason,
            extended_by=actor,
        )
        placement.planned_end = new_end
        placement.save(update_fields=["planned_end"])
        record(
            actor=actor,
            action="placement.extend",
            obj=placement,
            changes=diff(old, snapshot(placement)),
            reason=reason,
        )
    return extension


def do_discharge(
    *,
    actor: User,
    placement: Placement,
    destination: str,
    outcome: str,
    note: str = "",
    at: dt.datetime | None = None,
) -> Placement:
    """Discharge with the destination and outcome: the places are vacant again, the referral completed."""
    note = text(note)
    errors: dict[str, Any] = {}
    if destination not in DischargeDestination.values:
        errors["destination"] = _("Choose where the person goes.")
    if outcome not in DischargeOutcome.values:
        errors["outcome"] = _("Choose the outcome of the stay.")
    if (destination == DischargeDestination.OTHER or outcome == DischargeOutcome.OTHER) and not note:
        errors["note"] = _("Describe the destination or outcome.")
    now = timezone.now()
    at = at or now
    if at > now + dt.timedelta(minutes=5):
        errors["at"] = _("The discharge cannot be in the future.")
    raise_if(errors)
    with transaction.atomic():
        placement = _current(actor, placement)
        if at < placement.admitted_at:
            raise ValidationError({"at": _("The discharge cannot be before the admission.")})
        capacity = locked_capacity(placement.facility, placement.capacity.place_type)
        old = snapshot(placement)
        apply_change(capacity, actor=actor, kind=VacancyChange.DISCHARGE, vacant=placement.places)
        placement.discharged_at, placement.discharged_by = at, actor
        placement.destination, placement.outcome, placement.discharge_note = destination, outcome, note
        placement.save(
            update_fields=["discharged_at", "discharged_by", "destination", "outcome", "discharge_note"]
        )
        record(
            actor=actor, action="placement.discharge", obj=placement, changes=diff(old, snapshot(placement))
        )
        if placement.request_id is not None:
            referral = Referral.objects.get(pk=placement.request.referral_id)  # type: ignore[union-attr]
            if referral.status == ReferralStatus.ACCEPTED:
                # If this side cannot, the owning agency completes it; the stay itself has ended.
                with contextlib.suppress(ValidationError, PermissionDenied):
                    do_complete_referral(actor=actor, referral=referral, note="discharged")
    return placement


# --- the waiting list ------------------------------------------------------------------------------------


def do_add_to_waiting_list(
    *,
    actor: User,
    facility: Facility,
    case: Case,
    place_type: str,
    children: list[Any] | None = None,
    urgent: bool = False,
    note: str = "",
    idempotency_key: str | None = None,
) -> WaitingEntry:
    """Put a case on the facility's waiting list: by its staff (the case visible to them) or by the
    case's own worker. With `idempotency_key`, a retry returns the entry it made."""
    errors: dict[str, Any] = {}
    kids = clean_children(children, errors)
    payload = fingerprint(
        {
            "facility": facility.pk,
            "case": case.pk,
            "place_type": place_type,
            "children": kids,
            "urgent": bool(urgent),
            "note": text(note),
        }
    )
    earlier = replay(
        actor=actor, operation=ADD_WAITING, key=idempotency_key, fingerprint=payload, model=WaitingEntry
    )
    if earlier is not None:
        earlier.idempotent_replay = True
        return earlier
    if place_type not in PlaceType.values:
        errors["place_type"] = _("Choose the type of place.")
    raise_if(errors)
    staff = actor.can("facilities.change") and actor.agency_id == facility.agency_id
    if staff:
        require_staff(actor, facility)
        allowed = Case.objects.visible_to(actor, "view").filter(pk=case.pk).exists()
    else:
        require(actor, "facilities.request")
        allowed = owns_case(actor, case)
    if not allowed:
        raise PermissionDenied("Not found.")
    with transaction.atomic():
        if WaitingEntry.objects.filter(facility=facility, case=case, removed_at__isnull=True).exists():
            raise ValidationError({"case": _("The case is already on this facility's waiting list.")})
        entry = WaitingEntry.objects.create(
            facility=facility,
            case=case,
            place_type=place_type,
            children=kids,
            urgent=bool(urgent),
            note=text(note),
            added_by=actor,
        )
        record(
            actor=actor,
            action="waitingentry.add",
            obj=entry,
            changes={
                "case": case.pk,
                "facility": facility.pk,
                "place_type": place_type,
                "urgent": entry.urgent,
            },
        )
        if not WaitingEntry.objects.visible_to(actor).filter(pk=entry.pk).exists():
            raise PermissionDenied("The saved entry would be outside your scope.")
        remember(actor=actor, operation=ADD_WAITING, key=idempotency_key, fingerprint=payload, obj=entry)
    return entry


def do_remove_from_waiting_list(*, actor: User, entry: WaitingEntry, removal: str) -> WaitingEntry:
    if removal not in WaitingRemoval.values:
        raise ValidationError({"removal": _("Choose why the case leaves the waiting list.")})
    with transaction.atomic():
        if not WaitingEntry.objects.visible_to(actor).filter(pk=entry.pk).exists():
            raise PermissionDenied("Not found.")
        entry = WaitingEntry.objects.select_for_update().get(pk=entry.pk)
        is_staff = actor.can("facilities.change") and actor.agency_id == entry.facility.agency_id
        if not (is_staff or (actor.can("facilities.request") and owns_case(actor, entry.case))):
            raise PermissionDenied("Not found.")
        if entry.removed_at is not None:
            raise ValidationError({"__all__": _("The case has already left the waiting list.")})
        entry.removed_at, entry.removed_by, entry.removal = timezone.now(), actor, removal
        entry.save(update_fields=["removed_at", "removed_by", "removal"])
        record(actor=actor, action="waitingentry.remove", obj=entry, changes={"removal": removal})
    return entry
