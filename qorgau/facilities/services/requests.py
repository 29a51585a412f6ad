"""Placement requests: a case worker asks a facility for a place, the facility accepts (a place is held
for the rule's hold time) or declines within the rule's answer time; the requester may withdraw.

A request is a cases Referral of the case to the facility's agency with the `shelter` purpose: the
referral's consent rules apply (no consent for the shelter purpose and no legal mandate: refused and
audited by `cases`), and accepting the request accepts the referral (the facility then sees the case
with the purpose's sections). The requester learns the secret address only once the request is accepted
(`queries.reveal_address`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.cases.models import Case, Referral, ReferralPurpose, ReferralStatus
from qorgau.cases.services import (
    consent_in_force,
    do_accept_referral,
    do_decline_referral,
    do_refer_case,
    do_revoke_referral,
)
from qorgau.core.audit import diff, record
from qorgau.core.idempotency import fingerprint, remember, replay
from qorgau.core.models import User

from ..models import (
    OPEN_REQUEST,
    BedHold,
    Capacity,
    DeclineReason,
    Facility,
    HoldRelease,
    PlacementRequest,
    PlaceType,
    RequestStatus,
    StayRule,
    VacancyChange,
)
from ._common import locked_capacity, raise_if, require, require_staff, text
from .capacity import apply_change

SHELTER_PURPOSE = "shelter"
REQUEST = "facilities.request_placement"  # the idempotency operation
OLDEST_CHILD = 17


def clean_children(value: Any, errors: dict[str, Any]) -> list[dict[str, Any]]:
    """Accompanying children as [{"age": 0-17, "sex": "F"|"M"}]; a bare age is a child of unknown sex."""
    children: list[dict[str, Any]] = []
    for item in value or []:
        age, sex = (item.get("age"), item.get("sex", "")) if isinstance(item, dict) else (item, "")
        if not isinstance(age, int) or isinstance(age, bool) or not 0 <= age <= OLDEST_CHILD:
            errors["children"] = _("Give each child's age in whole years, from 0 to 17.")
            return []
        if sex not in ("", "F", "M"):
            errors["children"] = _("A child's sex is F, M or not given.")
            return []
        children.append({"age": age, "sex": sex})
    if len(children) > 12:
        errors["children"] = _("At most 12 accompanying children.")
    return children


def owns_case(actor: User, case: Case) -> bool:
    return Case.objects.visible_to(actor, "change", grants=False).filter(pk=case.pk).exists()


def snapshot(request: PlacementRequest) -> dict[str, Any]:
    return {
        "case": request.case_id,
        "facility": request.facility_id,
        "place_type": request.place_type,
        "children": len(request.children or []),
        "status": request.status,
        "decline_reason": request.decline_reason,
    }


def do_request_placement(
    *,
    actor: User,
    case: Case,
    facility: Facility,
    place_type: str,
    children: list[Any] | None = None,
    needs_accessibility: list[str] | None = None,
    note: str = "",
    legal_mandate: str = "",
    mandate_reason: str = "",
    idempotency_key: str | None = None,
) -> PlacementRequest:
    """Ask `facility` for a place for the case's victim (and children); the facility answers in time.

    With `idempotency_key` (qorgau/core/idempotency.py): a retry of the same request returns the request
    it made, with `idempotent_replay` set; the key with another request raises `IdempotencyConflict`.
    """
    require(actor, "facilities.request")
    errors: dict[str, Any] = {}
    kids = clean_children(children, errors)
    payload = fingerprint(
        {
            "case": case.pk,
            "facility": facility.pk,
            "place_type": place_type,
            "children": kids,
            "accessibility": sorted(needs_accessibility or []),
            "note": text(note),
            "legal_mandate": text(legal_mandate),
            "mandate_reason": text(mandate_reason),
        }
    )
    earlier = replay(
        actor=actor, operation=REQUEST, key=idempotency_key, fingerprint=payload, model=PlacementRequest
    )
    if earlier is not None:
        earlier.idempotent_replay = True
        return earlier
    if place_type not in PlaceType.values:
        errors["place_type"] = _("Choose the type of place.")
    elif kids and place_type != PlaceType.WOMEN_WITH_CHILDREN:
        errors["place_type"] = _("Children come with their mother to a place for women with children.")
    if not facility.is_active:
        errors["facility"] = _("The facility does not take requests now.")
    elif (
        place_type in PlaceType.values
        and not Capacity.objects.filter(facility=facility, place_type=place_type, beds__gt=0).exists()
    ):
        errors["place_type"] = _("The facility has no places of this type.")
    if kids and any(c["sex"] == "M" and c["age"] >= 14 for c in kids) and not facility.takes_teenage_sons:
        errors["children"] = _("The facility does not take teenage sons.")
    raise_if(errors)
    if not owns_case(actor, case):
        raise PermissionDenied("Not found.")
    if PlacementRequest.objects.filter(case=case, facility=facility, status__in=OPEN_REQUEST).exists():
        raise ValidationError({"facility": _("The case already has an open request to this facility.")})
    now = timezone.now()
    rule = StayRule.effective(facility.type, now)
    # The referral first, in its own transactions: a refusal (no consent) is audited by cases and kept.
    referral = do_refer_case(
        actor=actor,
        case=case,
        to_agency=facility.agency,
        purpose=SHELTER_PURPOSE,
        note=text(note),
        legal_mandate=legal_mandate,
        mandate_reason=mandate_reason,
    )
    with transaction.atomic():
        request = PlacementRequest.objects.create(
            case=case,
            facility=facility,
            referral=referral,
            place_type=place_type,
            children=kids,
            needs_accessibility=list(needs_accessibility or []),
            note=text(note),
            rule=rule,
            answer_due=now + rule.answer_within,
            requested_by=actor,
            requested_at=now,
        )
        record(actor=actor, action="placementrequest.add", obj=request, changes=diff({}, snapshot(request)))
        remember(actor=actor, operation=REQUEST, key=idempotency_key, fingerprint=payload, obj=request)
        if not PlacementRequest.objects.visible_to(actor).filter(pk=request.pk).exists():
            raise PermissionDenied("The saved request would be outside your scope.")
    return request


def _answering(actor: User, request: PlacementRequest) -> PlacementRequest:
    require_staff(actor, request.facility)
    if not PlacementRequest.objects.visible_to(actor, "change").filter(pk=request.pk).exists():
        raise PermissionDenied("Not found.")
    locked = PlacementRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != RequestStatus.REQUESTED:
        raise ValidationError({"__all__": _("This request was already answered, withdrawn or lapsed.")})
    return locked


def do_accept_request(*, actor: User, request: PlacementRequest) -> PlacementRequest:
    """The facility accepts: its places are held for the rule's hold time, the referral is accepted."""
    referral: Referral = request.referral
    purpose: ReferralPurpose = referral.purpose
    no_basis = purpose.discloses_identity and not referral.legal_mandate
    if no_basis and consent_in_force(request.case, purpose, referral.to_agency, timezone.now()) is None:
        # The referral's own acceptance refuses it and audits the refusal (kept: no outer transaction).
        do_accept_referral(actor=actor, referral=referral)
    with transaction.atomic():
        request = _answering(actor, request)
        capacity = locked_capacity(request.facility, request.place_type)
        if capacity.free < request.places:
            raise ValidationError(
                {
                    "__all__": _(
                        "There is no free place of this type now; decline for lack of places, or add "
                        "the case to the waiting list."
                    )
                }
            )
        apply_change(capacity, actor=actor, kind=VacancyChange.HOLD, held=request.places)
        now = timezone.now()
        hold = BedHold.objects.create(
            capacity=capacity,
            request=request,
            places=request.places,
            held_by=actor,
            held_at=now,
            expires_at=now + request.rule.hold,
        )
        do_accept_referral(actor=actor, referral=request.referral)
        old = snapshot(request)
        request.status = RequestStatus.ACCEPTED
        request.decided_by, request.decided_at = actor, now
        request.save(update_fields=["status", "decided_by", "decided_at"])
        record(
            actor=actor,
            action="placementrequest.accept",
            obj=request,
            changes=diff(old, snapshot(request)) | {"held_until": hold.expires_at.isoformat()},
        )
    return request


def do_decline_request(
    *, actor: User, request: PlacementRequest, reason: str, note: str = ""
) -> PlacementRequest:
    """The facility declines, with the reason (`no_capacity` counts as a turn-away)."""
    note = text(note)
    if reason not in DeclineReason.values:
        raise ValidationError({"reason": _("Choose why the request is declined.")})
    if reason == DeclineReason.OTHER and not note:
        raise ValidationError({"note": _("Say why the request is declined.")})
    with transaction.atomic():
        request = _answering(actor, request)
        label = str(DeclineReason(reason).label)
        do_decline_referral(actor=actor, referral=request.referral, reason=f"{label}. {note}".strip(". "))
        old = snapshot(request)
        request.status = RequestStatus.DECLINED
        request.decided_by, request.decided_at = actor, timezone.now()
        request.decline_reason, request.decline_note = reason, note
        request.save(update_fields=["status", "decided_by", "decided_at", "decline_reason", "decline_note"])
        record(
            actor=actor,
            action="placementrequest.decline",
            obj=request,
            changes=diff(old, snapshot(request)),
            reason=note,
        )
    return request


def _release_hold(request: PlacementRequest, actor: User | None, why: str) -> None:
    hold = BedHold.objects.filter(request=request, released_at__isnull=True).first()
    if hold is None:
        return
    capacity = locked_capacity(request.facility, request.place_type)
    apply_change(capacity, actor=actor, kind=VacancyChange.RELEASE, held=-hold.places)
    hold.released_at, hold.release = timezone.now(), why
    hold.save(update_fields=["released_at", "release"])


def _end_referral(request: PlacementRequest, actor: User, reason: str) -> None:
    referral = Referral.objects.get(pk=request.referral_id)
    if referral.status in (ReferralStatus.REQUESTED, ReferralStatus.ACCEPTED):
        do_revoke_referral(actor=actor, referral=referral, reason=reason)


def do_withdraw_request(*, actor: User, request: PlacementRequest, reason: str) -> PlacementRequest:
    """The requester withdraws an open request: a held place is released, the referral revoked."""
    require(actor, "facilities.request")
    reason = text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the request is withdrawn.")})
    with transaction.atomic():
        if not owns_case(actor, request.case):
            raise PermissionDenied("Not found.")
        request = PlacementRequest.objects.select_for_update().get(pk=request.pk)
        if request.status not in OPEN_REQUEST:
            raise ValidationError({"__all__": _("This request is no longer open.")})
        old = snapshot(request)
        _release_hold(request, actor, HoldRelease.WITHDRAWN)
        _end_referral(request, actor, reason)
        request.status = RequestStatus.WITHDRAWN
        request.save(update_fields=["status"])
        record(
            actor=actor,
            action="placementrequest.withdraw",
            obj=request,
            changes=diff(old, snapshot(request)),
            reason=reason,
        )
    return request


LAPSED = "The facility did not answer in time, or the person did not arrive while the place was held."


def _lapse_one(request_pk: int, at: dt.datetime) -> PlacementRequest | None:
    with transaction.atomic():
        request = PlacementRequest.objects.select_for_update().select_related("facility").get(pk=request_pk)
        due = request.status == RequestStatus.REQUESTED and request.answer_due <= at
        hold = BedHold.objects.filter(request=request, released_at__isnull=True, expires_at__lte=at).first()
        held = request.status == RequestStatus.ACCEPTED and hold is not None
        if not (due or held):
            return None  # answered, admitted or withdrawn meanwhile: safe to run twice
        old = snapshot(request)
        if held:
            _release_hold(request, None, HoldRelease.LAPSED)
        request.status = RequestStatus.LAPSED
        request.save(update_fields=["status"])
        record(actor=None, action="placementrequest.lapse", obj=request, changes=diff(old, snapshot(request)))
    # The access the referral gave ends too, in the name of the worker who asked (as it began).
    for revoker in filter(None, (request.requested_by, request.case.assigned_to)):
        try:
            _end_referral(request, revoker, LAPSED)
            break
        except PermissionDenied:
            continue
    return request


def do_lapse_requests(*, at: dt.datetime | None = None) -> list[PlacementRequest]:
    """Release lapsed holds and lapse unanswered requests (a scheduled task: safe to run twice or late)."""
    at = at or timezone.now()
    unanswered = PlacementRequest.objects.filter(status=RequestStatus.REQUESTED, answer_due__lte=at)
    unclaimed = PlacementRequest.objects.filter(
        status=RequestStatus.ACCEPTED, hold__released_at__isnull=True, hold__expires_at__lte=at
    )
    pks = sorted({*unanswered.values_list("pk", flat=True), *unclaimed.values_list("pk", flat=True)})
    return [lapsed for pk in pks if (lapsed := _lapse_one(pk, at)) is not None]


def is_requester_side(actor: User, request: PlacementRequest) -> bool:
    """The worker who asked or the case's worker (by their own scope), not the facility."""
    return (request.requested_by_id == actor.pk or request.case.assigned_to_id == actor.pk) and owns_case(
        actor, request.case
    )
