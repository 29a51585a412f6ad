"""The Alkire-Foster identification and aggregates on the worked example of Alkire & Foster (2011)."""

from __future__ import annotations

import pytest

from qorgau.familymap.engine.classify import aggregates, classify, families, hits
from qorgau.familymap.engine.rules import parse

from .engine_data import DAY, af_document, af_tables


@pytest.fixture
def classified():
    spec = parse(af_document())
    tables = af_tables()
    return spec, classify(families(tables["civil_persons"]), hits(tables, spec, DAY), spec)


def test_scores_and_identification(classified):
    spec, table = classified
    rows = table.order_by("family_id").to_pandas()
    assert rows.score.tolist() == [0.0, 0.5, 1.0, 0.25]  # c = (0, 2, 4, 1) of 4 dimensions
    assert rows.poor.tolist() == [False, True, True, False]  # k = 2 dimensions
    assert [spec.codes_of_mask(m) for m in rows["mask"]] == [
        [],
        ["schooling", "insurance"],
        ["income", "schooling", "bmi", "insurance"],
        ["schooling"],
    ]
    assert rows.level.tolist() == [0, 2, 4, 1]  # A, C, E, B by the thresholds 1/4, 1/2, 3/4, 1


def test_headcount_intensity_adjusted_headcount(classified):
    _, table = classified
    row = aggregates(table, by=()).to_pandas().iloc[0]
    assert (row.n, row.q) == (4, 2)
    assert row.H == 0.5
    assert row.A == 0.75
    assert row.M0 == 0.375  # 6/16 in the paper


def test_union_and_intersection_are_the_extreme_cut_offs():
    tables = af_tables()
    for k, poor in (("1/4", [False, True, True, True]), ("1", [False, False, True, False])):
        spec = parse(af_document() | {"k": k})
        table = classify(families(tables["civil_persons"]), hits(tables, spec, DAY), spec)
        assert table.order_by("family_id").poor.to_pandas().tolist() == poor


def test_aggregates_per_region_and_district():
    spec = parse(af_document())
    tables = af_tables()
    tables["civil_persons"] = tables["civil_persons"].mutate(
        district=(tables["civil_persons"].person_id <= 2).ifelse("KZ-71-01", "KZ-71-02")
    )
    table = classify(families(tables["civil_persons"]), hits(tables, spec, DAY), spec)
    rows = aggregates(table).order_by("district").to_pandas()
    assert rows.district.tolist() == ["KZ-71-01", "KZ-71-02"]
    assert rows.q.tolist() == [1, 1]
    assert rows.H.tolist() == [0.5, 0.5]
    assert rows.A.tolist() == [0.5, 1.0]
    assert rows.M0.tolist() == [0.25, 0.5]
    assert rows.level_C.tolist() == [1, 0] and rows.level_E.tolist() == [0, 1]
