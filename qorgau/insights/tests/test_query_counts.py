"""Query-count baselines of the insights pages (the shape of core/tests/test_query_counts.py, whose
`measure` and `problems` this reuses): each page with N signals of each region and again with 2N; it
fails when a count exceeds the baseline in query_counts.json here, or grows with the rows.

    UPDATE_QUERY_COUNTS=1 .venv/bin/pytest qorgau/insights/tests/test_query_counts.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from qorgau.core.testing import Personas
from qorgau.core.tests.test_query_counts import N, measure, problems

from .factories import InsightsWorld, make_insights_world

BASELINE = Path(__file__).with_name("query_counts.json")


class Data:
    def __init__(self, p: Personas) -> None:
        self.p = p
        self.iw: InsightsWorld = make_insights_world(p)
        self.analyst, self.national = self.iw.analyst, self.iw.national

    def add(self, n: int) -> None:
        for i in range(n):
            signal = self.iw.signal(days_ago=1 + i % 20, children_present=bool(i % 2))
            self.iw.signal(days_ago=2 + i % 20, shymkent=True)
            if i % 2:
                self.iw.decide(signal)


ANALYST, NATIONAL = "analyst", "national"
TARGETS: list[Any] = [
    ("dashboard", lambda d: "/insights/", (ANALYST, NATIONAL), False),
    ("region", lambda d: "/insights/KZ-71/", (ANALYST,), False),
    ("report", lambda d: "/insights/KZ-71/report/", (ANALYST,), False),
    ("export", lambda d: "/insights/export/regions/?format=csv", (NATIONAL,), False),
    ("open data", lambda d: "/open-data/", (ANALYST,), False),
]


@pytest.mark.django_db
def test_insights_pages_stay_within_the_baseline_and_do_not_grow_with_rows(personas: Personas) -> None:
    data = Data(personas)
    data.add(N)
    small = measure(data, TARGETS)  # type: ignore[arg-type]  # this module's Data
    data.add(N)
    large = measure(data, TARGETS)  # type: ignore[arg-type]
    if os.environ.get("UPDATE_QUERY_COUNTS"):
        BASELINE.write_text(json.dumps(dict(sorted(large.items())), indent=2, ensure_ascii=False) + "\n")
    assert problems(small, large, json.loads(BASELINE.read_text())) == []
