"""Operations that span several services, one function each, called by the pages and the API alike.

A flow opens one transaction around the services it calls, so that an error in the last leaves nothing of
the first; the services still check permission, scope and input themselves. Flows raise what services
raise (`PermissionDenied`, Django `ValidationError`) and the domain errors below; callers translate them
(the pages into their forms, the API into 400/409).

- `register_signal`: inline new persons, then the signal (idempotent by key; a retry matches the persons
  the key's signal has instead of creating them again).
- `issue_protective_order`: the order (with its checks) and its legal measure.
- `record_measure`: what the outcome page and the API's `outcome` take: a protective order is issued and
  recorded, every other measure recorded (services/outcomes.py has the rules of each kind).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from qorgau.core import idempotency
from qorgau.core.models import Agency, User
from qorgau.people.iin import hash_iin, normalize_iin
from qorgau.people.lookups import note_iin_lookup
from qorgau.people.models import Person
from qorgau.people.services import do_create_person

from .models import Outcome, OutcomeKind, PartyRole, ProtectiveOrder, Signal, SignalParty
from .services import do_issue_protective_order, do_record_outcome, do_register_signal

PARTY_ROLES = {
    "reporter": PartyRole.REPORTER,
    "victims": PartyRole.VICTIM,
    "offenders": PartyRole.OFFENDER,
    "witnesses": PartyRole.WITNESS,
    "children": PartyRole.CHILD,
}


@dataclass(frozen=True)
class NewPerson:
    """A person to create with the signal: the keyword arguments of people.services.do_create_person."""

    fields: Mapping[str, Any]


type PartyInput = Person | NewPerson


@dataclass(frozen=True)
class PairInput:
    """What the alleged offender `parties["offenders"][offender]` is to the victim
    `parties["victims"][victim]` (positions, so that persons created inline can be named)."""

    offender: int
    victim: int
    relationship: str


def _pairs(
    resolved: Mapping[str, Sequence[Person]], pairs: Sequence[PairInput]
) -> list[tuple[Person, Person, str]]:
    offenders, victims = resolved["offenders"], resolved["victims"]
    out = []
    for pair in pairs:
        if not (0 <= pair.offender < len(offenders) and 0 <= pair.victim < len(victims)):
            raise ValidationError(
                {
                    "relationships": _(
                        "A relationship names an offender or a victim that is not in the signal."
                    )
                }
            )
        out.append((offenders[pair.offender], victims[pair.victim], pair.relationship))
    return out


class IdempotencyConflict(idempotency.IdempotencyConflict):
    """The idempotency key was used for a different request (qorgau/core/idempotency.py)."""


class PartyErrors(Exception):
    """Inline persons that could not be created: {party field: {index: {field: [messages]}}}."""

    def __init__(self, errors: dict[str, dict[int, Any]]) -> None:
        super().__init__(errors)
        self.errors = errors


class _Unresolvable(Exception):
    """On a retry, an inline person of the request is not among the parties the key's signal has."""


class _Retry(Exception):
    """A concurrent request with the same key committed first: roll back and answer as a retry."""


def _person_errors(exc: ValidationError) -> dict[str, Any]:
    if hasattr(exc, "error_dict"):
        return {"new_person": exc.message_dict}
    return {"new_person": {"non_field_errors": exc.messages}}


def note_inline_iin_lookups(actor: User, parties: Mapping[str, Sequence[PartyInput]]) -> None:
    """Audit (and rate-limit) the IINs of inline persons before the registration's transaction starts,
    so that the rows stay when the registration later fails; the people service skips them as already
    noted within this request."""
    for items in parties.values():
        for item in items:
            if isinstance(item, NewPerson):
                iin = normalize_iin(str(item.fields.get("iin", "") or ""))
                if iin:
                    note_iin_lookup(actor, iin, context="register")


def _create_parties(actor: User, parties: Mapping[str, Sequence[PartyInput]]) -> dict[str, list[Person]]:
    resolved: dict[str, list[Person]] = {}
    errors: dict[str, dict[int, Any]] = {}
    for field in PARTY_ROLES:
        resolved[field] = []
        for i, item in enumerate(parties.get(field, ())):
            if isinstance(item, Person):
                resolved[field].append(item)
                continue
            try:
                person, _created = do_create_person(actor=actor, **item.fields)
            except ValidationError as exc:
                errors.setdefault(field, {})[i] = _person_errors(exc)
            else:
                resolved[field].append(person)
    if errors:
        raise PartyErrors(errors)
    return resolved


def _same_person(person: Person, new: Mapping[str, Any]) -> bool:
    def text(value: Any) -> str:
        return (value or "").strip()

    return (
        text(person.surname) == text(new.get("surname"))
        and text(person.given_name) == text(new.get("given_name"))
        and text(person.patronymic) == text(new.get("patronymic"))
        and person.birth_date == new.get("birth_date")
    )


def _match_parties(
    actor: User, parties: Mapping[str, Sequence[PartyInput]], signal: Signal
) -> dict[str, list[Person]]:
    """On a retry: the persons of each party field without creating any (inline ones matched)."""
    rows = list(SignalParty.objects.filter(signal=signal).select_related("person"))
    resolved: dict[str, list[Person]] = {}
    for field, role in PARTY_ROLES.items():
        candidates = [p.person for p in rows if p.role == role]
        resolved[field] = []
        for item in parties.get(field, ()):
            if isinstance(item, Person):
                resolved[field].append(item)
                continue
            iin = normalize_iin(str(item.fields.get("iin", "") or ""))
            if iin:
                found = Person.objects.visible_to(actor).filter(iin_hash=hash_iin(iin)).first()
            else:
                found = next((p for p in candidates if _same_person(p, item.fields)), None)
            if found is None:
                raise _Unresolvable
            resolved[field].append(found)
    return resolved


def register_signal(
    *,
    actor: User,
    parties: Mapping[str, Sequence[PartyInput]],
    idempotency_key: str,
    child_involvement: Sequence[str] = (),
    pairs: Sequence[PairInput] = (),
    **fields: Any,
) -> Signal:
    """Create the inline persons and register the signal in one transaction, or replay the key's signal.

    `parties` maps reporter/victims/offenders/witnesses to persons or `NewPerson`s; `fields` are the
    other keyword arguments of `do_register_signal`. `parties["children"]` are the child parties, with
    `child_involvement[i]` what child i went through; `pairs` the offender-victim relationships by position.
    A 400 leaves nothing behind: persons created for a refused signal roll back with it. Raises
    `PartyErrors`, `IdempotencyConflict`, `ValidationError`.
    """
    note_inline_iin_lookups(actor, parties)
    for attempt in range(2):
        try:
            with transaction.atomic():
                existing = Signal.objects.filter(
                    agency=actor.agency_id, idempotency_key=idempotency_key
                ).first()
                if existing is not None:
                    try:
                        resolved = _match_parties(actor, parties, existing)
                    except _Unresolvable:
                        raise IdempotencyConflict() from None
                else:
                    resolved = _create_parties(actor, parties)
                try:
                    return do_register_signal(
                        actor=actor,
                        reporter=resolved["reporter"][0] if resolved["reporter"] else None,
                        victims=resolved["victims"],
                        offenders=resolved["offenders"],
                        witnesses=resolved["witnesses"],
                        children=[
                            (person, child_involvement[i] if i < len(child_involvement) else "")
                            for i, person in enumerate(resolved["children"])
                        ],
                        relationships=_pairs(resolved, pairs),
                        idempotency_key=idempotency_key,
                        **fields,
                    )
                except ValidationError as exc:
                    if "idempotency_key" not in getattr(exc, "error_dict", {}):
                        raise
                    if existing is not None or attempt:
                        raise IdempotencyConflict() from None
                    # Our new persons made the fingerprint differ from the winner's: retry as a replay.
                    raise _Retry from None
        except _Retry:
            continue
    raise IdempotencyConflict()  # pragma: no cover - the second attempt returns or raises


def issue_protective_order(
    *,
    actor: User,
    signal: Signal,
    offender: Person | None,
    served_at: dt.datetime | None,
    victims: Sequence[Person] | None = None,
    number: str = "",
    details: str = "",
    decided_at: dt.datetime | None = None,
) -> tuple[ProtectiveOrder, Outcome]:
    """Issue a protective order (its compliance checks scheduled) and record it as a legal measure of the
    signal, in one transaction. The signal stays open: an order protects, it does not decide the incident."""
    with transaction.atomic():
        order = do_issue_protective_order(
            actor=actor, signal=signal, offender=offender, served_at=served_at, victims=victims, number=number
        )
        measure = do_record_outcome(
            actor=actor,
            signal=signal,
            kind=OutcomeKind.PROTECTIVE_ORDER,
            order=order,
            decided_at=decided_at or order.served_at,
            details=details,
        )
    return order, measure


def record_measure(
    *,
    actor: User,
    signal: Signal,
    kind: str,
    decided_at: dt.datetime | None = None,
    article: str = "",
    part: str = "",
    case_number: str = "",
    referred_agency: Agency | None = None,
    details: str = "",
    reason: str = "",
    corrects: Outcome | None = None,
    correction_reason: str = "",
    offender: Person | None = None,
    served_at: dt.datetime | None = None,
    order_number: str = "",
) -> tuple[Outcome, ProtectiveOrder | None]:
    """Record one legal measure: a new protective order is issued with it (`offender`, `served_at`,
    `order_number`); a correction of an order's measure keeps its order. Returns the measure and the order
    issued, if one was."""
    if kind == OutcomeKind.PROTECTIVE_ORDER and corrects is None:
        order, measure = issue_protective_order(
            actor=actor,
            signal=signal,
            offender=offender,
            served_at=served_at,
            number=order_number,
            details=details,
            decided_at=decided_at,
        )
        return measure, order
    measure = do_record_outcome(
        actor=actor,
        signal=signal,
        kind=kind,
        decided_at=decided_at,
        article=article,
        part=part,
        case_number=case_number,
        referred_agency=referred_agency,
        details=details,
        reason=reason,
        corrects=corrects,
        correction_reason=correction_reason,
    )
    return measure, None
