# ruff: noqa: S608  (SQL over the test's own files)
from __future__ import annotations

import duckdb
import numpy as np
import pytest

from qorgau.familymap.engine.inputs import validate_inputs
from qorgau.familymap.engine.inputs.iin import is_valid, is_valid_one, valid_sql
from qorgau.familymap.tests.fmdata_sets import copy_set, rows, synthetic_set


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    return synthetic_set(tmp_path_factory)


def rewrite(path, select: str) -> None:
    """Replace a Parquet file by a query over itself (`t`)."""
    tmp = path.with_suffix(".tmp.parquet")
    duckdb.execute(f"COPY (SELECT {select} FROM read_parquet('{path}') t) TO '{tmp}' (FORMAT parquet)")
    tmp.replace(path)


def test_domain_md_iin_examples():
    assert is_valid_one(900101300017)
    assert is_valid_one(61211600012)  # 061211600012: needs the second pass
    assert not is_valid_one(900101300018)
    assert not is_valid_one(None)
    assert not is_valid_one(-5)
    values = np.array([900101300017, 61211600012, 900101300018, 1_000_000_000_000])
    assert is_valid(values).tolist() == [True, True, False, False]
    result = rows(f"SELECT {valid_sql('v')} FROM (VALUES (900101300017), (61211600012), (900101300018)) x(v)")
    assert [r[0] for r in result] == [True, True, False]


def test_a_generated_set_is_valid(inputs):
    assert validate_inputs(inputs) == []


def test_bad_values_are_reported_with_their_rows_and_columns(tmp_path, inputs):
    bad = copy_set(inputs, tmp_path / "bad")
    rewrite(
        bad / "benefits.parquet",
        """* REPLACE (
            CASE WHEN record_id = 'BEN-000000003' THEN 'pension' ELSE benefit END AS benefit,
            CASE WHEN record_id IN ('BEN-000000005', 'BEN-000000008') THEN -10 ELSE amount_kzt END
                AS amount_kzt,
            CASE WHEN record_id = 'BEN-000000010' THEN 'KZ-99' ELSE region END AS region)""",
    )
    rewrite(
        bad / "civil_persons.parquet",
        "* REPLACE (CASE WHEN person_id = 4 THEN iin + 1 ELSE iin END AS iin)",
    )
    problems = {(p.source, p.column): p for p in validate_inputs(bad)}
    assert set(problems) == {
        ("benefits", "benefit"),
        ("benefits", "amount_kzt"),
        ("benefits", "region"),
        ("civil_persons", "iin"),
    }
    ids = rows(f"SELECT record_id FROM '{bad}/benefits.parquet'")
    position = {r[0]: i for i, r in enumerate(ids)}
    assert problems[("benefits", "benefit")].rows == (position["BEN-000000003"],)
    assert problems[("benefits", "amount_kzt")].rows == tuple(
        sorted([position["BEN-000000005"], position["BEN-000000008"]])
    )
    assert problems[("benefits", "amount_kzt")].count == 2
    assert problems[("civil_persons", "iin")].rows == (3,)
    assert "check digit" in problems[("civil_persons", "iin")].message
    assert "benefits.benefit" in str(problems[("benefits", "benefit")])


def test_missing_file_missing_column_wrong_type_and_duplicates(tmp_path, inputs):
    bad = copy_set(inputs, tmp_path / "bad")
    (bad / "health.parquet").unlink()
    rewrite(bad / "housing.parquet", "* EXCLUDE (queue)")
    rewrite(bad / "education.parquet", "* REPLACE (CAST(absences_days AS VARCHAR) AS absences_days)")
    rewrite(
        bad / "employment.parquet",
        "* REPLACE (CASE WHEN record_id = 'EMP-000000002' THEN 'EMP-000000001' ELSE record_id END"
        " AS record_id)",
    )
    problems = {(p.source, p.column): p for p in validate_inputs(bad)}
    assert problems[("health", None)].message.startswith("no file")
    assert problems[("housing", "queue")].message == "missing column"
    assert "VARCHAR" in problems[("education", "absences_days")].message
    dup = problems[("employment", "record_id")]
    assert dup.message == "duplicate record_id" and dup.count == 2


def test_csv_is_read_with_the_same_checks(tmp_path, inputs):
    data = copy_set(inputs, tmp_path / "csv")
    duckdb.execute(
        f"""COPY (SELECT * REPLACE (CASE WHEN record_id = 'HSG-000000002' THEN NULL ELSE tenure END AS tenure)
        FROM '{data}/housing.parquet') TO '{data}/housing.csv' (HEADER, DELIMITER ',')"""
    )
    (data / "housing.parquet").unlink()
    problems = validate_inputs(data)
    assert [(p.source, p.column, p.rows, p.message) for p in problems] == [
        ("housing", "tenure", (1,), "missing value")
    ]
