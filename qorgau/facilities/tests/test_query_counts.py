"""Query-count baselines of the facilities pages (the shape of core/tests/test_query_counts.py, whose
`measure` and `problems` this reuses): each page with N rows of every kind and again with 2N; it fails
when a count exceeds the baseline in query_counts.json here, or grows with the rows (an N+1).

    UPDATE_QUERY_COUNTS=1 .venv/bin/pytest qorgau/facilities/tests/test_query_counts.py

The baseline lives beside this file while core's test lists every key of core's file as a target of
its own; it can move into core/tests/query_counts.json when core's targets are collected from the apps.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from qorgau.core.testing import Personas
from qorgau.core.tests.test_query_counts import N, measure, problems

from ..services import do_accept_request, do_add_to_waiting_list, do_admit
from .factories import FacilityWorld, make_facility_world

BASELINE = Path(__file__).with_name("query_counts.json")


class Data:
    def __init__(self, p: Personas) -> None:
        self.p = p
        self.fw: FacilityWorld = make_facility_world(p)
        self.manager, self.worker, self.sysadmin = self.fw.manager, self.fw.worker, self.fw.sysadmin
        self.case = self.fw.case()
        self.count = 0

    def add(self, n: int) -> None:
        fw = self.fw
        for _ in range(n):
            self.count += 1
            i = self.count
            fw.facility(f"Extra Centre {i}", where=fw.shymkent_city if i % 2 else fw.astana_city)
            waiting = fw.request()  # one waits for the answer
            accepted = fw.request(children=[i % 10])  # one is held
            do_accept_request(actor=fw.manager, request=accepted)
            staying = fw.request()
            do_accept_request(actor=fw.manager, request=staying)
            do_admit(actor=fw.manager, facility=fw.shelter, case=staying.case, request=staying)
            do_add_to_waiting_list(
                actor=fw.worker, facility=fw.shelter, case=waiting.case, place_type="women"
            )
            # room for the next round
            for capacity in fw.shelter.capacities.all():
                capacity.beds += 4
                capacity.vacant += 4
                capacity.save()


MANAGER, WORKER, ADMIN = "manager", "worker", "sysadmin"

TARGETS: list[Any] = [  # core's Target, over this module's Data
    ("facility register", lambda d: "/facilities/", (ADMIN,), False),
    ("facility detail", lambda d: f"/facilities/{d.fw.shelter.pk}/", (MANAGER,), False),
    ("manager page", lambda d: "/facilities/manage/", (MANAGER,), False),
    ("request list", lambda d: "/facilities/requests/", (WORKER,), False),
    (
        "vacancy search",
        lambda d: f"/facilities/search/{d.case.pk}/?place_type=women&include_full=on",
        (WORKER,),
        False,
    ),
    ("network", lambda d: "/facilities/network/", (ADMIN,), False),
    ("network occupancy", lambda d: "/facilities/network/occupancy/", (ADMIN,), False),
    ("facility occupancy", lambda d: f"/facilities/{d.fw.shelter.pk}/occupancy/", (MANAGER,), False),
    ("home", lambda d: "/", (MANAGER, WORKER), False),
    ("API requests", lambda d: "/api/facilities/requests/", (WORKER, MANAGER), True),
    ("API capacities", lambda d: "/api/facilities/capacities/", (MANAGER,), True),
    ("API facilities", lambda d: "/api/facilities/register/", (ADMIN, MANAGER), True),
    ("API placements", lambda d: "/api/facilities/placements/", (MANAGER,), True),
    ("API waiting list", lambda d: "/api/facilities/waiting/", (MANAGER, WORKER), True),
    ("API occupancy today", lambda d: "/api/facilities/occupancy/today/", (ADMIN,), True),
    (
        "API vacancy search",
        lambda d: "/api/facilities/vacancies/search/?place_type=women&include_full=true",
        (WORKER,),
        True,
    ),
]


@pytest.mark.django_db
def test_facility_pages_stay_within_the_baseline_and_do_not_grow_with_rows(personas: Personas) -> None:
    data = Data(personas)
    data.add(N)
    small = measure(data, TARGETS)  # type: ignore[arg-type]  # this module's Data
    data.add(N)
    large = measure(data, TARGETS)  # type: ignore[arg-type]
    if os.environ.get("UPDATE_QUERY_COUNTS"):
        BASELINE.write_text(json.dumps(dict(sorted(large.items())), indent=2, ensure_ascii=False) + "\n")
    assert problems(small, large, json.loads(BASELINE.read_text())) == []
