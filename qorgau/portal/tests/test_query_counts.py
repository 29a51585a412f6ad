"""Query-count baselines of the portal's pages (the shape of core/tests/test_query_counts.py, whose
`measure` and `problems` this reuses): the register's list, detail and API list with N activities and
again with 2N; the public pages (anonymous) with N centres and 2N. Fails when a count exceeds the
baseline in query_counts.json here, or grows with the rows.

    UPDATE_QUERY_COUNTS=1 .venv/bin/pytest qorgau/portal/tests/test_query_counts.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from qorgau.core.models import User
from qorgau.core.testing import Personas
from qorgau.core.tests.test_query_counts import N, measure, problems
from qorgau.facilities.services import do_register_facility
from qorgau.facilities.tests.factories import settlement

from .factories import activity, load_pages, prevention_worker

BASELINE = Path(__file__).with_name("query_counts.json")
WORKER = "worker"


class Data:
    def __init__(self, p: Personas) -> None:
        self.p = p
        self.worker = prevention_worker(p)
        self.admin = User.objects.get(pk=p.sysadmin.pk)
        self.town = settlement(p.astana, "Astana", "51.18011", "71.44598")
        self.count = 0
        self.first: Any = None
        load_pages()

    def add(self, n: int) -> None:
        for _ in range(n):
            self.count += 1
            a = activity(self.worker, self.p, title=f"Activity {self.count}")
            self.first = self.first or a
            do_register_facility(
                actor=self.admin,
                name=f"Centre {self.count}",
                settlement=self.town,
                type="crisis_centre",
                operator="ngo",
                address=f"Street {self.count}",
                places={"women": 1},
            )


TARGETS: list[Any] = [
    ("activity list", lambda d: "/prevention/", (WORKER,), False),
    ("activity detail", lambda d: f"/prevention/{d.first.pk}/", (WORKER,), False),
    ("API activities", lambda d: "/api/portal/activities/", (WORKER,), True),
]
PUBLIC = {
    "public home": "/help/en/",
    "public regions": "/help/en/regions/",
    "public region": "/help/en/regions/KZ-71/",
    "public page": "/help/en/page/your-rights/",
    "public write": "/help/en/write/",
}


def measure_public() -> dict[str, int]:
    counts = {}
    for name, url in PUBLIC.items():
        client = Client()
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[f"{name} / anonymous"] = len(queries)
    return counts


@pytest.mark.django_db
def test_portal_pages_stay_within_the_baseline_and_do_not_grow_with_rows(personas: Personas) -> None:
    data = Data(personas)
    data.add(N)
    small = measure(data, TARGETS) | measure_public()  # type: ignore[arg-type]
    data.add(N)
    large = measure(data, TARGETS) | measure_public()  # type: ignore[arg-type]
    if os.environ.get("UPDATE_QUERY_COUNTS"):
        BASELINE.write_text(json.dumps(dict(sorted(large.items())), indent=2, ensure_ascii=False) + "\n")
    assert problems(small, large, json.loads(BASELINE.read_text())) == []
