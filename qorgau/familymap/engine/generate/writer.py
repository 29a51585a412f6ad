# ruff: noqa: S608  (SQL built from this package's own constants, file paths and column names; values never come from users)
"""Strings and Parquet files: DuckDB turns the integer codes of a source into the registry's text.

Names are spelled once per unique name (names.spellings) and joined in by code; the typo of a record is
made in SQL (delete, swap two neighbours or substitute a letter, never the first letter); addresses are
built from the street, house and flat numbers. One `COPY ... TO parquet` per file.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from qorgau.familymap.engine.generate import names as n
from qorgau.familymap.engine.generate.noise import Common
from qorgau.familymap.engine.generate.population import ROLES, STREETS, Population, district_code
from qorgau.familymap.engine.generate.sources import _cat

PREFIX = {
    "civil_persons": "CIV",
    "benefits": "BEN",
    "employment": "EMP",
    "health": "HLT",
    "education": "EDU",
    "housing": "HSG",
}

TYPO_MACRO = """
CREATE OR REPLACE MACRO typo(s, kind, u) AS CASE
    WHEN s IS NULL OR length(s) < 4 THEN s
    ELSE (
        SELECT CASE kind
            WHEN 1 THEN substr(s, 1, p - 1) || substr(s, p + 1)
            WHEN 2 THEN substr(s, 1, p - 1) || substr(s, p + 1, 1) || substr(s, p, 1) || substr(s, p + 2)
            ELSE substr(s, 1, p - 1) || substr(s, ((p + 1) % length(s)) + 1, 1) || substr(s, p + 1)
        END
        FROM (SELECT 2 + CAST(floor(u * (length(s) - 2)) AS INTEGER) AS p)
    )
END
"""


def connect(threads: int | None, memory_limit: str = "4GB") -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute("SET preserve_insertion_order = true")
    con.execute(TYPO_MACRO)
    return con


def register_dictionaries(con: duckdb.DuckDBPyConnection, pop: Population) -> None:
    t = pop.names

    def spelled(values: list[str]) -> pa.Table:
        keys, texts = [], []
        for code, value in enumerate(values):
            for sp, text in enumerate(n.spellings(value)):
                keys.append(code * n.SPELLINGS + sp)
                texts.append(text)
        return pa.table({"k": pa.array(keys, pa.int64()), "name": pa.array(texts)})

    con.register("d_given", spelled(t.given))
    con.register("d_surname", spelled(t.surnames))
    con.register("d_patronymic", spelled(t.patronymics))
    con.register("d_street", pa.table({"k": pa.array(range(len(STREETS)), pa.int64()), "name": STREETS}))
    con.register(
        "d_region",
        pa.table({"k": pa.array(range(len(pop.regions)), pa.int64()), "code": pop.regions,
                  "centre": pop.region_centres}),
    )  # fmt: skip


ADDRESS_SQL = """CASE WHEN t.address < 0 THEN NULL ELSE
    r.centre || ', ул. ' || st.name || ', ' || CAST((t.address // 1000) % 1000 AS VARCHAR)
    || CASE WHEN t.address % 1000 > 0 THEN ', кв. ' || CAST(t.address % 1000 AS VARCHAR) ELSE '' END
END"""


def write_civil(con: duckdb.DuckDBPyConnection, pop: Population, path: Path) -> int:
    fam = pop.family
    district = pop.family_district[fam]
    codes = [district_code(r, d) for r in pop.regions for d in range(1, 10)]
    district_idx = pop.family_region[fam] * 9 + district - 1
    table = pa.table(
        {
            "rid": pa.array(pop.person_id),
            "person_id": pa.array(pop.person_id),
            "family_id": pa.array(fam + 1),
            "role": _cat(pop.role, ROLES),
            "sex": _cat(pop.sex, ["M", "F"]),
            "iin": pa.array(pop.iin),
            "surname_sp": pa.array(pop.surname * n.SPELLINGS),
            "given_sp": pa.array(pop.given * n.SPELLINGS),
            "patronymic_sp": pa.array(np.where(pop.patronymic >= 0, pop.patronymic * n.SPELLINGS, -1)),
            "birth_day": pa.array(pop.birth_day.astype("datetime64[D]"), pa.date32()),
            "region": pa.array(pop.family_region[fam]),
            "district": _cat(district_idx, codes),
            "address": pa.array(pop.family_address[fam]),
        }
    )  # fmt: skip
    con.register("t", table)
    con.execute(
        f"""COPY (
        SELECT 'CIV-' || lpad(CAST(t.rid AS VARCHAR), 9, '0') AS record_id, t.iin,
            s.name AS last_name, g.name AS first_name, pt.name AS patronymic, t.birth_day AS birth_date,
            r.code AS region, {ADDRESS_SQL} AS address,
            t.person_id, t.family_id, t.role, t.sex, t.district
        FROM t
        JOIN d_surname s ON s.k = t.surname_sp
        JOIN d_given g ON g.k = t.given_sp
        LEFT JOIN d_patronymic pt ON pt.k = t.patronymic_sp
        JOIN d_region r ON r.k = t.region
        JOIN d_street st ON st.k = t.address // 1000000
        ORDER BY t.rid
    ) TO '{path}' (FORMAT parquet, COMPRESSION zstd)"""
    )
    con.unregister("t")
    return len(table)


def write_source(
    con: duckdb.DuckDBPyConnection,
    source: str,
    c: Common,
    person_id: np.ndarray,
    own: dict[str, pa.Array],
    path: Path,
    truth_path: Path,
) -> int:
    count = len(person_id)
    table = pa.table(
        {
            "rid": pa.array(np.arange(1, count + 1)),
            "person_id": pa.array(person_id),
            "iin": c.iin,
            "surname_sp": pa.array(c.surname_sp),
            "given_sp": pa.array(c.given_sp),
            "patronymic_sp": pa.array(c.patronymic_sp),
            "typo_field": pa.array(c.typo_field),
            "typo_kind": pa.array(c.typo_kind),
            "typo_u": pa.array(c.typo_u),
            "birth_day": c.birth_day,
            "region": pa.array(c.region),
            "address": pa.array(c.address),
            **{f"own_{k}": v for k, v in own.items()},
        }
    )
    own_sql = ", ".join(f't."own_{k}" AS "{k}"' for k in own)
    con.register("t", table)
    prefix = PREFIX[source]
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE out AS
        SELECT '{prefix}-' || lpad(CAST(t.rid AS VARCHAR), 9, '0') AS record_id, t.iin,
            CASE WHEN t.typo_field = 1 THEN typo(s.name, t.typo_kind, t.typo_u) ELSE s.name END AS last_name,
            CASE WHEN t.typo_field = 2 THEN typo(g.name, t.typo_kind, t.typo_u) ELSE g.name END AS first_name,
            pt.name AS patronymic, t.birth_day AS birth_date, r.code AS region, {ADDRESS_SQL} AS address,
            {own_sql}, t.person_id AS true_person_id
        FROM t
        JOIN d_surname s ON s.k = t.surname_sp
        JOIN d_given g ON g.k = t.given_sp
        LEFT JOIN d_patronymic pt ON pt.k = t.patronymic_sp
        JOIN d_region r ON r.k = t.region
        LEFT JOIN d_street st ON st.k = t.address // 1000000
        ORDER BY t.rid"""
    )
    con.execute(
        f"COPY (SELECT * EXCLUDE (true_person_id) FROM out) TO '{path}' (FORMAT parquet, COMPRESSION zstd)"
    )
    con.execute(
        f"""COPY (SELECT '{source}' AS source, record_id, true_person_id AS person_id FROM out)
        TO '{truth_path}' (FORMAT parquet, COMPRESSION zstd)"""
    )
    con.execute("DROP TABLE out")
    con.unregister("t")
    return count
