"""Referral to compulsory treatment: the district inspector starts it from a signal; each agency in the
procedure records its own step (workflow.py), with the documents it confirms it holds. Every step's
deadline comes from the TreatmentStepRule in force, stored on the referral with the rule used."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau.core.audit import diff, record
from qorgau.core.idempotency import once
from qorgau.core.models import Agency, AgencyType, User
from qorgau.core.permissions import may_work_in
from qorgau.facilities.models import Facility, FacilityType
from qorgau.intake.models import Signal
from qorgau.people.models import Person

from .. import workflow
from ..models import Dependence, TreatmentReferral, TreatmentStep, TreatmentStepEvent, TreatmentStepRule
from ._common import ensure_still_visible, is_offender_of, locked_visible, raise_if, require, visible_signal


def _schedule(referral: TreatmentReferral, step: str, now: dt.datetime) -> None:
    """The referral's deadline and owing agency for `step` (none once the procedure ended)."""
    if step in workflow.TERMINAL:
        referral.step_rule, referral.step_due, referral.owed_agency = None, None, None
        return
    rule = TreatmentStepRule.effective(step, now)
    owner = workflow.OWED_BY[step]
    owed = {
        "police": referral.agency,
        "health": referral.health_agency,
        "facility": referral.facility.agency if referral.facility_id else None,  # type: ignore[union-attr]
    }[owner]
    referral.step_rule = rule
    referral.step_due = now + dt.timedelta(days=rule.days)
    referral.owed_agency = owed


def _snapshot(referral: TreatmentReferral) -> dict[str, Any]:
    return {
        "status": referral.status,
        "step_due": referral.step_due,
        "owed_agency": referral.owed_agency_id,
        "health_agency": referral.health_agency_id,
        "facility": referral.facility_id,
        "wait_reason": referral.wait_reason,
        "result": referral.result,
    }


def do_start_treatment_referral(
    *,
    actor: User,
    signal: Signal,
    offender: Person,
    dependence: str,
    grounds: str,
    documents: Sequence[str] = (),
    idempotency_key: str | None = None,
) -> TreatmentReferral:
    """Start the procedure for an alleged offender of a signal the inspector sees; one open per person."""
    require(actor, "offenders.refer")
    visible_signal(actor, signal)
    payload = {
        "signal": signal.pk,
        "offender": offender.pk,
        "dependence": dependence,
        "grounds": grounds,
        "documents": sorted(documents),
    }
    with transaction.atomic():
        referral, replayed = once(
            actor=actor,
            operation="offenders.start_treatment",
            key=idempotency_key,
            payload=payload,
            model=TreatmentReferral,
            create=lambda: _start(actor, signal, offender, dependence, grounds, documents),
        )
        referral.idempotent_replay = replayed
    return referral


def _start(
    actor: User, signal: Signal, offender: Person, dependence: str, grounds: str, documents: Sequence[str]
) -> TreatmentReferral:
    errors: dict[str, Any] = {}
    if actor.agency is None:
        raise PermissionDenied("Only staff of an agency start referrals.")
    if not may_work_in(actor, signal.region_id):
        errors["signal"] = _("The signal is in a region you do not work in.")
    if not is_offender_of(signal, offender):
        errors["offender"] = _("Choose an alleged offender of this signal.")
    elif TreatmentReferral.objects.filter(offender=offender).exclude(status__in=workflow.TERMINAL).exists():
        errors["offender"] = _("A referral to treatment of this person is already in progress.")
    if dependence not in Dependence.values:
        errors["dependence"] = _("Choose alcohol, drugs or both.")
    if not grounds.strip():
        errors["grounds"] = _("Record the grounds for the referral.")
    unknown = sorted(set(documents) - set(workflow.DOCUMENTS))
    if unknown:
        errors["documents"] = _("Unknown documents: %(codes)s.") % {"codes": ", ".join(unknown)}
    raise_if(errors)
    now = timezone.now()
    referral = TreatmentReferral(
        signal=signal,
        offender=offender,
        region_id=signal.region_id,
        district_id=signal.district_id,
        agency=actor.agency,
        dependence=dependence,
        grounds=grounds.strip(),
        started_by=actor,
        started_at=now,
        status=TreatmentStep.GROUNDS,
        status_since=now,
    )
    _schedule(referral, TreatmentStep.GROUNDS, now)
    referral.save()
    TreatmentStepEvent.objects.create(
        referral=referral,
        from_status="",
        to_status=TreatmentStep.GROUNDS,
        documents=sorted(set(documents)),
        agency=actor.agency,
        actor=actor,
        at=now,
    )
    record(actor=actor, action="treatmentreferral.start", obj=referral, changes=diff({}, _snapshot(referral)))
    ensure_still_visible(TreatmentReferral, referral, actor)
    return referral


def step_error(referral: TreatmentReferral, to: str) -> str:
    """The message for a move the procedure does not allow from the referral's step."""
    allowed = [str(TreatmentStep(m.to).label) for m in workflow.moves_from(referral.status)]
    return _("The referral is at the step “%(step)s”: it cannot go to “%(to)s”. Next: %(next)s.") % {
        "step": referral.get_status_display(),
        "to": TreatmentStep(to).label if to in TreatmentStep.values else to,
        "next": ", ".join(allowed) or _("none, the procedure has ended"),
    }


def do_advance_treatment(
    *,
    actor: User,
    referral: TreatmentReferral,
    to: str,
    reason: str = "",
    documents: Sequence[str] = (),
    note: str = "",
    health_agency: Agency | None = None,
    facility: Facility | None = None,
) -> TreatmentReferral:
    """Record one step: allowed only from the referral's current step, by the agency that owes it."""
    move = workflow.move(referral.status, to)
    if move is None:
        raise ValidationError({"to": step_error(referral, to)})
    require(actor, move.action)
    agency = actor.agency
    if agency is None:
        raise PermissionDenied("Only staff of an agency record steps.")
    verb = move.action.split(".", 1)[1]
    with transaction.atomic():
        referral = locked_visible(TreatmentReferral, referral, actor, verb)
        move = workflow.move(referral.status, to)
        if move is None:
            raise ValidationError({"to": step_error(referral, to)})
        errors: dict[str, Any] = {}
        if referral.owed_agency_id != actor.agency_id:
            errors["to"] = _("This step is recorded by %(agency)s, the agency that owes it.") % {
                "agency": referral.owed_agency or _("another agency")
            }
        missing = [workflow.DOCUMENTS[c] for c in move.documents if c not in documents]
        if missing:
            errors["documents"] = _("Confirm the documents your agency holds: %(docs)s.") % {
                "docs": "; ".join(str(m) for m in missing)
            }
        category = ""
        if move.reasons:
            category = workflow.reason_category(move, reason) or ""
            if not category:
                errors["reason"] = _("Choose one of the reasons for this step.")
        elif reason:
            errors["reason"] = _("This step takes no reason.")
        old = _snapshot(referral)
        if referral.status == TreatmentStep.GROUNDS and to == TreatmentStep.EXAMINATION:
            if health_agency is None or health_agency.type != AgencyType.HEALTH:
                errors["health_agency"] = _("Choose the health facility that examines.")
            elif health_agency.region_id != referral.region_id:
                errors["health_agency"] = _("Choose a health facility of the referral's region.")
            else:
                referral.health_agency = health_agency
        if referral.status == TreatmentStep.APPLICATION and to == TreatmentStep.DECISION:
            if facility is None or facility.type != FacilityType.DRUG_TREATMENT or not facility.is_active:
                errors["facility"] = _("Choose the drug treatment facility the court sent the person to.")
            else:
                referral.facility = facility
        raise_if(errors)
        now = timezone.now()
        TreatmentStepEvent.objects.create(
            referral=referral,
            from_status=referral.status,
            to_status=to,
            category=category,
            reason=reason,
            documents=sorted(set(documents) & set(workflow.DOCUMENTS)),
            note=note.strip(),
            agency=agency,
            actor=actor,
            at=now,
            seconds_in_step=max(0, int((now - referral.status_since).total_seconds())),
            was_overdue=referral.step_due is not None and referral.step_due < now,
        )
        referral.status, referral.status_since = to, now
        referral.overdue_flagged_at = None
        referral.wait_reason = reason if to == TreatmentStep.WAITING else ""
        if to in workflow.TERMINAL:
            referral.result, referral.ended_at = reason or "completed", now
        _schedule(referral, to, now)
        referral.save()
        record(
            actor=actor, action="treatmentreferral.step", obj=referral, changes=diff(old, _snapshot(referral))
        )
    return referral


def do_flag_overdue_steps(*, now: dt.datetime | None = None) -> list[TreatmentReferral]:
    """Mark the steps past their deadline once (the system's sweep: safe to run twice or late), with an
    audit row per referral naming the agency that owes the step."""
    now = now or timezone.now()
    flagged = []
    with transaction.atomic():
        rows = (
            TreatmentReferral.objects.select_for_update()
            .filter(step_due__lt=now, overdue_flagged_at__isnull=True)
            .exclude(status__in=workflow.TERMINAL)
        )
        for referral in rows:
            referral.overdue_flagged_at = now
            referral.save(update_fields=["overdue_flagged_at"])
            record(
                actor=None,
                action="treatmentreferral.overdue",
                obj=referral,
                changes=diff({}, {"status": referral.status, "owed_agency": referral.owed_agency_id}),
            )
            flagged.append(referral)
    return flagged
