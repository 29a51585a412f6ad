"""Reads that the UI, the API and the dashboards share. Every one starts from `visible_to(user)`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from qorgau.core.models import User
from qorgau.core.permissions import in_scope
from qorgau.people.models import Person
from qorgau.people.queries import visible_person_ids

from ..models import (
    ComplianceCheck,
    OrderStatus,
    Outcome,
    OutcomeKind,
    PartyRelationship,
    PartyRole,
    ProtectiveOrder,
    ReconciliationDecision,
    Signal,
    SignalParty,
    SignalStatus,
    as_local_date,
)

TWELVE_MONTHS = dt.timedelta(days=365)


def _age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@dataclass
class PersonHistory:
    """A person's earlier involvement in signals, as far as the user's scope shows it.

    `parties` are the person's SignalParty rows (with signal, its current outcome, region and district
    loaded), newest first. Flags, all from visible rows only:
    - repeat_victim: a victim in at least one signal other than `exclude_signal` (ever);
    - repeat_offender: the alleged offender in at least one other signal not closed as "no offence found";
    - protective_order_in_force: an order protecting or against the person is in force at `at`;
    - children_involved: one of the person's signals names a child party (a child witness or an affected
      child, the person included) or records that children were present, or the person was a minor
      victim.
    """

    person: Person
    at: dt.datetime
    parties: list[SignalParty] = field(default_factory=list)
    protective_orders: list[ProtectiveOrder] = field(default_factory=list)
    reconciliations: list[ReconciliationDecision] = field(default_factory=list)

    @property
    def since_12_months(self) -> dt.datetime:
        return self.at - TWELVE_MONTHS

    @property
    def signals(self) -> list[Signal]:
        seen: dict[int, Signal] = {}
        for party in self.parties:
            seen.setdefault(party.signal_id, party.signal)
        return list(seen.values())

    @property
    def signals_12_months(self) -> list[Signal]:
        return [s for s in self.signals if s.received_at >= self.since_12_months]

    @property
    def outcomes(self) -> list[Outcome]:
        return [s.outcome for s in self.signals if s.outcome is not None]

    def _in(self, role: str) -> list[SignalParty]:
        return [p for p in self.parties if p.role == role]

    @property
    def orders_in_force(self) -> list[ProtectiveOrder]:
        return [o for o in self.protective_orders if o.in_force(self.at)]

    @property
    def repeat_victim(self) -> bool:
        return bool(self._in(PartyRole.VICTIM))

    @property
    def repeat_offender(self) -> bool:
        return any(
            p.signal.outcome is None or p.signal.outcome.kind != OutcomeKind.NO_OFFENCE
            for p in self._in(PartyRole.OFFENDER)
        )

    @property
    def protective_order_in_force(self) -> bool:
        return bool(self.orders_in_force)

    @property
    def children_involved(self) -> bool:
        # `with_children` is annotated by person_histories: the signal has a child party.
        if any(getattr(p, "with_children", False) for p in self.parties):
            return True
        if any(s.children_present for s in self.signals):
            return True
        birth = self.person.birth_date
        return birth is not None and any(
            _age_on(birth, as_local_date(p.signal.received_at)) < 18 for p in self._in(PartyRole.VICTIM)
        )

    @property
    def flags(self) -> dict[str, bool]:
        return {
            "repeat_victim": self.repeat_victim,
            "repeat_offender": self.repeat_offender,
            "protective_order_in_force": self.protective_order_in_force,
            "children_involved": self.children_involved,
        }


def person_history(
    user: User, person: Person, at: dt.datetime | None = None, exclude_signal: Signal | None = None
) -> PersonHistory:
    """The person's signals, outcomes, protective orders and reconciliations up to `at`, within scope.

    Pass `exclude_signal` on a signal's own page so that the signal does not count as its own history.
    """
    return person_histories(user, [person], at=at, exclude_signal=exclude_signal)[0]


def person_histories(
    user: User,
    persons: Sequence[Person],
    at: dt.datetime | None = None,
    exclude_signal: Signal | None = None,
) -> list[PersonHistory]:
    """The histories of several persons (in their order): four queries whatever the number of persons
    and the length of their histories (plus, once per user object, the role and regions).

    The same person may have a record of their own at each agency that met them (Person.linked_to); a
    history follows the identity, and visible_to keeps it to the user's scope.
    """
    at = at or timezone.now()
    if not persons:
        return []
    identity_of = {p.pk: p.linked_to_id or p.pk for p in persons}
    identities = set(identity_of.values())
    records = (
        Person.objects.filter(Q(pk__in=identities) | Q(linked_to__in=identities)).order_by().values("pk")
    )

    parties_qs = (
        SignalParty.objects.visible_to(user)
        .filter(person__in=records, signal__received_at__lte=at)
        .select_related("signal", "signal__outcome", "signal__region", "signal__district", "person")
        .annotate(
            with_children=Exists(
                SignalParty.objects.filter(signal=OuterRef("signal"), role=PartyRole.CHILD).order_by()
            )
        )
        .order_by("-signal__received_at", "-signal_id", "role")
    )
    if exclude_signal is not None:
        parties_qs = parties_qs.exclude(signal=exclude_signal)
    parties: dict[int, list[SignalParty]] = {i: [] for i in identities}
    for party in parties_qs:
        parties[party.person.linked_to_id or party.person_id].append(party)
    signals_of = {i: {p.signal_id for p in rows} for i, rows in parties.items()}

    # The orders against the persons and those protecting them, as a UNION of two indexed lookups: an OR
    # of the two in one filter makes PostgreSQL scan every order (~40 ms per person at 300,000 signals).
    against = ProtectiveOrder.objects.filter(offender__in=records).order_by()
    protecting = ProtectiveOrder.victims.through.objects.filter(person__in=records).order_by()
    links = (
        against.values_list("id", "offender_id", "offender__linked_to_id")
        .union(protecting.values_list("protectiveorder_id", "person_id", "person__linked_to_id"))
        .order_by()
    )
    orders_of: dict[int, set[int]] = {i: set() for i in identities}
    for order_id, person_id, linked_to in links:
        orders_of[linked_to or person_id].add(order_id)
    orders = {
        o.pk: o
        for o in ProtectiveOrder.objects.visible_to(user)
        .filter(pk__in=set().union(*orders_of.values()), served_at__lte=at)
        .select_related("signal")
    }

    all_signals = set().union(*signals_of.values())
    reconciliations = list(
        ReconciliationDecision.objects.visible_to(user)
        .filter(Q(offender__in=records) | Q(signal_id__in=all_signals), requested_at__lte=at)
        .select_related("rule_set", "signal", "offender")
    )

    histories = []
    for person in persons:
        identity = identity_of[person.pk]
        histories.append(
            PersonHistory(
                person=person,
                at=at,
                parties=parties[identity],
                protective_orders=[orders[i] for i in sorted(orders_of[identity]) if i in orders],
                reconciliations=[
                    r
                    for r in reconciliations
                    if (r.offender.linked_to_id or r.offender_id) == identity
                    or r.signal_id in signals_of[identity]
                ],
            )
        )
    return histories


@dataclass
class PartyRow:
    """A party as a signal's page and card show it: `visible` says whether the user may open the person;
    `relationships` are (what the offender is, the victim's party) for an offender's pairs."""

    party: SignalParty
    visible: bool
    relationships: list[tuple[PartyRelationship, SignalParty]] = field(default_factory=list)


PARTY_ORDER: dict[str, int] = {
    PartyRole.VICTIM: 0,
    PartyRole.OFFENDER: 1,
    PartyRole.CHILD: 2,
    PartyRole.WITNESS: 3,
}


def signal_parties(user: User, signal: Signal) -> list[PartyRow]:
    """The parties of a signal the caller holds through visible_to (its scope grants its parties), victims
    first, with each offender's relationship to each victim: three queries whatever the parties."""
    parties = list(signal.parties.select_related("person").order_by("id"))
    parties.sort(key=lambda p: (PARTY_ORDER.get(p.role, 9), p.pk))
    by_id = {p.pk: p for p in parties}
    visible = visible_person_ids(user, [p.person_id for p in parties])
    rows = {p.pk: PartyRow(party=p, visible=p.person_id in visible) for p in parties}
    for pair in PartyRelationship.objects.filter(signal=signal).order_by("offender_id", "victim_id"):
        if pair.offender_id in rows and pair.victim_id in by_id:
            rows[pair.offender_id].relationships.append((pair, by_id[pair.victim_id]))
    return list(rows.values())


ROLE_COUNT_ORDER = (
    PartyRole.VICTIM,
    PartyRole.OFFENDER,
    PartyRole.CHILD,
    PartyRole.WITNESS,
    PartyRole.REPORTER,
)


def party_role_counts(user: User, persons: Sequence[Person]) -> dict[int, list[tuple[str, int]]]:
    """{person id: [(role label, number of signals)]}: each person's roles in the signals `user` may see,
    for search results to tell persons apart. One query whatever the persons, following each identity
    (the records other agencies keep of the same person, Person.linked_to), as the history does."""
    if not persons:
        return {}
    identity_of = {p.pk: p.linked_to_id or p.pk for p in persons}
    identities = set(identity_of.values())
    records = (
        Person.objects.filter(Q(pk__in=identities) | Q(linked_to__in=identities)).order_by().values("pk")
    )
    rows = (
        SignalParty.objects.visible_to(user)
        .filter(person__in=records)
        .values("person_id", "person__linked_to_id", "role")
        .annotate(n=Count("signal", distinct=True))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {i: {} for i in identities}
    for row in rows:
        identity = row["person__linked_to_id"] or row["person_id"]
        counts[identity][row["role"]] = counts[identity].get(row["role"], 0) + row["n"]
    labels = dict(PartyRole.choices)
    return {
        pk: [
            (str(labels[role]), counts[identity][role])
            for role in ROLE_COUNT_ORDER
            if role in counts[identity]
        ]
        for pk, identity in identity_of.items()
    }


def signal_offenders(signal: Signal) -> QuerySet[Person]:
    """The alleged offenders of a signal the caller already holds through visible_to: the signal's scope
    grants its parties."""
    return Person.objects.filter(
        signal_parties__signal=signal, signal_parties__role=PartyRole.OFFENDER
    ).distinct()


def signal_victims(user: Any, signal: Signal) -> QuerySet[Person]:
    """The victims of a signal the caller holds, whose records `user` may see (a signal's scope and grants
    open its parties: core.permissions.Opening), in the signal's order."""
    ids = SignalParty.objects.filter(signal=signal, role=PartyRole.VICTIM).order_by("id").values("person")
    return Person.objects.visible_to(user, among=ids).order_by("id")


def with_deadlines(queryset: QuerySet[Signal], at: dt.datetime | None = None) -> QuerySet[Any]:
    """Annotate open signals with first_contact_overdue, outcome_overdue and is_overdue at `at`.

    First contact is overdue when no contact is recorded by its due time; the outcome when no outcome is
    recorded by its due time. A victim's refusal stops neither clock. Closed signals are never overdue.
    """
    at = at or timezone.now()
    open_ = ~Q(status=SignalStatus.CLOSED)
    contact = open_ & Q(first_contact_at__isnull=True, first_contact_due__lt=at)
    outcome = open_ & Q(outcome_due__lt=at)

    def flag(condition: Q) -> Case:
        return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())

    return queryset.annotate(
        first_contact_overdue=flag(contact), outcome_overdue=flag(outcome), is_overdue=flag(contact | outcome)
    )


def overdue(queryset: QuerySet[Signal], at: dt.datetime | None = None) -> QuerySet[Any]:
    """Only the signals of `queryset` with a deadline missed at `at` (annotated as in with_deadlines)."""
    return with_deadlines(queryset, at).filter(is_overdue=True)


def inspector_queue(user: User, at: dt.datetime | None = None) -> QuerySet[Any]:
    """Open signals assigned to `user`, overdue first, then by the outcome deadline."""
    queryset = (
        Signal.objects.visible_to(user)
        .filter(assigned_to=user.pk)
        .exclude(status=SignalStatus.CLOSED)
        .select_related("region", "district")
    )
    return with_deadlines(queryset, at).order_by("-is_overdue", "outcome_due", "received_at", "id")


def overdue_by_region(user: User, at: dt.datetime | None = None) -> dict[int, int]:
    """{region id: overdue signals} within the user's scope, for the dashboard tile (not those shared with
    them: the deadlines are the owner's)."""
    rows = (
        overdue(Signal.objects.visible_to(user, grants=False), at)
        .values("region")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["region"]: row["n"] for row in rows}


def signals_by_district(user: User, since: dt.datetime) -> dict[tuple[int, int | None], int]:
    """{(region id, district id or None): signals received since a time} within the user's scope (no
    grants: a shared signal is its owner's figure), for network planning, which checks its own action
    (docs/adding-a-domain.md, "Read-only analytics apps"). Counts only."""
    rows = (
        in_scope(Signal.objects.all(), Signal.scope, user)
        .filter(received_at__gte=since)
        .values("region", "district")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(row["region"], row["district"]): row["n"] for row in rows}


def orders_in_force(user: User, at: dt.datetime | None = None, district: Any = None) -> QuerySet[Any]:
    """Protective orders in force at `at` within scope, optionally of one district, soonest expiry first."""
    at = at or timezone.now()
    queryset = ProtectiveOrder.objects.visible_to(user).filter(
        status=OrderStatus.ACTIVE, served_at__lte=at, expires_at__gt=at
    )
    if district is not None:
        queryset = queryset.filter(signal__district=district)
    return queryset.select_related("signal", "signal__district").order_by("expires_at", "id")


def checks_due(user: User, start: dt.datetime, end: dt.datetime) -> QuerySet[Any]:
    """Checks not yet done that fall due before `end`, of orders still in force at `start`.

    Checks due before `start` are included and flagged `is_overdue`; those of expired orders are not.
    The checks of the user's own scope: an order shared with their agency is checked by its owner.
    """
    return (
        ComplianceCheck.objects.visible_to(user, grants=False)
        .filter(
            done_at__isnull=True,
            due_at__lt=end,
            order__status=OrderStatus.ACTIVE,
            order__expires_at__gt=start,
        )
        .annotate(is_overdue=Case(When(due_at__lt=start, then=Value(True)), default=Value(False)))
        .select_related("order", "order__signal")
        .order_by("due_at", "id")
    )


def signal_list(user: User, action: str = "view") -> QuerySet[Any]:
    """Signals within scope for list pages and exports: deadlines annotated, one query per page whatever
    the rows (region, district and outcome joined)."""
    queryset = Signal.objects.visible_to(user, action).select_related("region", "district", "outcome")
    return with_deadlines(queryset)
