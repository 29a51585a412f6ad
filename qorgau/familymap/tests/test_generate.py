# ruff: noqa: S608, RUF001  (SQL over the test's own files)
from __future__ import annotations

import json

import numpy as np
import pytest

from qorgau.familymap.engine.generate import SOURCES, generate
from qorgau.familymap.engine.inputs.iin import is_valid
from qorgau.familymap.tests.fmdata_sets import rows, synthetic_set
from qorgau.people.names import fold


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    return synthetic_set(tmp_path_factory)


def sql(query: str):
    return rows(query)


def test_writes_every_source_truth_and_manifest(inputs):
    for source in SOURCES:
        assert (inputs / f"{source}.parquet").is_file()
    manifest = json.loads((inputs / "manifest.json").read_text())
    assert manifest["seed"] == 7 and manifest["scale"] == 0.001
    assert manifest["families"] == 6300
    # about 20,000 persons at scale 0.001 (mean family size 3.16)
    assert 18_500 < manifest["rows"]["civil_persons"] < 21_500
    truth_rows = sql(f"SELECT count(*) FROM '{inputs}/truth.parquet'")[0][0]
    assert truth_rows == sum(manifest["rows"].values())


def test_deterministic_for_a_seed(tmp_path, inputs):
    generate(7, 0.001, tmp_path / "again")
    generate(8, 0.001, tmp_path / "other")
    for source in ("civil_persons", "benefits", "truth"):
        same = (inputs / f"{source}.parquet").read_bytes() == (
            tmp_path / "again" / f"{source}.parquet"
        ).read_bytes()
        assert same, source
    assert (inputs / "benefits.parquet").read_bytes() != (
        tmp_path / "other" / "benefits.parquet"
    ).read_bytes()


def test_spine_iins_are_valid_unique_and_encode_the_birth_date_and_sex(inputs):
    rows = sql(f"SELECT iin, birth_date, sex FROM '{inputs}/civil_persons.parquet'")
    iins = np.array([r[0] for r in rows], dtype=np.int64)
    assert is_valid(iins).all()
    assert len(set(iins.tolist())) == len(iins)
    for iin, born, sex in rows[:500]:
        text = f"{iin:012d}"
        assert text[:6] == born.strftime("%y%m%d")
        century_sex = int(text[6])
        assert century_sex in ((3, 5) if sex == "M" else (4, 6))


def test_families_have_one_head_and_a_region_and_district(inputs):
    assert sql(
        f"""SELECT count(*) FROM (SELECT family_id, count(*) FILTER (WHERE role = 'head') AS heads
        FROM '{inputs}/civil_persons.parquet' GROUP BY 1) WHERE heads <> 1"""
    ) == [(0,)]
    assert sql(
        f"""SELECT count(*) FROM '{inputs}/civil_persons.parquet'
        WHERE NOT starts_with(district, region || '-')"""
    ) == [(0,)]


def test_noise_rates_are_in_the_documented_ranges(inputs):
    # IIN missing 3 % in employment; spellings: a share in Latin script; typos and stale addresses exist
    total, missing = sql(f"SELECT count(*), count(*) - count(iin) FROM '{inputs}/employment.parquet'")[0]
    assert 0.02 < missing / total < 0.04
    latin = sql(
        f"""SELECT count(*) FILTER (WHERE regexp_matches(last_name, '^[A-Za-z]')) / count(*)
        FROM '{inputs}/employment.parquet'"""
    )[0][0]
    assert 0.12 < latin < 0.28  # 2021 Latin 5 % + passport 15 %
    stale = sql(
        f"""SELECT count(*) FILTER (WHERE e.address <> c.address) / count(e.address)
        FROM '{inputs}/employment.parquet' e
        JOIN '{inputs}/truth.parquet' t ON t.record_id = e.record_id
        JOIN '{inputs}/civil_persons.parquet' c ON c.person_id = t.person_id"""
    )[0][0]
    assert 0.07 < stale < 0.13


def test_names_take_the_four_spellings_and_fold_to_the_registry_name(inputs):
    rows = sql(
        f"""SELECT e.last_name, c.last_name FROM '{inputs}/benefits.parquet' e
        JOIN '{inputs}/truth.parquet' t ON t.record_id = e.record_id
        JOIN '{inputs}/civil_persons.parquet' c ON c.person_id = t.person_id"""
    )
    kazakh_letters = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
    scripts = {
        "kazakh": sum(1 for s, _ in rows if kazakh_letters & set(s)),
        "passport": sum(1 for s, _ in rows if s.isascii() and s.isupper()),
        "latin_2021": sum(1 for s, _ in rows if not s.isupper() and set(s) & set("äğñöūüışj")),
    }
    assert all(count > 0 for count in scripts.values()), scripts
    same_key = sum(1 for s, c in rows if fold(s) == fold(c)) / len(rows)
    assert 0.95 < same_key < 0.995  # typos in 3 % of records, half of them in the last name


def test_scale_must_be_positive(tmp_path):
    with pytest.raises(ValueError, match="scale"):
        generate(1, 0, tmp_path)
