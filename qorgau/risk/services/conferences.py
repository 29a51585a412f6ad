"""The risk conference: a chair schedules one for a district and a date, builds its agenda from the
referrals waiting in that district (oldest first), keeps the meeting record (agencies present, information
shared under the legal mandate, a summary per victim), assigns actions to agencies with an owner and a due
date; the agency completes its actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau.core.audit import record
from qorgau.core.idempotency import once
from qorgau.core.models import Agency, District, User
from qorgau.core.permissions import may_work_in

from ..models import Conference, ConferenceAction, ConferenceReferral, ConferenceStatus, ReferralStatus
from ._common import ensure_still_visible, locked_visible, raise_if, require, text


@transaction.atomic
def do_schedule_conference(
    *, actor: Any, district: District, date: dt.date, legal_mandate: str, idempotency_key: str | None = None
) -> Conference:
    require(actor, "risk.conference")
    if idempotency_key:
        conference, replayed = once(
            actor=actor,
            operation="risk.schedule_conference",
            key=idempotency_key,
            payload={"district": district.pk, "date": str(date), "legal_mandate": legal_mandate},
            model=Conference,
            create=lambda: do_schedule_conference(
                actor=actor, district=district, date=date, legal_mandate=legal_mandate
            ),
        )
        conference.idempotent_replay = replayed
        return conference
    errors: dict[str, Any] = {}
    if not may_work_in(actor, district.region_id):
        errors["district"] = _("Choose a district of a region you work in.")
    if not isinstance(date, dt.date):
        errors["date"] = _("Enter the date of the conference.")
    elif Conference.objects.filter(district=district, date=date).exists():
        errors["date"] = _("This district has a conference on that day already.")
    if not text(legal_mandate):
        errors["legal_mandate"] = _("Name the legal mandate under which the agencies share information.")
    if actor.agency_id is None:
        errors["__all__"] = _("Only staff of an agency convene a conference.")
    raise_if(errors)
    conference = Conference.objects.create(
        region_id=district.region_id,
        district=district,
        date=date,
        agency_id=actor.agency_id,
        chair=actor,
        legal_mandate=text(legal_mandate),
    )
    record(
        actor=actor,
        action="conference.add",
        obj=conference,
        changes={"district": district.pk, "date": date.isoformat()},
    )
    ensure_still_visible(Conference, conference, actor)
    return conference


def waiting_for(conference: Conference) -> Any:
    """Referrals waiting for a conference of this district (or of its region without a district)."""
    return ConferenceReferral.objects.filter(
        status=ReferralStatus.WAITING, region_id=conference.region_id
    ).filter(Q(district_id=conference.district_id) | Q(district__isnull=True))


@transaction.atomic
def do_build_agenda(*, actor: Any, conference: Conference) -> list[ConferenceReferral]:
    """List every referral waiting in the conference's district on its agenda, oldest referral first."""
    require(actor, "risk.conference")
    conference = locked_visible(Conference, conference, actor, "conference")
    if conference.is_held:
        raise ValidationError({"__all__": _("The conference was held; its agenda is closed.")})
    referrals = list(waiting_for(conference).select_for_update().order_by("referred_at", "id"))
    for referral in referrals:
        referral.status, referral.conference = ReferralStatus.LISTED, conference
        referral.save(update_fields=["status", "conference"])
    record(
        actor=actor,
        action="conference.agenda",
        obj=conference,
        changes={"listed": [referral.code for referral in referrals]},
    )
    return referrals


@transaction.atomic
def do_record_meeting(
    *,
    actor: Any,
    conference: Conference,
    agencies_present: Iterable[Agency],
    information_shared: str,
    discussions: Mapping[int, str] | None = None,
) -> Conference:
    """Keep the meeting record: who was there, what was shared under the mandate, a summary per referral
    on the agenda (referral id -> text); the referrals on the agenda are discussed."""
    require(actor, "risk.conference")
    conference = locked_visible(Conference, conference, actor, "conference")
    agencies = list(agencies_present)
    errors: dict[str, Any] = {}
    if not agencies:
        errors["agencies_present"] = _("Name the agencies present.")
    if not text(information_shared):
        errors["information_shared"] = _("Record what was shared under the conference's mandate.")
    raise_if(errors)
    conference.information_shared = text(information_shared)
    conference.status = ConferenceStatus.HELD
    conference.held_at = timezone.now()
    conference.save()
    conference.agencies_present.set(agencies)
    discussed = []
    for referral in conference.referrals.select_for_update():
        referral.status = ReferralStatus.DISCUSSED
        summary = (discussions or {}).get(referral.pk)
        if summary is not None:
            referral.discussion = text(summary)
        referral.save(update_fields=["status", "discussion"])
        discussed.append(referral.code)
    record(
        actor=actor,
        action="conference.record",
        obj=conference,
        changes={"agencies_present": sorted(a.pk for a in agencies), "discussed": discussed},
    )
    return conference


@transaction.atomic
def do_add_action(
    *,
    actor: Any,
    conference: Conference,
    referral: ConferenceReferral,
    agency: Agency,
    description: str,
    due_date: dt.date,
    owner: User | None = None,
) -> ConferenceAction:
    require(actor, "risk.conference")
    conference = locked_visible(Conference, conference, actor, "conference")
    referral = ConferenceReferral.objects.get(pk=referral.pk)  # the stored agenda, not the caller's copy
    errors: dict[str, Any] = {}
    if referral.conference_id != conference.pk:
        errors["referral"] = _("Choose a victim on this conference's agenda.")
    if not text(description):
        errors["description"] = _("Say what the agency is to do.")
    if not isinstance(due_date, dt.date):
        errors["due_date"] = _("Enter the due date.")
    elif due_date < conference.date:
        errors["due_date"] = _("The due date cannot be before the conference.")
    if owner is not None and owner.agency_id != agency.pk:
        errors["owner"] = _("The owner works at the agency the action is assigned to.")
    raise_if(errors)
    action = ConferenceAction.objects.create(
        conference=conference,
        referral=referral,
        agency=agency,
        owner=owner,
        description=text(description),
        due_date=due_date,
        created_by=actor,
    )
    record(
        actor=actor,
        action="conferenceaction.add",
        obj=action,
        changes={"agency": agency.pk, "owner": owner.pk if owner else None, "due_date": due_date.isoformat()},
    )
    ensure_still_visible(ConferenceAction, action, actor)
    return action


@transaction.atomic
def do_complete_action(*, actor: Any, action: ConferenceAction, note: str) -> ConferenceAction:
    """The assigned agency (its staff, or the owner) records that the action was done."""
    require(actor, "risk.act")
    action = locked_visible(ConferenceAction, action, actor, "act")
    if action.agency_id != actor.agency_id and action.owner_id != actor.pk:
        raise PermissionDenied("Only the assigned agency completes its action.")
    if action.is_done:
        raise ValidationError({"__all__": _("The action is completed already.")})
    if not text(note):
        raise ValidationError({"note": _("Say what was done.")})
    action.completed_at, action.completed_by, action.completion_note = timezone.now(), actor, text(note)
    action.save(update_fields=["completed_at", "completed_by", "completion_note"])
    record(actor=actor, action="conferenceaction.complete", obj=action, changes={"completed": True})
    return action
