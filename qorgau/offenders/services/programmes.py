"""Programmes for offenders: referral (by the police, a court requirement or voluntary), first contact,
intake assessment, sessions with attendance, and the end (completion with outcomes, or drop-out).

Every referral offers contact to the victim's case worker (a PartnerContact on each open case of the
signal's victims); a drop-out puts the partner's safety review in that case worker's queue. The
provider learns only that an offer was made, never the case, its agency or the victim.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau.cases.models import Case, CaseState
from qorgau.core.audit import diff, record
from qorgau.core.idempotency import once
from qorgau.core.models import User
from qorgau.intake.models import Signal
from qorgau.people.models import Person

from ..models import (
    OUTCOMES,
    Achievement,
    Attendance,
    ContactStatus,
    CourtRequirement,
    DropoutReason,
    OffenderInstrument,
    PartnerContact,
    Programme,
    ProgrammeDeadlineRule,
    ProgrammeReferral,
    ProgrammeSession,
    ProgrammeStatus,
    ReferralBasis,
)
from ._common import ensure_still_visible, is_offender_of, locked_visible, raise_if, require, visible_signal

# How soon the victim's case worker reviews the partner's safety after a drop-out (unconfirmed default).
SAFETY_REVIEW_WITHIN = dt.timedelta(days=2)


def _snapshot(referral: ProgrammeReferral) -> dict[str, Any]:
    return {
        "status": referral.status,
        "risk_score": referral.risk_score,
        "risk_band": referral.risk_band,
        "dropout_reason": referral.dropout_reason,
        "outcomes": referral.outcomes,
        "contacted_at": referral.contacted_at,
    }


def do_refer_to_programme(
    *,
    actor: User,
    programme: Programme,
    offender: Person,
    basis: str,
    signal: Signal | None = None,
    requirement: CourtRequirement | None = None,
    legal_basis: str = "",
    idempotency_key: str | None = None,
) -> ProgrammeReferral:
    require(actor, "offenders.refer")
    payload = {
        "programme": programme.pk,
        "offender": offender.pk,
        "basis": basis,
        "signal": getattr(signal, "pk", None),
        "requirement": getattr(requirement, "pk", None),
        "legal_basis": legal_basis.strip(),
    }
    with transaction.atomic():
        referral, replayed = once(
            actor=actor,
            operation="offenders.refer_programme",
            key=idempotency_key,
            payload=payload,
            model=ProgrammeReferral,
            create=lambda: _refer(actor, programme, offender, basis, signal, requirement, legal_basis),
        )
        referral.idempotent_replay = replayed
    return referral


def _refer(
    actor: User,
    programme: Programme,
    offender: Person,
    basis: str,
    signal: Signal | None,
    requirement: CourtRequirement | None,
    legal_basis: str,
) -> ProgrammeReferral:
    if actor.agency is None or actor.agency.region_id is None:
        raise PermissionDenied("Only staff of a regional agency refer.")
    errors: dict[str, Any] = {}
    if not programme.is_active:
        errors["programme"] = _("The programme takes no referrals.")
    if basis not in ReferralBasis.values:
        errors["basis"] = _("Choose the basis of the referral.")
    if requirement is not None:
        if not CourtRequirement.objects.visible_to(actor, "view").filter(pk=requirement.pk).exists():
            raise PermissionDenied("Not found.")
        if requirement.offender_id != offender.pk:
            errors["requirement"] = _("The court requirement is about another person.")
        signal = signal or requirement.signal
    if basis == ReferralBasis.COURT and requirement is None:
        errors["requirement"] = _("A referral by the court names the court requirement.")
    if signal is not None:
        visible_signal(actor, signal)
        if not is_offender_of(signal, offender):
            errors["offender"] = _("The person is not an alleged offender of the signal.")
    elif basis != ReferralBasis.VOLUNTARY:
        errors["signal"] = _("Name the signal the referral comes from.")
    elif not Person.objects.visible_to(actor, "view").filter(pk=offender.pk).exists():
        raise PermissionDenied("Not found.")
    if ProgrammeReferral.objects.filter(
        offender=offender,
        programme=programme,
        status__in=(ProgrammeStatus.REFERRED, ProgrammeStatus.ASSESSED, ProgrammeStatus.STARTED),
    ).exists():
        errors["offender"] = _("The person is already referred to this programme.")
    raise_if(errors)
    now = timezone.now()
    rule = ProgrammeDeadlineRule.effective(basis, now)
    referral = ProgrammeReferral.objects.create(
        programme=programme,
        offender=offender,
        signal=signal,
        requirement=requirement,
        basis=basis,
        legal_basis=legal_basis.strip(),
        region_id=actor.agency.region_id,
        referring_agency=actor.agency,
        referred_by=actor,
        referred_at=now,
        rule=rule,
        contact_due=now + dt.timedelta(days=rule.contact_days),
        start_due=now + dt.timedelta(days=rule.start_days),
    )
    offered = 0
    if signal is not None:
        # The victims' open cases of this signal: their case workers are offered contact with the partner.
        cases = Case.objects.filter(signal=signal).exclude(state=CaseState.CLOSED)
        contacts = [PartnerContact(case=case, referral=referral, offered_at=now) for case in cases]
        PartnerContact.objects.bulk_create(contacts)
        offered = len(contacts)
    if offered:
        referral.partner_contact_offered = True
        referral.save(update_fields=["partner_contact_offered"])
    record(
        actor=actor,
        action="programmereferral.add",
        obj=referral,
        changes=diff({}, {"programme": programme.pk, "basis": basis, "partner_contacts": offered}),
    )
    ensure_still_visible(ProgrammeReferral, referral, actor)
    return referral


def _provider_referral(actor: User, referral: ProgrammeReferral) -> ProgrammeReferral:
    require(actor, "offenders.programme")
    referral = locked_visible(ProgrammeReferral, referral, actor, "programme")
    if referral.programme.agency_id != actor.agency_id:
        raise PermissionDenied("Not found.")
    return referral


def do_record_first_contact(
    *, actor: User, referral: ProgrammeReferral, at: dt.datetime
) -> ProgrammeReferral:
    with transaction.atomic():
        referral = _provider_referral(actor, referral)
        if at > timezone.now() + dt.timedelta(minutes=5) or at < referral.referred_at:
            raise ValidationError({"at": _("The contact must lie between the referral and now.")})
        old = _snapshot(referral)
        referral.contacted_at = at
        referral.save(update_fields=["contacted_at"])
        record(
            actor=actor,
            action="programmereferral.contact",
            obj=referral,
            changes=diff(old, _snapshot(referral)),
        )
    return referral


def do_assess(
    *, actor: User, referral: ProgrammeReferral, items: Sequence[str], suitable: bool
) -> ProgrammeReferral:
    """The intake assessment: the instrument in force scores the items present; the provider decides."""
    with transaction.atomic():
        referral = _provider_referral(actor, referral)
        if referral.status != ProgrammeStatus.REFERRED:
            raise ValidationError({"status": _("Only a new referral is assessed.")})
        instrument = OffenderInstrument.effective(timezone.now())
        unknown = sorted(set(items) - set(instrument.items))
        if unknown:
            raise ValidationError({"items": _("Unknown items: %(codes)s.") % {"codes": ", ".join(unknown)}})
        old = _snapshot(referral)
        now = timezone.now()
        referral.instrument = instrument
        referral.risk_items = sorted(set(items))
        referral.risk_score = len(referral.risk_items)
        referral.risk_band = instrument.band(referral.risk_score)
        referral.assessed_at = now
        referral.contacted_at = referral.contacted_at or now
        referral.status = ProgrammeStatus.ASSESSED if suitable else ProgrammeStatus.UNSUITABLE
        if not suitable:
            referral.ended_at = now
        referral.save()
        record(
            actor=actor,
            action="programmereferral.assess",
            obj=referral,
            changes=diff(old, _snapshot(referral)),
        )
    return referral


def do_record_session(
    *,
    actor: User,
    referral: ProgrammeReferral,
    held_on: dt.date,
    attendance: str,
    note: str = "",
) -> ProgrammeSession:
    """One session's attendance; an unacceptable absence goes to the district inspector's queue."""
    with transaction.atomic():
        referral = _provider_referral(actor, referral)
        errors: dict[str, Any] = {}
        if referral.status not in (ProgrammeStatus.ASSESSED, ProgrammeStatus.STARTED):
            errors["attendance"] = _("Sessions are recorded after a suitable assessment and before the end.")
        if attendance not in Attendance.values:
            errors["attendance"] = _("Choose the attendance code.")
        if held_on > timezone.localdate():
            errors["held_on"] = _("A session cannot be recorded before it is held.")
        elif held_on < timezone.localdate(referral.referred_at):
            errors["held_on"] = _("The session cannot be before the referral.")
        raise_if(errors)
        number = referral.attendance.count() + 1
        session = ProgrammeSession.objects.create(
            referral=referral,
            number=number,
            held_on=held_on,
            attendance=attendance,
            note=note.strip(),
            recorded_by=actor,
        )
        old = _snapshot(referral)
        if attendance == Attendance.ATTENDED and referral.status == ProgrammeStatus.ASSESSED:
            referral.status = ProgrammeStatus.STARTED
            referral.started_at = timezone.now()
            referral.save(update_fields=["status", "started_at"])
        record(
            actor=actor,
            action="programmesession.add",
            obj=session,
            changes=diff(old, {**_snapshot(referral), "attendance": attendance, "number": number}),
        )
    return session


def do_end_programme(
    *,
    actor: User,
    referral: ProgrammeReferral,
    completed: bool,
    dropout_reason: str = "",
    outcomes: Mapping[str, str] | None = None,
) -> ProgrammeReferral:
    """Completion with outcomes (achieved, partly, not), or drop-out with a reason, which asks the
    victim's case worker to review the partner's safety."""
    with transaction.atomic():
        referral = _provider_referral(actor, referral)
        errors: dict[str, Any] = {}
        outcomes = dict(outcomes or {})
        if completed:
            if referral.status != ProgrammeStatus.STARTED:
                errors["completed"] = _("Only a programme the person attends can be completed.")
            bad = [k for k, v in outcomes.items() if k not in OUTCOMES or v not in Achievement.values]
            if bad or not outcomes:
                errors["outcomes"] = _("Mark each outcome achieved, partly achieved or not achieved.")
            if dropout_reason:
                errors["dropout_reason"] = _("A completed programme has no drop-out reason.")
        else:
            if referral.status not in (
                ProgrammeStatus.ASSESSED,
                ProgrammeStatus.STARTED,
                ProgrammeStatus.REFERRED,
            ):
                errors["completed"] = _("The referral has already ended.")
            if dropout_reason not in DropoutReason.values:
                errors["dropout_reason"] = _("Choose why the person dropped out.")
            if outcomes:
                errors["outcomes"] = _("Outcomes are recorded on completion only.")
        raise_if(errors)
        old = _snapshot(referral)
        now = timezone.now()
        referral.status = ProgrammeStatus.COMPLETED if completed else ProgrammeStatus.DROPPED_OUT
        referral.ended_at = now
        referral.dropout_reason = "" if completed else dropout_reason
        referral.outcomes = outcomes
        referral.save()
        reviews = 0
        if not completed:
            reviews = PartnerContact.objects.filter(referral=referral).update(
                safety_review_due=now + SAFETY_REVIEW_WITHIN, safety_reviewed_at=None
            )
        record(
            actor=actor,
            action="programmereferral.end",
            obj=referral,
            changes=diff(old, {**_snapshot(referral), "safety_reviews": reviews}),
        )
    return referral


def do_answer_partner_contact(*, actor: User, contact: PartnerContact, status: str) -> PartnerContact:
    require(actor, "offenders.partner")
    with transaction.atomic():
        contact = locked_visible(PartnerContact, contact, actor, "partner")
        if status not in (ContactStatus.MADE, ContactStatus.DECLINED):
            raise ValidationError({"status": _("Record whether the partner was contacted or declined.")})
        old = {"status": contact.status}
        contact.status, contact.contacted_at = status, timezone.now()
        contact.save(update_fields=["status", "contacted_at"])
        record(
            actor=actor, action="partnercontact.answer", obj=contact, changes=diff(old, {"status": status})
        )
    return contact


def do_record_safety_review(*, actor: User, contact: PartnerContact) -> PartnerContact:
    require(actor, "offenders.partner")
    with transaction.atomic():
        contact = locked_visible(PartnerContact, contact, actor, "partner")
        if contact.safety_review_due is None or contact.safety_reviewed_at is not None:
            raise ValidationError({"safety_review": _("No safety review is due.")})
        contact.safety_reviewed_at = timezone.now()
        contact.save(update_fields=["safety_reviewed_at"])
        record(
            actor=actor,
            action="partnercontact.safety_review",
            obj=contact,
            changes=diff({}, {"safety_reviewed_at": contact.safety_reviewed_at}),
        )
    return contact


def do_acknowledge_absence(*, actor: User, session: ProgrammeSession) -> ProgrammeSession:
    """The district inspector has seen an unacceptable absence (the task leaves the queue)."""
    require(actor, "offenders.refer")
    with transaction.atomic():
        session = locked_visible(ProgrammeSession, session, actor, "refer")
        if session.attendance != Attendance.UNACCEPTABLE or session.inspector_seen_at is not None:
            raise ValidationError({"session": _("No unacceptable absence waits for you here.")})
        session.inspector_seen_at = timezone.now()
        session.save(update_fields=["inspector_seen_at"])
        record(
            actor=actor,
            action="programmesession.acknowledge",
            obj=session,
            changes=diff({}, {"inspector_seen_at": session.inspector_seen_at}),
        )
    return session
