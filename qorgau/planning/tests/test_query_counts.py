"""Query-count baselines of the planning pages (the shape of facilities/tests/test_query_counts.py):
each page with N scenarios, demand points and facilities, and again with 2N; it fails when a count
exceeds the baseline in query_counts.json here, or grows with the rows.

    UPDATE_QUERY_COUNTS=1 .venv/bin/pytest qorgau/planning/tests/test_query_counts.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from qorgau.core.testing import Personas
from qorgau.core.tests.test_query_counts import N, measure, problems

from .factories import analyst, points, shelter, solved

BASELINE = Path(__file__).with_name("query_counts.json")


class Data:
    def __init__(self, p: Personas) -> None:
        self.p = p
        self.planner = analyst(p.astana, agency=p.astana_police)
        self.count = 0
        self.scenario: Any = None

    def add(self, n: int) -> None:
        for _ in range(n):
            self.count += 1
            i = self.count
            points(self.p.astana, [(f"P{i}", 51.0 + i / 50, 71.0 + i / 40, 1000 * i)], prefix=f"q{i}")
            shelter(
                self.p.sysadmin, self.p.astana, lat=f"{51 + i / 30:.5f}", lon="71.40000", name=f"Shelter {i}"
            )
            self.scenario = solved(self.planner, self.p.astana)


TARGETS: list[Any] = [
    ("gap table", lambda d: "/planning/", ("planner",), False),
    ("region gaps", lambda d: f"/planning/regions/{d.p.astana.pk}/", ("planner",), False),
    ("scenario list", lambda d: "/planning/scenarios/", ("planner",), False),
    ("scenario detail", lambda d: f"/planning/scenarios/{d.scenario.pk}/", ("planner",), False),
]


@pytest.mark.django_db
def test_planning_pages_stay_within_the_baseline_and_do_not_grow_with_rows(personas: Personas) -> None:
    data = Data(personas)
    data.add(N)
    small = measure(data, TARGETS)  # type: ignore[arg-type]  # this module's Data
    data.add(N)
    large = measure(data, TARGETS)  # type: ignore[arg-type]
    if os.environ.get("UPDATE_QUERY_COUNTS"):
        BASELINE.write_text(json.dumps(dict(sorted(large.items())), indent=2, ensure_ascii=False) + "\n")
    assert problems(small, large, json.loads(BASELINE.read_text())) == []
