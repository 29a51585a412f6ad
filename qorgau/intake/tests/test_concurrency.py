"""Races on PostgreSQL with real, committed, concurrent transactions (one connection per thread).

SQLite serialises writers, so these run only on PostgreSQL (`make test-postgres`, CI). Each test starts
its threads at one barrier so that their transactions overlap.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from qorgau.core.models import AuditEvent, Region, Role, User
from qorgau.core.permissions import Scope
from qorgau.core.reference import load_regions, load_roles
from qorgau.core.testing import RACE_THREADS, AgencyFactory, Personas, race
from qorgau.people.iin import make_iin
from qorgau.people.models import Person
from qorgau.people.services import do_create_person

from ..models import DeadlineRule, LegalRuleSet, ReconciliationRule, Signal
from ..reference import load_deadlines, load_reconciliation_rules
from .factories import World, make_world, new_user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"),
]

THREADS = RACE_THREADS


@pytest.fixture(autouse=True)
def _reference_data(django_db_setup: None, django_db_blocker: Any) -> None:
    # A transactional test empties every table afterwards, the migrations' reference data included.
    with django_db_blocker.unblock():
        load_regions(Region)
        load_roles(Role)
        load_deadlines(DeadlineRule)
        load_reconciliation_rules(LegalRuleSet, ReconciliationRule)


@pytest.fixture
def world(personas: Personas) -> World:
    return make_world(personas)


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def test_concurrent_registrations_get_distinct_consecutive_numbers(world: World) -> None:
    received = timezone.now() - dt.timedelta(minutes=10)
    results = race(lambda i: world.register(actor=fresh(world.officer), received_at=received))
    assert all(isinstance(r, Signal) for r in results), results
    numbers = sorted(int(r.registration_number.rsplit("-", 1)[1]) for r in results)
    assert numbers == list(range(1, THREADS + 1))


def test_concurrent_retries_with_one_key_register_one_signal(world: World) -> None:
    received = timezone.now() - dt.timedelta(minutes=10)
    results = race(
        lambda i: world.register(actor=fresh(world.officer), received_at=received, idempotency_key="same")
    )
    assert all(isinstance(r, Signal) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Signal.objects.count() == 1
    assert sum(not r.idempotent_replay for r in results) == 1
    assert AuditEvent.objects.filter(action="signal.register").count() == 1


def test_one_iin_registered_at_once_in_one_agency_is_one_record(world: World) -> None:
    iin = make_iin(dt.date(1990, 5, 5), "F", serial=77)
    results = race(
        lambda i: do_create_person(actor=fresh(world.officer), iin=iin, surname="Race", given_name="One")
    )
    assert all(isinstance(r, tuple) for r in results), results
    assert len({person.pk for person, _created in results}) == 1
    assert sum(created for _person, created in results) == 1
    assert Person.objects.count() == 3  # the world's victim and offender, and this one


def test_one_iin_registered_at_once_by_agencies_that_cannot_see_each_other(world: World) -> None:
    iin = make_iin(dt.date(1990, 5, 5), "F", serial=78)
    officers = [
        new_user(
            agency=AgencyFactory.create(name=f"Agency {i}", region=world.p.astana),
            role=world.officer.role,
            scope=Scope.AGENCY,
        )
        for i in range(THREADS)
    ]
    results = race(
        lambda i: do_create_person(actor=fresh(officers[i]), iin=iin, surname="Race", given_name=str(i))
    )
    assert all(isinstance(r, tuple) and r[1] for r in results), results  # each answered "created"
    records = Person.objects.filter(surname="Race")
    assert records.count() == THREADS
    identity = records.get(linked_to__isnull=True)  # exactly one identity record
    assert set(records.exclude(pk=identity.pk).values_list("linked_to", flat=True)) == {identity.pk}


def test_concurrent_decisive_measures_close_a_signal_once(world: World) -> None:
    from django.core.exceptions import ValidationError

    from ..models import Outcome, OutcomeKind
    from ..services import do_record_outcome

    signal = world.register()
    results = race(
        lambda i: do_record_outcome(
            actor=fresh(world.inspector), signal=signal, kind=OutcomeKind.NO_OFFENCE, reason=f"try {i}"
        )
    )
    won = [r for r in results if isinstance(r, Outcome)]
    assert len(won) == 1, results
    assert all(
        isinstance(r, ValidationError) and "correction_reason" in r.message_dict
        for r in results
        if r not in won
    )
    assert Outcome.objects.filter(signal=signal, superseded_at__isnull=True).count() == 1
    signal.refresh_from_db()
    assert signal.outcome_id == won[0].pk
