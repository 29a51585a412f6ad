"""Scope cases of every facilities route (see qorgau/core/testing_matrix.py).

The world: an Astana shelter (a crisis centre run by its own agency) with its manager, an Astana crisis
centre whose case worker owns a case and asks the shelter for a place. The Shymkent twins hold the same
roles at Shymkent agencies: they reach none of these objects.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from qorgau.cases.models import Case as VictimCase
from qorgau.cases.services import do_open_case
from qorgau.core.models import AgencyType, User
from qorgau.core.permissions import Scope
from qorgau.core.testing import AgencyFactory, UserFactory, role
from qorgau.core.testing_matrix import Case, World, builds
from qorgau.people.services import do_create_person, do_record_consent

from ..models import (
    Capacity,
    Facility,
    Placement,
    PlacementRequest,
    RequestStatus,
    Settlement,
    WaitingEntry,
)
from ..services import (
    do_accept_request,
    do_add_to_waiting_list,
    do_admit,
    do_register_facility,
    do_request_placement,
)

MANAGER = "astana_manager"
WORKER = "astana_worker"
ANALYST = "astana_analyst"
ADMIN = "sysadmin"
NATIONAL = "system administrators work nationally: there is no Shymkent twin"
NO_FACILITY = "the twin's agency runs no facility: the manager's pages of their own do not exist (404)"


@builds("fac_settlement")
def _settlement(w: World) -> Settlement:
    return Settlement.objects.create(
        region=w.p.astana,
        name_en="Astana",
        name_ru="Астана",
        name_kk="Астана",
        latitude=Decimal("51.18011"),
        longitude=Decimal("71.44598"),
        population=1_350_000,
    )


@builds("fac_facility")
def _facility(w: World) -> Facility:
    return do_register_facility(
        actor=w.user(ADMIN),
        name="Matrix Shelter",
        settlement=w["fac_settlement"],
        type="crisis_centre",
        operator="ngo",
        address="Matrix street 1",
        places={"women": 3, "women_children": 4},
    )


@builds(MANAGER)
def _manager(w: World) -> User:
    user = UserFactory.create(
        username="matrix_manager",
        agency=w["fac_facility"].agency,
        role=role("facility_manager"),
        scope=Scope.AGENCY,
    )
    return User.objects.get(pk=user.pk)


@builds(WORKER)
def _worker(w: World) -> User:
    centre = AgencyFactory.create(
        name="Matrix Crisis Centre", type=AgencyType.CRISIS_CENTRE, region=w.p.astana
    )
    user = UserFactory.create(
        username="matrix_worker", agency=centre, role=role("case_worker"), scope=Scope.AGENCY
    )
    return User.objects.get(pk=user.pk)


@builds(ANALYST)
def _analyst(w: World) -> User:
    user = UserFactory.create(
        username="matrix_analyst",
        agency=w.p.astana_police,
        role=role("analyst"),
        scope=Scope.REGIONS,
        regions=[w.p.astana],
    )
    return User.objects.get(pk=user.pk)


@builds("fac_case")
def _case(w: World) -> VictimCase:
    worker = w.user(WORKER)
    person, _ = do_create_person(actor=worker, surname="Matrix", given_name="Aruzhan", sex="F")
    return do_open_case(actor=worker, victim=person)


@builds("fac_consent")
def _consent(w: World) -> Any:
    now = timezone.now()
    return do_record_consent(
        actor=w.user(WORKER),
        person=w["fac_case"].victim,
        purpose="shelter",
        receiving_agency=w["fac_facility"].agency,
        granted_at=now - dt.timedelta(minutes=1),
        expires_at=now + dt.timedelta(days=90),
    )


@builds("fac_request")
def _request(w: World) -> PlacementRequest:
    w["fac_consent"]
    return do_request_placement(
        actor=w.user(WORKER), case=w["fac_case"], facility=w["fac_facility"], place_type="women"
    )


@builds("fac_accepted_request")
def _accepted(w: World) -> PlacementRequest:
    return do_accept_request(actor=w.user(MANAGER), request=w["fac_request"])


@builds("fac_placement")
def _placement(w: World) -> Placement:
    request = w["fac_accepted_request"]
    return do_admit(actor=w.user(MANAGER), facility=w["fac_facility"], case=request.case, request=request)


@builds("fac_capacity")
def _capacity(w: World) -> Capacity:
    return Capacity.objects.get(facility=w["fac_facility"], place_type="women")


@builds("fac_waiting")
def _waiting(w: World) -> WaitingEntry:
    return do_add_to_waiting_list(
        actor=w.user(WORKER), facility=w["fac_facility"], case=w["fac_case"], place_type="women"
    )


def pk(name: str) -> Any:
    return lambda w: {"pk": w[name].pk}


def case_and_facility(w: World) -> dict[str, int]:
    w["fac_consent"]
    return {"case_pk": w["fac_case"].pk, "facility_pk": w["fac_facility"].pk}


def built_network(w: World) -> dict[str, Any]:
    w["fac_facility"]  # the network has the Astana shelter
    return {}


def manager_ready(w: World) -> dict[str, Any]:
    w.user(MANAGER)
    return {}


def stepped(w: World, response: Any) -> None:
    assert Capacity.objects.get(pk=w["fac_capacity"].pk).vacant == 2


def accepted(w: World, response: Any) -> None:
    assert PlacementRequest.objects.get(pk=w["fac_request"].pk).status == RequestStatus.ACCEPTED


def admitted(w: World, response: Any) -> None:
    assert Placement.objects.filter(request=w["fac_accepted_request"]).exists()


def discharged(w: World, response: Any) -> None:
    assert Placement.objects.get(pk=w["fac_placement"].pk).discharged_at is not None


def extended(w: World, response: Any) -> None:
    placement = Placement.objects.get(pk=w["fac_placement"].pk)
    assert placement.extensions.count() == 1


def requested(w: World, response: Any) -> None:
    assert PlacementRequest.objects.filter(case=w["fac_case"], facility=w["fac_facility"]).exists()


def waiting(w: World, response: Any) -> None:
    assert w["fac_facility"].waiting.filter(case=w["fac_case"]).exists()


def withdrawn(w: World, response: Any) -> None:
    assert PlacementRequest.objects.get(pk=w["fac_request"].pk).status == RequestStatus.WITHDRAWN


FACILITY_FORM = {
    "name": "Matrix New Centre",
    "type": "family_support",
    "operator": "state",
    "opening_mode": "day",
    "teenage_son_max_age": 17,
    "places_women": 2,
    "places_women_children": 0,
    "places_men": 0,
    "places_minors": 0,
    "places_disability": 0,
}

CASES = [
    Case("facilities:facility_list", "GET", ADMIN, 200, other_region=None, why=NATIONAL),
    Case("facilities:facility_create", "GET", ADMIN, 200, other_region=None, why=NATIONAL),
    Case(
        "facilities:facility_create",
        "POST",
        ADMIN,
        302,
        data=lambda w: {**FACILITY_FORM, "settlement": w["fac_settlement"].pk},
        other_region=None,
        why=NATIONAL,
    ),
    Case("facilities:facility_detail", "GET", MANAGER, 200, kwargs=pk("fac_facility")),
    Case("facilities:manage", "GET", MANAGER, 200, kwargs=manager_ready, other_region=404, why=NO_FACILITY),
    Case(
        "facilities:vacancy_step",
        "POST",
        MANAGER,
        302,
        kwargs=pk("fac_capacity"),
        data=lambda w: {"step": "-1"},
        check=stepped,
    ),
    Case(
        "facilities:vacancy_confirm",
        "POST",
        MANAGER,
        302,
        kwargs=manager_ready,
        other_region=404,
        why=NO_FACILITY,
    ),
    Case(
        "facilities:request_answer",
        "POST",
        MANAGER,
        302,
        kwargs=pk("fac_request"),
        data=lambda w: {"answer": "accept"},
        check=accepted,
    ),
    Case("facilities:request_admit", "POST", MANAGER, 302, kwargs=pk("fac_accepted_request"), check=admitted),
    Case("facilities:discharge", "GET", MANAGER, 200, kwargs=pk("fac_placement")),
    Case(
        "facilities:discharge",
        "POST",
        MANAGER,
        302,
        kwargs=pk("fac_placement"),
        data=lambda w: {"destination": "relatives", "outcome": "completed"},
        check=discharged,
    ),
    Case("facilities:extend", "GET", MANAGER, 200, kwargs=pk("fac_placement")),
    Case(
        "facilities:extend",
        "POST",
        MANAGER,
        302,
        kwargs=pk("fac_placement"),
        data=lambda w: {
            "new_end": (w["fac_placement"].planned_end + dt.timedelta(days=20)).isoformat(),
            "reason": "Housing court hearing pending",
        },
        check=extended,
    ),
    Case(
        "facilities:search",
        "GET",
        WORKER,
        200,
        kwargs=lambda w: {"case_pk": w["fac_case"].pk},
        query="place_type=women",
    ),
    Case(
        "facilities:request_create",
        "POST",
        WORKER,
        302,
        kwargs=case_and_facility,
        data=lambda w: {"place_type": "women", "children": "", "note": "Tonight"},
        check=requested,
    ),
    Case(
        "facilities:waiting_add",
        "POST",
        WORKER,
        302,
        kwargs=case_and_facility,
        data=lambda w: {"place_type": "women"},
        check=waiting,
    ),
    Case("facilities:request_list", "GET", WORKER, 200, shows=lambda w: w["fac_request"].code),
    Case("facilities:request_detail", "GET", WORKER, 200, kwargs=pk("fac_request")),
    Case(
        "facilities:request_withdraw",
        "POST",
        WORKER,
        302,
        kwargs=pk("fac_request"),
        data=lambda w: {"reason": "She went to her sister"},
        check=withdrawn,
    ),
    Case(
        "facilities:network", "GET", ANALYST, 200, shows=lambda w: w["fac_facility"] and 'data-region="KZ-71"'
    ),
]

NETWORK = "the vacancy search covers the whole network for every case worker: counts, never an address"
OTHERS_CASE = "the Astana case is not the twin's: its id 'does not exist' in the form (400), nothing written"


def api_row(name: str) -> Any:
    return lambda w: f'"id":{w[name].pk},'


CASES += [
    Case(
        "facility-vacancy-search",
        "GET",
        WORKER,
        200,
        query="place_type=women",
        kwargs=built_network,
        other_region=200,
        why=NETWORK,
    ),
    Case("placement-request-list", "GET", WORKER, 200, shows=api_row("fac_request")),
    Case(
        "placement-request-list",
        "POST",
        WORKER,
        201,
        data=lambda w: {
            "case": case_and_facility(w)["case_pk"],
            "facility": w["fac_facility"].pk,
            "place_type": "women",
        },
        headers={"Idempotency-Key": "matrix-facilities-1"},
        other_region=400,
        why=OTHERS_CASE,
        check=requested,
    ),
    Case("placement-request-detail", "GET", WORKER, 200, kwargs=pk("fac_request")),
    Case("placement-request-accept", "POST", MANAGER, 200, kwargs=pk("fac_request"), check=accepted),
    Case(
        "placement-request-decline",
        "POST",
        MANAGER,
        200,
        kwargs=pk("fac_request"),
        data=lambda w: {"decline_reason": "no_capacity"},
    ),
    Case(
        "placement-request-withdraw",
        "POST",
        WORKER,
        200,
        kwargs=pk("fac_request"),
        data=lambda w: {"reason": "She went to her sister"},
        check=withdrawn,
    ),
    Case("capacity-list", "GET", MANAGER, 200, shows=api_row("fac_capacity")),
    Case(
        "capacity-step",
        "POST",
        MANAGER,
        200,
        kwargs=pk("fac_capacity"),
        data=lambda w: {"step": -1},
        check=stepped,
    ),
]

THIS_YEAR = timezone.localdate().year
OWN_HISTORY = "each manager reads their own facility's history (the twin's agency runs none: zero places)"
NOT_THEIRS = "the Astana case or request 'does not exist' for the twin (400), nothing written"


def extension(w: World) -> dict[str, Any]:
    end = w["fac_placement"].planned_end + dt.timedelta(days=20)
    return {"new_end": end.isoformat(), "reason": "The court hearing is next month"}


def removed(w: World, response: Any) -> None:
    assert WaitingEntry.objects.get(pk=w["fac_waiting"].pk).removal == "elsewhere"


CASES += [
    Case(
        "facilities:network_occupancy",
        "GET",
        ANALYST,
        200,
        kwargs=built_network,
        shows=lambda w: f'<option value="{w.p.astana.pk}"',
    ),
    Case("facilities:facility_occupancy", "GET", MANAGER, 200, kwargs=pk("fac_facility")),
    Case(
        "capacity-report",
        "POST",
        MANAGER,
        200,
        kwargs=pk("fac_capacity"),
        data=lambda w: {"vacant": 2},
        check=stepped,
    ),
    Case("capacity-history", "GET", MANAGER, 200, kwargs=pk("fac_capacity")),
    Case("facility-list", "GET", MANAGER, 200, shows=api_row("fac_facility")),
    Case(
        "facility-list",
        "POST",
        ADMIN,
        201,
        data=lambda w: {
            "name": "Matrix API Centre",
            "type": "family_support",
            "operator": "state",
            "settlement": w["fac_settlement"].pk,
            "places": {"women": 2},
        },
        headers={"Idempotency-Key": "matrix-facility-1"},
        other_region=None,
        why=NATIONAL,
    ),
    Case("facility-detail", "GET", MANAGER, 200, kwargs=pk("fac_facility")),
    Case(
        "facility-detail",
        "PATCH",
        ADMIN,
        200,
        kwargs=pk("fac_facility"),
        data=lambda w: {"takes_pets": True},
        other_region=None,
        why=NATIONAL,
    ),
    Case("placement-list", "GET", MANAGER, 200, shows=api_row("fac_placement")),
    Case(
        "placement-list",
        "POST",
        MANAGER,
        201,
        data=lambda w: {"case": w["fac_accepted_request"].case_id, "request": w["fac_accepted_request"].pk},
        headers={"Idempotency-Key": "matrix-admit-1"},
        other_region=400,
        why=NOT_THEIRS,
        check=admitted,
    ),
    Case("placement-detail", "GET", MANAGER, 200, kwargs=pk("fac_placement")),
    Case(
        "placement-extend", "POST", MANAGER, 200, kwargs=pk("fac_placement"), data=extension, check=extended
    ),
    Case(
        "placement-discharge",
        "POST",
        MANAGER,
        200,
        kwargs=pk("fac_placement"),
        data=lambda w: {"destination": "relatives", "outcome": "completed"},
        check=discharged,
    ),
    Case("waiting-entry-list", "GET", WORKER, 200, shows=api_row("fac_waiting")),
    Case(
        "waiting-entry-list",
        "POST",
        WORKER,
        201,
        data=lambda w: {
            "case": case_and_facility(w)["case_pk"],
            "facility": w["fac_facility"].pk,
            "place_type": "women",
        },
        headers={"Idempotency-Key": "matrix-waiting-1"},
        other_region=400,
        why=OTHERS_CASE,
        check=waiting,
    ),
    Case("waiting-entry-detail", "GET", WORKER, 200, kwargs=pk("fac_waiting")),
    Case(
        "waiting-entry-remove",
        "POST",
        WORKER,
        200,
        kwargs=pk("fac_waiting"),
        data=lambda w: {"removal": "elsewhere"},
        check=removed,
    ),
    Case(
        "occupancy-today",
        "GET",
        ANALYST,
        200,
        kwargs=built_network,
        shows=lambda w: '"region":"KZ-71"',
    ),
    Case(
        "occupancy-daily",
        "GET",
        MANAGER,
        200,
        query=f"start={THIS_YEAR}-01-01&end={THIS_YEAR}-12-31",
        kwargs=built_network,
        shows=lambda w: '"beds":7,',
        why=OWN_HISTORY,
    ),
]

EXEMPT: dict[str, str] = {}
