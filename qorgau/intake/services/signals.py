"""Registering signals and working them: assignment, first contact, the victim's refusal (a fact)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.audit import diff, record
from qorgau.core.idempotency import KEY_MAX
from qorgau.core.idempotency import fingerprint as request_fingerprint
from qorgau.core.models import AgencyType, District, Region, User
from qorgau.core.permissions import may_work_in
from qorgau.people.models import Person

from ..models import (
    FORM_FIELDS,
    Channel,
    ChildInvolvement,
    DeadlineKind,
    DeadlineRule,
    DeadlineRuleMissing,
    OffenderRelationship,
    PartyRelationship,
    PartyRole,
    ProtectiveOrder,
    RegistrationCounter,
    Signal,
    SignalParty,
    SignalStatus,
)
from ._common import check_moment, ensure_still_visible, locked_visible, raise_if, require

IDEMPOTENCY_KEY_MAX = KEY_MAX
ACCOUNT_MAX = 10_000  # characters of the account of what happened (a long statement is about 2 pages)


def next_registration_number(region: Region, year: int) -> str:
    """The next number of `region` and `year`, e.g. KZ-71-2025-000042. Call inside a transaction.

    The counter row is created once per region and year, then locked for the rest of the transaction, so
    two registrations never take the same number and numbers are consecutive in commit order.
    """
    RegistrationCounter.objects.get_or_create(region=region, year=year)
    counter = RegistrationCounter.objects.select_for_update().get(region=region, year=year)
    RegistrationCounter.objects.filter(pk=counter.pk).update(last_value=F("last_value") + 1)
    counter.refresh_from_db(fields=["last_value"])
    return f"{region.code}-{year}-{counter.last_value:06d}"


def _unique(persons: Iterable[Person] | None) -> list[Person]:
    seen: dict[int, Person] = {}
    for person in persons or ():
        seen.setdefault(person.pk, person)
    return list(seen.values())


type Pair = tuple[Person, Person, str]  # (alleged offender, victim, what the offender is to the victim)


def _unique_children(children: Iterable[tuple[Person, str]] | None) -> list[tuple[Person, str]]:
    seen: dict[int, tuple[Person, str]] = {}
    for person, involvement in children or ():
        seen.setdefault(person.pk, (person, involvement))
    return list(seen.values())


def _pair_relationships(
    errors: dict[str, Any],
    victims: Sequence[Person],
    offenders: Sequence[Person],
    relationships: Sequence[Pair],
    default: str,
) -> dict[tuple[int, int], str]:
    """{(offender id, victim id): relationship} for every offender-victim pair, or errors on `relationship`
    and `relationships`. A pair takes its own relationship, else `default` (one for every pair)."""
    victim_ids, offender_ids = {p.pk for p in victims}, {p.pk for p in offenders}
    given: dict[tuple[int, int], str] = {}
    for offender, victim, relationship in relationships:
        if offender.pk not in offender_ids or victim.pk not in victim_ids:
            errors["relationships"] = _(
                "A relationship is given for a person who is not an alleged offender "
                "or a victim of this signal."
            )
            return {}
        if relationship not in OffenderRelationship.values:
            errors["relationships"] = _("Choose a valid relationship.")
            return {}
        given[(offender.pk, victim.pk)] = relationship
    if not offenders:
        if default:
            errors["relationship"] = _("A relationship needs an alleged offender.")
        return {}
    if default and default not in OffenderRelationship.values:
        errors["relationship"] = _("Choose what the alleged offender is to the victim.")
        return {}
    pairs = {(o.pk, v.pk): given.get((o.pk, v.pk), default) for o in offenders for v in victims}
    if any(not relationship for relationship in pairs.values()):
        if len(pairs) == 1:  # the one pair of earlier clients: the message on their field
            errors["relationship"] = _("Choose what the alleged offender is to the victim.")
        else:
            errors["relationships"] = _("Say what each alleged offender is to each victim.")
        return {}
    return pairs


def _snapshot(signal: Signal) -> dict[str, Any]:
    """What the audit log keeps of a signal: structured facts and ids, never names, address or account."""
    return {
        "registration_number": signal.registration_number,
        "channel": signal.channel,
        "received_at": signal.received_at,
        "region": signal.region_id,
        "district": signal.district_id,
        "agency": signal.agency_id,
        "status": signal.status,
        "forms": signal.forms,
        "children_present": signal.children_present,
        "weapon": signal.weapon,
        "injuries": signal.injuries,
        "alcohol_or_drugs": signal.alcohol_or_drugs,
        "reporter": signal.reporter_id,
        "anonymous_reporter": signal.anonymous_reporter,
        "first_contact_due": signal.first_contact_due,
        "outcome_due": signal.outcome_due,
        "breach_of": signal.breach_of_id,
    }


def _check_parties_visible(actor: User, errors: dict[str, Any], **parties: Sequence[Person]) -> None:
    """Every party must be a person the actor may see: the service does not trust forms for it."""
    ids = {p.pk for persons in parties.values() for p in persons}
    if not ids:
        return
    visible = set(Person.objects.visible_to(actor).filter(pk__in=ids).values_list("pk", flat=True))
    for field, persons in parties.items():
        if any(p.pk not in visible for p in persons):
            errors[field] = _("Person not found.")


def _replay(signal: Signal, fingerprint: str, actor: User) -> Signal:
    if signal.idempotency_fingerprint != fingerprint:
        raise ValidationError(
            {"idempotency_key": _("This idempotency key was already used for a different signal.")}
        )
    if not Signal.objects.visible_to(actor, "view").filter(pk=signal.pk).exists():
        # Another user's key of the same agency: the same answer as for a signal that does not exist.
        raise Http404
    record(actor=actor, action="signal.register_replay", obj=signal)
    signal.idempotent_replay = True
    return signal


def do_register_signal(
    *,
    actor: User,
    channel: str,
    received_at: dt.datetime,
    region: Region,
    district: District | None = None,
    address: str = "",
    reporter: Person | None = None,
    anonymous_reporter: bool = False,
    victims: Sequence[Person] = (),
    offenders: Sequence[Person] = (),
    relationship: str = "",
    relationships: Sequence[Pair] = (),
    witnesses: Sequence[Person] = (),
    children: Sequence[tuple[Person, str]] = (),
    forms: Sequence[str] = (),
    children_present: bool = False,
    weapon: bool = False,
    injuries: bool = False,
    alcohol_or_drugs: bool = False,
    account: str = "",
    idempotency_key: str | None = None,
    breach_of: ProtectiveOrder | None = None,
) -> Signal:
    """Register a signal ex officio: a registration number and deadlines at once, status 'registered'.

    The same `idempotency_key` from the same agency returns the signal it created (with
    `idempotent_replay` set) and creates nothing; reusing a key for a different signal is an error.
    Deadlines come from the DeadlineRule rows in force on the day the signal was received.
    `breach_of` is set by `do_report_breach` only: a breach needs no form of violence.

    Every offender-victim pair needs what the offender is to that victim: `relationships` names pairs
    (offender, victim, relationship), `relationship` is the one for every pair not named (the old API's
    single relationship). `children` are (person, ChildInvolvement) pairs: a child witness or a directly
    affected child is a party of its own, never a second victim; with children named, `children_present`
    is recorded as true.
    """
    require(actor, "intake.add")
    if not actor.agency_id:
        raise PermissionDenied("Only staff of an agency register signals.")
    key = (idempotency_key or "").strip() or None
    victims, offenders, witnesses = _unique(victims), _unique(offenders), _unique(witnesses)
    children = _unique_children(children)
    children_present = children_present or bool(children)
    forms = sorted({forms} if isinstance(forms, str) else set(forms))
    fingerprint = request_fingerprint(
        {
            "channel": channel,
            # the same moment written with another UTC offset by a retrying client is the same request
            "received_at": received_at.astimezone(dt.UTC).isoformat()
            if isinstance(received_at, dt.datetime) and timezone.is_aware(received_at)
            else str(received_at),
            "region": getattr(region, "pk", None),
            "district": getattr(district, "pk", None),
            "address": address,
            "reporter": getattr(reporter, "pk", None),
            "anonymous": anonymous_reporter,
            "victims": sorted(p.pk for p in victims),
            "offenders": sorted(p.pk for p in offenders),
            "witnesses": sorted(p.pk for p in witnesses),
            "relationship": relationship,
            "relationships": sorted((o.pk, v.pk, r) for o, v, r in relationships),
            "children": sorted((p.pk, involvement) for p, involvement in children),
            "forms": forms,
            "flags": [children_present, weapon, injuries, alcohol_or_drugs],
            "account": account,
            "breach_of": getattr(breach_of, "pk", None),
        }
    )
    if key is not None:
        if len(key) > IDEMPOTENCY_KEY_MAX:
            raise ValidationError(
                {
                    "idempotency_key": _("The idempotency key is at most %(n)d characters.")
                    % {"n": IDEMPOTENCY_KEY_MAX}
                }
            )
        existing = Signal.objects.filter(agency=actor.agency_id, idempotency_key=key).first()
        if existing is not None:
            return _replay(existing, fingerprint, actor)

    errors: dict[str, Any] = {}
    if channel not in Channel.values:
        errors["channel"] = _("Choose a valid channel.")
    check_moment(errors, "received_at", received_at)
    if region is None:
        errors["region"] = _("This field is required.")
    elif not may_work_in(actor, region):
        errors["region"] = _(
            "You can register signals only in the regions where you work. A signal for another region "
            "is registered here and then handed over to it."
        )
    elif district is not None and district.region_id != region.pk:
        errors["district"] = _("The district is not in the selected region.")
    if len(address) > 300:
        errors["address"] = _("The address is at most 300 characters.")
    if len(account) > ACCOUNT_MAX:
        # Refused, never cut: a statement that long is an attachment, not a field of the register.
        errors["account"] = _("The account is at most %(limit)d characters; %(length)d were entered.") % {
            "limit": ACCOUNT_MAX,
            "length": len(account),
        }
    if reporter is not None and anonymous_reporter:
        errors["reporter"] = _("An anonymous report has no named reporter.")
    if not victims:
        errors["victims"] = _("Name at least one victim.")
    pairs = _pair_relationships(errors, victims, offenders, relationships, relationship)
    if any(involvement not in ChildInvolvement.values for _p, involvement in children):
        errors["children"] = _("Say for each child whether the child witnessed the violence or was affected.")
    _check_parties_visible(
        actor,
        errors,
        victims=victims,
        offenders=offenders,
        witnesses=witnesses,
        reporter=[reporter] if reporter is not None else [],
        children=[p for p, _i in children],
    )
    if {p.pk for p in victims} & {p.pk for p in offenders}:
        errors["offenders"] = _("A person cannot be both victim and alleged offender in one signal.")
    if {p.pk for p, _i in children} & {p.pk for p in [*victims, *offenders]}:
        errors["children"] = _(
            "A child is named once, as a child: not also as a victim or an alleged offender of the signal."
        )
    unknown_forms = [f for f in forms if f not in FORM_FIELDS]
    if unknown_forms:
        errors["forms"] = _("Unknown form of violence: %(forms)s.") % {"forms": ", ".join(unknown_forms)}
    elif not forms and breach_of is None:
        errors["forms"] = _("Choose at least one form of violence.")
    rules: dict[str, DeadlineRule] = {}
    if "received_at" not in errors:
        try:
            rules = {
                kind: DeadlineRule.effective(kind, received_at)
                for kind in (DeadlineKind.FIRST_CONTACT, DeadlineKind.OUTCOME)
            }
        except DeadlineRuleMissing:
            errors["received_at"] = _("No deadline rules are in force on this date; ask an administrator.")
    raise_if(errors)

    try:
        with transaction.atomic():
            now = timezone.now()
            signal = Signal(
                registration_number=next_registration_number(region, timezone.localdate(now).year),
                channel=channel,
                received_at=received_at,
                region=region,
                district=district,
                address=address,
                reporter=reporter,
                anonymous_reporter=anonymous_reporter,
                agency_id=actor.agency_id,
                registered_by=actor,
                registered_at=now,
                status=SignalStatus.REGISTERED,
                children_present=children_present,
                weapon=weapon,
                injuries=injuries,
                alcohol_or_drugs=alcohol_or_drugs,
                account=account,
                first_contact_rule=rules[DeadlineKind.FIRST_CONTACT],
                first_contact_due=received_at + rules[DeadlineKind.FIRST_CONTACT].duration,
                outcome_rule=rules[DeadlineKind.OUTCOME],
                outcome_due=received_at + rules[DeadlineKind.OUTCOME].duration,
                breach_of=breach_of,
                idempotency_key=key,
                idempotency_fingerprint=fingerprint if key else "",
                **{FORM_FIELDS[f]: True for f in forms},
            )
            signal.save()
            victim_rows = {p.pk: SignalParty(signal=signal, person=p, role=PartyRole.VICTIM) for p in victims}
            offender_rows = {
                p.pk: SignalParty(signal=signal, person=p, role=PartyRole.OFFENDER) for p in offenders
            }
            parties = [*victim_rows.values(), *offender_rows.values()]
            parties += [SignalParty(signal=signal, person=p, role=PartyRole.WITNESS) for p in witnesses]
            parties += [
                SignalParty(signal=signal, person=p, role=PartyRole.CHILD, child_involvement=involvement)
                for p, involvement in children
            ]
            if reporter is not None:
                parties.append(SignalParty(signal=signal, person=reporter, role=PartyRole.REPORTER))
            SignalParty.objects.bulk_create(parties)
            PartyRelationship.objects.bulk_create(
                PartyRelationship(
                    signal=signal,
                    offender=offender_rows[offender_id],
                    victim=victim_rows[victim_id],
                    relationship=code,
                )
                for (offender_id, victim_id), code in pairs.items()
            )
            new = _snapshot(signal) | {
                "victims": sorted(p.pk for p in victims),
                "offenders": sorted(p.pk for p in offenders),
                "children": sorted(p.pk for p, _i in children),
                "relationship": sorted(set(pairs.values())),
            }
            record(actor=actor, action="signal.register", obj=signal, changes=diff({}, new))
            ensure_still_visible(Signal, signal, actor)
    except IntegrityError:
        # Two requests with one idempotency key raced: the other one committed first.
        if key is None:
            raise
        existing = Signal.objects.filter(agency=actor.agency_id, idempotency_key=key).first()
        if existing is None:
            raise
        return _replay(existing, fingerprint, actor)
    return signal


def do_assign_signal(*, actor: User, signal: Signal, assignee: User | None) -> Signal:
    """Assign the signal to a district inspector (police of the signal's region who may work signals)."""
    require(actor, "intake.change")
    with transaction.atomic():
        signal = locked_visible(Signal, signal, actor, "change")
        if assignee is not None and not (
            assignee.is_active
            and assignee.can("intake.change")
            and assignee.agency is not None
            and assignee.agency.type == AgencyType.POLICE
            and assignee.agency.region_id == signal.region_id
        ):
            raise ValidationError(
                {
                    "assigned_to": _(
                        "Assign to an active police officer of the signal's region who works signals."
                    )
                }
            )
        old = {"assigned_to": signal.assigned_to_id, "status": signal.status}
        signal.assigned_to = assignee
        signal.assigned_at = timezone.now() if assignee else None
        if signal.status == SignalStatus.REGISTERED and assignee is not None:
            signal.status = SignalStatus.IN_PROGRESS
        signal.save(update_fields=["assigned_to", "assigned_at", "status"])
        record(
            actor=actor,
            action="signal.assign",
            obj=signal,
            changes=diff(old, {"assigned_to": signal.assigned_to_id, "status": signal.status}),
        )
        ensure_still_visible(Signal, signal, actor)
    return signal


def do_record_first_contact(*, actor: User, signal: Signal, contacted_at: dt.datetime) -> Signal:
    """Record when the police first reached the victim (ends the first-contact deadline)."""
    require(actor, "intake.change")
    with transaction.atomic():
        signal = locked_visible(Signal, signal, actor, "change")
        errors: dict[str, Any] = {}
        check_moment(errors, "first_contact_at", contacted_at, not_before=signal.received_at)
        raise_if(errors)
        old = {"first_contact_at": signal.first_contact_at, "status": signal.status}
        signal.first_contact_at = contacted_at
        if signal.status == SignalStatus.REGISTERED:
            signal.status = SignalStatus.IN_PROGRESS
        signal.save(update_fields=["first_contact_at", "status"])
        record(
            actor=actor,
            action="signal.first_contact",
            obj=signal,
            changes=diff(old, {"first_contact_at": signal.first_contact_at, "status": signal.status}),
        )
        ensure_still_visible(Signal, signal, actor)
    return signal


def do_record_victim_declined(
    *, actor: User, signal: Signal, declined_at: dt.datetime | None = None, note: str = ""
) -> Signal:
    """Record that the victim declined to cooperate. A fact, not a closure: the signal stays open."""
    require(actor, "intake.change")
    declined_at = declined_at or timezone.now()
    with transaction.atomic():
        signal = locked_visible(Signal, signal, actor, "change")
        errors: dict[str, Any] = {}
        check_moment(errors, "victim_declined_at", declined_at, not_before=signal.received_at)
        raise_if(errors)
        old = {"victim_declined": signal.victim_declined, "victim_declined_at": signal.victim_declined_at}
        signal.victim_declined = True
        signal.victim_declined_at = declined_at
        signal.victim_declined_note = note
        signal.save(update_fields=["victim_declined", "victim_declined_at", "victim_declined_note"])
        record(
            actor=actor,
            action="signal.victim_declined",
            obj=signal,
            changes=diff(old, {"victim_declined": True, "victim_declined_at": declined_at}),
        )
        ensure_still_visible(Signal, signal, actor)
    return signal


TRANSFER_REASON_MAX = 2000


def do_transfer_signal(
    *, actor: User, signal: Signal, region: Region, district: District | None = None, reason: str
) -> Signal:
    """Hand a signal over to the police of another region (it happened there), with the reason.

    The one way a signal reaches a region outside the registering agency's: registration happens only
    where the actor works. The assignment is cleared so that the receiving region assigns its own
    inspector; the registration number, the deadlines and the registering agency stay. The audit row
    names the receiving region, so that its auditor sees the hand-over as well as the sender's does.
    """
    require(actor, "intake.change")
    reason = (reason or "").strip()
    with transaction.atomic():
        # By the actor's own scope: an agency a signal was shared with (a grant) may not move it away.
        if not Signal.objects.visible_to(actor, "change", grants=False).filter(pk=signal.pk).exists():
            raise PermissionDenied("Not found.")
        signal = Signal.objects.select_for_update().get(pk=signal.pk)
        errors: dict[str, Any] = {}
        if region is None:
            errors["region"] = _("This field is required.")
        elif region.pk == signal.region_id:
            errors["region"] = _("The signal is already in this region; choose the region it goes to.")
        elif district is not None and district.region_id != region.pk:
            errors["district"] = _("The district is not in the selected region.")
        if not reason:
            errors["reason"] = _("Say why the signal is handed over.")
        elif len(reason) > TRANSFER_REASON_MAX:
            errors["reason"] = _("The reason is at most %(n)d characters.") % {"n": TRANSFER_REASON_MAX}
        raise_if(errors)
        old = {
            "region": signal.region_id,
            "district": signal.district_id,
            "assigned_to": signal.assigned_to_id,
        }
        signal.region = region
        signal.district = district
        signal.assigned_to = None
        signal.assigned_at = None
        signal.save(update_fields=["region", "district", "assigned_to", "assigned_at"])
        record(
            actor=actor,
            action="signal.transfer",
            obj=signal,
            changes=diff(
                old, {"region": region.pk, "district": getattr(district, "pk", None), "assigned_to": None}
            ),
            reason=reason,
        )
    return signal
