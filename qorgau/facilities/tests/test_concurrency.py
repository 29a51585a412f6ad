"""Races on PostgreSQL with real, committed, concurrent transactions (one connection per thread): the
capacity row's lock lets exactly one admission or acceptance take the last place.

SQLite serialises writers, so these run only on PostgreSQL (`scripts/test-postgres.sh`, CI). Each test
starts its threads at one barrier so that their transactions overlap.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from qorgau.core.models import Region, Role, User
from qorgau.core.reference import load_regions, load_roles
from qorgau.core.testing import RACE_THREADS, Personas, race

from ..models import Capacity, Placement, PlacementRequest, RequestStatus
from ..services import do_accept_request, do_admit, do_report_vacancies
from .factories import FacilityWorld, load_frozen_reference, make_facility_world

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
        load_frozen_reference()


@pytest.fixture
def fw(personas: Personas) -> FacilityWorld:
    return make_facility_world(personas)


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def women(fw: FacilityWorld) -> Capacity:
    return Capacity.objects.get(facility=fw.shelter, place_type="women")


def test_concurrent_admissions_for_the_last_place_admit_exactly_one(fw: FacilityWorld) -> None:
    do_report_vacancies(actor=fw.manager, facility=fw.shelter, place_type="women", vacant=1)
    cases = [fw.walk_in(f"Race{i}") for i in range(THREADS)]
    results = race(
        lambda i: do_admit(actor=fresh(fw.manager), facility=fw.shelter, case=cases[i], place_type="women")
    )
    won = [r for r in results if isinstance(r, Placement)]
    assert len(won) == 1, results
    assert all(isinstance(r, ValidationError) for r in results if r not in won), results
    capacity = women(fw)
    assert (capacity.vacant, capacity.held) == (0, 0)
    assert Placement.objects.filter(capacity=capacity).count() == 1


def test_concurrent_admissions_never_take_more_places_than_are_vacant(fw: FacilityWorld) -> None:
    cases = [fw.walk_in(f"Many{i}") for i in range(THREADS)]  # 2 vacant places, 6 admissions at once
    results = race(
        lambda i: do_admit(actor=fresh(fw.manager), facility=fw.shelter, case=cases[i], place_type="women")
    )
    assert sum(isinstance(r, Placement) for r in results) == 2, results
    assert women(fw).vacant == 0
    assert Placement.objects.filter(capacity__place_type="women").count() == 2


def test_concurrent_acceptances_hold_the_last_place_once(fw: FacilityWorld) -> None:
    do_report_vacancies(actor=fw.manager, facility=fw.shelter, place_type="women", vacant=1)
    requests = [fw.request() for _ in range(THREADS)]
    results = race(lambda i: do_accept_request(actor=fresh(fw.manager), request=requests[i]))
    won = [r for r in results if isinstance(r, PlacementRequest)]
    assert len(won) == 1, results
    assert all(isinstance(r, ValidationError) for r in results if r not in won), results
    capacity = women(fw)
    assert (capacity.vacant, capacity.held, capacity.free) == (1, 1, 0)
    assert PlacementRequest.objects.filter(status=RequestStatus.ACCEPTED).count() == 1
