"""Query-count baselines of the family map pages (the shape of facilities/tests/test_query_counts.py): each
page with N rows of every kind and again with 2N; it fails when a count exceeds the baseline in
query_counts.json here, or grows with the rows (an N+1).

    UPDATE_QUERY_COUNTS=1 .venv/bin/pytest qorgau/familymap/tests/test_query_counts.py
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

from qorgau.core.models import District
from qorgau.core.testing import Personas
from qorgau.core.tests.test_query_counts import N, measure, problems

from ..engine.rules import default_document
from ..models import DistrictAggregate, LevelChange, RuleSet, RuleSetStatus, Run, RunKind, RunStatus
from .factories import analyst

BASELINE = Path(__file__).with_name("query_counts.json")


class Data:
    def __init__(self, p: Personas) -> None:
        self.p = p
        self.analyst = analyst("qc_analyst", p, p.astana)
        self.rules = RuleSet.objects.get(status=RuleSetStatus.PUBLISHED)
        self.refresh = self._run(RunKind.REFRESH)
        self.dry = self._run(RunKind.DRY_RUN)
        self.draft = RuleSet.objects.create(version=500, name="QC draft", document=default_document())
        self.count = 0

    def _run(self, kind: str) -> Run:
        number = (Run.objects.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        return Run.objects.create(
            number=number,
            kind=kind,
            status=RunStatus.DONE,
            rule_set=self.rules,
            active=None,
            reference_date=dt.date(2026, 1, 1),
            run_dir=f"/nonexistent/{number}",
            started_by=self.analyst,
        )

    def add(self, n: int) -> None:
        for _ in range(n):
            self.count += 1
            i = self.count
            district = District.objects.create(region=self.p.astana, code=f"QC-{i}", name_en=f"QC {i}")
            DistrictAggregate.objects.create(
                run=self.refresh,
                region=self.p.astana,
                district=district,
                district_code=district.code,
                families=10,
                identified=1,
                headcount=0.1,
                intensity=0.4,
                adjusted_headcount=0.04,
                levels={"A": 5, "B": 4, "C": 1, "D": 0, "E": 0},
            )
            LevelChange.objects.create(
                run=self.dry,
                region=self.p.astana,
                district=district,
                district_code=district.code,
                from_level="B",
                to_level="C",
                families=i,
            )
            self._run(RunKind.REFRESH)
            RuleSet.objects.create(version=600 + i, name=f"QC draft {i}", document=default_document())


ANALYST = "analyst"
TARGETS: list[Any] = [
    ("run list", lambda d: "/familymap/runs/", (ANALYST,), False),
    ("run detail", lambda d: f"/familymap/runs/{d.refresh.pk}/", (ANALYST,), False),
    ("dry run detail", lambda d: f"/familymap/runs/{d.dry.pk}/", (ANALYST,), False),
    ("rule set list", lambda d: "/familymap/rules/", (ANALYST,), False),
    ("rule set detail", lambda d: f"/familymap/rules/{d.draft.pk}/", (ANALYST,), False),
]


@pytest.mark.django_db
def test_family_map_pages_stay_within_the_baseline_and_do_not_grow_with_rows(personas: Personas) -> None:
    data = Data(personas)
    data.add(N)
    small = measure(data, TARGETS)  # type: ignore[arg-type]  # this module's Data
    data.add(N)
    large = measure(data, TARGETS)  # type: ignore[arg-type]
    if os.environ.get("UPDATE_QUERY_COUNTS"):
        BASELINE.write_text(json.dumps(dict(sorted(large.items())), indent=2, ensure_ascii=False) + "\n")
    assert problems(small, large, json.loads(BASELINE.read_text())) == []
