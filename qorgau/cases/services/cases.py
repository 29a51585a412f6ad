"""Opening a case (from a signal's victim or on self-referral), assignment, assessment, closing, reopening."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.audit import diff, record
from qorgau.core.idempotency import once
from qorgau.core.models import District, User
from qorgau.core.permissions import may_work_in
from qorgau.intake.models import PartyRole, Signal, SignalParty
from qorgau.people.models import Person
from qorgau.people.queries import identity_ids

from ..models import Case, CaseClosure, CaseOutcome, CaseState, OpenedVia, ServiceType
from ._common import ensure_still_visible, locked_case, raise_if, refresh_state, require, text

REASON_MAX = 4000


def _snapshot(case: Case) -> dict[str, Any]:
    """What the audit log keeps of a case: ids, codes and states, never a name or free text."""
    return {
        "code": case.code,
        "victim": case.victim_id,
        "signal": case.signal_id,
        "opened_via": case.opened_via,
        "agency": case.agency_id,
        "region": case.region_id,
        "district": case.district_id,
        "assigned_to": case.assigned_to_id,
        "state": case.state,
    }


def _victim_of(actor: User, signal: Signal, victim: Person | None) -> Person:
    if not Signal.objects.visible_to(actor, "view").filter(pk=signal.pk).exists():
        raise PermissionDenied("Not found.")
    victims = list(
        Person.objects.filter(
            pk__in=SignalParty.objects.filter(signal=signal, role=PartyRole.VICTIM).values("person")
        )
    )
    if victim is None:
        if len(victims) != 1:
            raise ValidationError(
                {"victim": _("The signal names several victims: choose whose case this is.")}
            )
        return victims[0]
    if victim.pk not in {p.pk for p in victims}:
        raise ValidationError({"victim": _("This person is not a victim in the signal.")})
    return victim


def do_open_case(
    *,
    actor: User,
    victim: Person | None = None,
    signal: Signal | None = None,
    district: District | None = None,
    idempotency_key: str | None = None,
) -> Case:
    """Open a case at the actor's agency, for the victim of `signal`, or on a self-referral (`victim`).

    The victim is a person the actor already sees (found or registered through `people`): the case never
    creates a person. One open case per person's identity per agency: a second one is refused with the
    code of the open one. The actor becomes the assigned case worker. Audited as "case.open".

    With `idempotency_key` (qorgau/core/idempotency.py): a retry of the same request returns the case it
    opened, with `idempotent_replay` set, and opens nothing; the key with another request raises
    `IdempotencyConflict`; a retry by a user who cannot see the case raises Http404.
    """
    require(actor, "cases.add")
    if idempotency_key:
        payload = {
            "victim": getattr(victim, "pk", None),
            "signal": getattr(signal, "pk", None),
            "district": getattr(district, "pk", None),
        }
        case, replayed = once(
            actor=actor,
            operation="cases.open_case",
            key=idempotency_key,
            payload=payload,
            model=Case,
            create=lambda: _open_case(actor=actor, victim=victim, signal=signal, district=district),
        )
        case.idempotent_replay = replayed
        return case
    return _open_case(actor=actor, victim=victim, signal=signal, district=district)


def _open_case(
    *, actor: User, victim: Person | None, signal: Signal | None, district: District | None
) -> Case:
    agency = actor.agency
    region = agency.region if agency is not None else None
    if agency is None or region is None:
        raise PermissionDenied("Only staff of a regional agency open cases.")
    if signal is not None:
        victim = _victim_of(actor, signal, victim)
    errors: dict[str, Any] = {}
    if victim is None:
        errors["victim"] = _("Find or register the person first, then open the case.")
    elif not Person.objects.visible_to(actor, "view").filter(pk=victim.pk).exists():
        errors["victim"] = _("Person not found.")
    if not may_work_in(actor, region):
        errors["region"] = _("You can open cases only in the region where you work.")
    if district is not None and district.region_id != region.pk:
        errors["district"] = _("The district is not in the region of your agency.")
    raise_if(errors)
    assert victim is not None
    with transaction.atomic():
        existing = (
            Case.objects.select_for_update()
            .filter(agency=actor.agency_id, victim__in=identity_ids(victim), closed_at__isnull=True)
            .first()
        )
        if existing is not None:
            raise ValidationError(
                {
                    "victim": _("This person already has an open case here: %(code)s.")
                    % {"code": existing.code}
                }
            )
        case = Case.objects.create(
            victim=victim,
            signal=signal,
            opened_via=OpenedVia.SIGNAL if signal is not None else OpenedVia.SELF_REFERRAL,
            agency=agency,
            region=region,
            district=district,
            assigned_to=actor,
            opened_by=actor,
            state=CaseState.OPEN,
        )
        record(actor=actor, action="case.open", obj=case, changes=diff({}, _snapshot(case)))
        ensure_still_visible(Case, case, actor)
    return case


def do_assign_case(*, actor: User, case: Case, assignee: User) -> Case:
    """Give the case to another case worker of the owning agency."""
    require(actor, "cases.change")
    with transaction.atomic():
        case = locked_case(actor, case, open_only=False)
        if not (assignee.is_active and assignee.agency_id == case.agency_id and assignee.can("cases.change")):
            raise ValidationError(
                {"assigned_to": _("Assign the case to an active worker of its agency who works cases.")}
            )
        old = {"assigned_to": case.assigned_to_id}
        case.assigned_to = assignee
        case.save(update_fields=["assigned_to"])
        record(actor=actor, action="case.assign", obj=case, changes=diff(old, {"assigned_to": assignee.pk}))
        ensure_still_visible(Case, case, actor)
    return case


def do_record_assessment(*, actor: User, case: Case, needs: Sequence[str], notes: str = "") -> Case:
    """Record the needs assessment done with the victim (the needs are service types)."""
    require(actor, "cases.change")
    needs = sorted(set(needs))
    unknown = [n for n in needs if n not in ServiceType.values]
    if unknown:
        raise ValidationError({"needs": _("Unknown needs: %(needs)s.") % {"needs": ", ".join(unknown)}})
    if not needs:
        raise ValidationError({"needs": _("Record at least one need found with the victim.")})
    with transaction.atomic():
        case = locked_case(actor, case)
        old = {"needs": case.needs, "assessed_at": case.assessed_at, "state": case.state}
        case.needs = needs
        case.assessment_notes = text(notes)
        case.assessed_at = timezone.now()
        case.assessed_by = actor
        case.save(update_fields=["needs", "assessment_notes", "assessed_at", "assessed_by"])
        refresh_state(case)
        new = {"needs": needs, "assessed_at": case.assessed_at, "state": case.state}
        record(actor=actor, action="case.assess", obj=case, changes=diff(old, new))
    return case


def do_close_case(*, actor: User, case: Case, outcome: str, reason: str) -> Case:
    """Close the case with its outcome and the reason (both required). The closure is kept as history."""
    require(actor, "cases.close")
    reason = text(reason)
    errors: dict[str, Any] = {}
    if outcome not in CaseOutcome.values:
        errors["outcome"] = _("Choose the outcome of the case.")
    if not reason:
        errors["reason"] = _("Say why the case is closed.")
    elif len(reason) > REASON_MAX:
        errors["reason"] = _("The reason is at most %(n)d characters.") % {"n": REASON_MAX}
    raise_if(errors)
    with transaction.atomic():
        case = locked_case(actor, case, open_only=False)
        if case.is_closed:
            raise ValidationError({"__all__": _("The case is already closed.")})
        old = {"state": case.state, "outcome": "", "closed_at": None}
        now = timezone.now()
        CaseClosure.objects.create(case=case, closed_at=now, closed_by=actor, outcome=outcome, reason=reason)
        case.closed_at, case.outcome, case.closure_reason = now, outcome, reason
        case.save(update_fields=["closed_at", "outcome", "closure_reason"])
        refresh_state(case)
        new = {"state": case.state, "outcome": outcome, "closed_at": now}
        record(actor=actor, action="case.close", obj=case, changes=diff(old, new), reason=reason)
    return case


def do_reopen_case(*, actor: User, case: Case, reason: str) -> Case:
    """Reopen a closed case with the reason; its closure stays in the history with the reopening."""
    require(actor, "cases.close")
    reason = text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the case is reopened.")})
    with transaction.atomic():
        case = locked_case(actor, case, open_only=False)
        if not case.is_closed:
            raise ValidationError({"__all__": _("Only a closed case can be reopened.")})
        now = timezone.now()
        closure = (
            CaseClosure.objects.filter(case=case, reopened_at__isnull=True).order_by("-closed_at").first()
        )
        if closure is not None:
            closure.reopened_at, closure.reopened_by, closure.reopen_reason = now, actor, reason
            closure.save(update_fields=["reopened_at", "reopened_by", "reopen_reason"])
        old = {"state": case.state, "outcome": case.outcome, "closed_at": case.closed_at}
        case.closed_at, case.outcome, case.closure_reason, case.reopened_at = None, "", "", now
        case.save(update_fields=["closed_at", "outcome", "closure_reason", "reopened_at"])
        refresh_state(case)
        new = {"state": case.state, "outcome": "", "closed_at": None}
        record(actor=actor, action="case.reopen", obj=case, changes=diff(old, new), reason=reason)
    return case
