# ruff: noqa: S608  (SQL over the test's own files)
from __future__ import annotations

import pytest

from qorgau.familymap.engine.link import link_sources
from qorgau.familymap.tests.fmdata_sets import column_names, rows, synthetic_set


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
