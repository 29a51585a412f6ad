# ruff: noqa: S608  (SQL built from this package's own constants, file paths and column names; values never come from users)
"""The comparison keys of the linkage, built in DuckDB.

Names are folded with the project's own folding (`qorgau.people.names.fold`: Kazakh Cyrillic, Russified
Cyrillic, 2021 Latin and passport Latin spellings of one name give one ASCII key). The folding is Python,
so it runs once per distinct spelling (thousands of names plus the typos, not one call per record) and
the keys are joined back. Addresses: the letters lower-cased and the numbers (house, flat) as their own key.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from qorgau.familymap.engine.inputs.iin import valid_sql
from qorgau.people.names import fold

COMMON = "record_id, iin, last_name, first_name, patronymic, birth_date, region, address"


def register_name_keys(con: duckdb.DuckDBPyConnection, tables: list[str]) -> int:
    """Create table `name_keys(name, k)` for every distinct name in `tables` (each has the name columns)."""
    union = " UNION ".join(
        f"SELECT {col} AS name FROM {t} WHERE {col} IS NOT NULL"
        for t in tables
        for col in ("last_name", "first_name", "patronymic")
    )
    names = [r[0] for r in con.execute(f"SELECT DISTINCT name FROM ({union})").fetchall()]
    keys = [fold(n) for n in names]
    con.register(
        "_name_keys", pa.table({"name": pa.array(names, pa.string()), "k": pa.array(keys, pa.string())})
    )
    con.execute("CREATE OR REPLACE TEMP TABLE name_keys AS SELECT * FROM _name_keys")
    con.unregister("_name_keys")
    return len(names)


def keyed(table: str, extra: str = "") -> str:
    """SELECT of `table` with the comparison keys: lk, fk, pk (folded names), ak (address letters),
    an (address numbers), iin_valid."""
    return f"""
        SELECT t.record_id, t.iin, {valid_sql("t.iin")} AS iin_valid, t.birth_date, t.region,
            nullif(l.k, '') AS lk, nullif(f.k, '') AS fk, nullif(p.k, '') AS pk,
            nullif(trim(regexp_replace(lower(t.address), '[^[:alpha:]]+', ' ', 'g')), '') AS ak,
            nullif(array_to_string(regexp_extract_all(t.address, '[0-9]+'), ' '), '') AS an
            {extra}
        FROM {table} t
        LEFT JOIN name_keys l ON l.name = t.last_name
        LEFT JOIN name_keys f ON f.name = t.first_name
        LEFT JOIN name_keys p ON p.name = t.patronymic
    """
