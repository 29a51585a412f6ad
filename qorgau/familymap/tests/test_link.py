# ruff: noqa: S608  (SQL over the test's own files)
from __future__ import annotations

import duckdb
import pytest

from qorgau.familymap.engine.inputs import validate_inputs
from qorgau.familymap.engine.inputs.iin import is_valid_one
from qorgau.familymap.engine.link import link_sources
from qorgau.familymap.tests.fmdata_sets import column_names, copy_set, rows, synthetic_set


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    return synthetic_set(tmp_path_factory)


@pytest.fixture(scope="module")
def exact(inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("linked-exact")
    return out, link_sources(inputs, out, probabilistic=False)


def test_exact_links_keep_every_row_and_add_the_link_columns(inputs, exact):
    out, report = exact
    for source in ("benefits", "employment", "health", "education", "housing"):
        before = column_names(f"SELECT * FROM '{inputs}/{source}.parquet'")
        after = column_names(f"SELECT * FROM '{out}/{source}.parquet'")
        assert after == [*before, "person_id", "link_method", "match_probability"]
        ids = rows(f"SELECT record_id FROM '{inputs}/{source}.parquet'")
        assert rows(f"SELECT record_id FROM '{out}/{source}.parquet'") == ids
        counts = report.sources[source]
        assert counts.rows == len(ids)
        assert counts.iin + counts.probabilistic + counts.review + counts.none == counts.rows
    spine = rows(f"SELECT DISTINCT link_method FROM '{out}/civil_persons.parquet'")
    assert spine == [("spine",)]


def test_exact_iin_links_are_right(exact):
    _, report = exact
    assert report.quality is not None
    with_iin = report.quality["with_valid_iin"]
    assert with_iin.precision == 1.0
    assert with_iin.recall > 0.995  # a few valid-but-wrong IINs are refused by the name check
    assert report.quality["without_valid_iin"].linked == 0  # no probabilistic step here


def test_a_mistyped_iin_that_passes_the_check_is_not_linked_to_a_stranger(inputs, exact):
    out, _ = exact
    wrong = rows(
        f"""SELECT count(*) FROM '{out}/employment.parquet' o
        JOIN '{inputs}/truth.parquet' t ON t.record_id = o.record_id
        WHERE o.link_method = 'iin' AND o.person_id <> t.person_id"""
    )
    assert wrong == [(0,)]


@pytest.fixture(scope="module")
def splinked(inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("linked")
    return out, link_sources(inputs, out)


def test_records_without_a_valid_iin_are_linked_probabilistically_with_high_precision(splinked):
    out, report = splinked
    assert report.quality is not None
    without = report.quality["without_valid_iin"]
    assert without.records > 800  # about 5 % of 22,000 records
    assert without.precision >= 0.99
    assert without.recall >= 0.95
    assert report.quality["all"].precision >= 0.999
    methods = dict(rows(f"SELECT link_method, count(*) FROM '{out}/employment.parquet' GROUP BY 1"))
    assert methods["iin"] > 7000 and methods["probabilistic"] > 200
    probabilities = rows(
        f"""SELECT min(match_probability), max(match_probability) FROM '{out}/employment.parquet'
        WHERE link_method = 'probabilistic'"""
    )[0]
    assert probabilities[0] >= report.threshold and probabilities[1] <= 1.0
    counts = report.sources["employment"]
    assert counts.probabilistic == methods["probabilistic"]


def test_an_ambiguous_record_goes_to_review_and_stays_unlinked(tmp_path, inputs):
    """Twins in the civil registry with the same name, birth date and address: a registry record without
    an IIN fits both, so both pairs go to review and the record is not guessed."""
    data = copy_set(inputs, tmp_path / "twins")
    person = rows(
        f"SELECT * FROM '{data}/civil_persons.parquet' WHERE role = 'child' ORDER BY person_id LIMIT 1"
    )
    cols = column_names(f"SELECT * FROM '{data}/civil_persons.parquet'")
    p = dict(zip(cols, person[0], strict=True))
    taken = {r[0] for r in rows(f"SELECT iin FROM '{data}/civil_persons.parquet'")}
    prefix = p["iin"] // 100000 * 10000  # YYMMDD and the century digit, serial 0000
    twin_iin = next(
        int(i)
        for i in (prefix * 10 + s * 10 + c for s in range(1, 9999) for c in range(10))
        if is_valid_one(int(i)) and int(i) not in taken
    )
    twin_id = rows(f"SELECT max(person_id) + 1 FROM '{data}/civil_persons.parquet'")[0][0]
    duckdb.execute(
        f"""COPY (
            SELECT * FROM '{data}/civil_persons.parquet'
            UNION ALL
            SELECT * REPLACE ('CIV-TWIN' AS record_id, {twin_id} AS person_id, {twin_iin} AS iin)
            FROM '{data}/civil_persons.parquet' WHERE person_id = {p["person_id"]}
        ) TO '{data}/civil.tmp.parquet' (FORMAT parquet)"""
    )
    (data / "civil.tmp.parquet").replace(data / "civil_persons.parquet")
    duckdb.execute(
        f"""COPY (
            SELECT * FROM '{data}/employment.parquet'
            UNION ALL
            SELECT 'EMP-TWIN', NULL, last_name, first_name, patronymic, birth_date, region, address,
                'employed', 200000, DATE '2025-12-01'
            FROM '{data}/civil_persons.parquet' WHERE person_id = {p["person_id"]}
        ) TO '{data}/emp.tmp.parquet' (FORMAT parquet)"""
    )
    (data / "emp.tmp.parquet").replace(data / "employment.parquet")
    assert validate_inputs(data) == []
    out = tmp_path / "out"
    link_sources(data, out)
    linked = rows(
        f"SELECT person_id, link_method FROM '{out}/employment.parquet' WHERE record_id = 'EMP-TWIN'"
    )
    assert linked == [(None, "review")]
    review = rows(
        f"""SELECT person_id, rank, match_probability FROM '{out}/review.parquet'
        WHERE source = 'employment' AND record_id = 'EMP-TWIN' ORDER BY rank"""
    )
    assert {r[0] for r in review} == {p["person_id"], twin_id}
    assert [r[1] for r in review] == [1, 2]
    assert all(r[2] >= 0.5 for r in review)
