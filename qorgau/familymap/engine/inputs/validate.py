# ruff: noqa: S608  (SQL built from this package's own constants, file paths and column names; values never come from users)
"""validate_inputs: every problem of every file, with the rows and columns at fault."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from qorgau.core.reference import read_regions
from qorgau.familymap.engine.inputs.files import source_path, source_relation
from qorgau.familymap.engine.inputs.iin import valid_sql
from qorgau.familymap.engine.inputs.schemas import SOURCE_NAMES, Column, columns

MAX_ROWS = 20


@dataclass(frozen=True)
class Problem:
    source: str
    column: str | None  # None: the whole file
    rows: tuple[int, ...]  # 0-based row numbers in the file, the first MAX_ROWS at fault
    message: str
    count: int = 0  # how many rows are at fault (0 for a problem of the whole file)

    def __str__(self) -> str:
        where = f"{self.source}.{self.column}" if self.column else self.source
        if not self.count:
            return f"{where}: {self.message}"
        rows = ", ".join(map(str, self.rows)) + (" ..." if self.count > len(self.rows) else "")
        return f"{where}: {self.message} ({self.count} rows: {rows})"


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _conditions(source: str, col: Column) -> list[tuple[str, str]]:
    """(SQL condition of a bad row, message) for one column."""
    v = _quote_ident(col.name)
    out: list[tuple[str, str]] = []
    if not col.nullable:
        out.append((f"{v} IS NULL", "missing value"))
    if col.values:
        allowed = ", ".join("'" + x.replace("'", "''") + "'" for x in col.values)
        out.append((f"{v} IS NOT NULL AND {v} NOT IN ({allowed})", "not one of " + ", ".join(col.values)))
    if col.check:
        cond = _substitute(col.check, v)
        out.append((f"{v} IS NOT NULL AND NOT ({cond})", col.message or "value out of range"))
    if col.name == "record_id":
        out.append((f"count(*) OVER (PARTITION BY {v}) > 1", "duplicate record_id"))
    if source == "civil_persons" and col.name in ("person_id", "iin"):
        out.append((f"{v} IS NOT NULL AND count(*) OVER (PARTITION BY {v}) > 1", f"duplicate {col.name}"))
    if source == "civil_persons" and col.name == "iin":
        out.append((f"{v} IS NOT NULL AND NOT {valid_sql(v)}", "not a valid IIN (check digit)"))
    if source == "civil_persons" and col.name == "district":
        out.append((f"{v} IS NOT NULL AND region IS NOT NULL AND NOT starts_with({v}, region || '-')",
                    "district is not in the row's region"))  # fmt: skip
    return out


def _substitute(check: str, column_sql: str) -> str:
    """Put the quoted column name where the check says `v` (a whole word)."""
    return re.sub(r"\bv\b", column_sql, check)


def _type_ok(actual: str, col: Column) -> bool:
    base = actual.split("(")[0].upper()
    return base in col.types


def validate_source(con: duckdb.DuckDBPyConnection, inputs_dir: Path, source: str) -> list[Problem]:
    path = source_path(inputs_dir, source)
    if path is None:
        return [Problem(source, None, (), f"no file {source}.parquet or {source}.csv")]
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {source_relation(path)}").fetchall()
    except duckdb.Error as exc:
        return [Problem(source, None, (), f"the file cannot be read: {exc}".splitlines()[0])]
    types = {row[0]: row[1] for row in described}
    problems: list[Problem] = []
    checkable: list[Column] = []
    for col in columns(source):
        if col.name not in types:
            problems.append(Problem(source, col.name, (), "missing column"))
        elif not _type_ok(types[col.name], col):
            problems.append(
                Problem(
                    source, col.name, (), f"type {types[col.name]}, expected one of {', '.join(col.types)}"
                )
            )
        else:
            checkable.append(col)
    checks = [(col.name, cond, msg) for col in checkable for cond, msg in _conditions(source, col)]
    if not checks:
        return problems
    rel = source_relation(path, row_numbers=True)
    flags = ", ".join(f"({cond}) AS c{i}" for i, (_, cond, _) in enumerate(checks))
    con.execute(f"CREATE OR REPLACE TEMP TABLE flagged AS SELECT _row, {flags} FROM {rel}")
    counts = con.execute(
        "SELECT " + ", ".join(f"count(*) FILTER (WHERE c{i})" for i in range(len(checks))) + " FROM flagged"
    ).fetchall()[0]
    assert counts is not None
    for i, (name, _, message) in enumerate(checks):
        if counts[i]:
            rows = con.execute(
                f"SELECT _row FROM flagged WHERE c{i} ORDER BY _row LIMIT {MAX_ROWS}"
            ).fetchall()
            problems.append(Problem(source, name, tuple(int(r[0]) for r in rows), message, int(counts[i])))
    con.execute("DROP TABLE flagged")
    return problems


def validate_inputs(inputs_dir: Path, *, sources: tuple[str, ...] = SOURCE_NAMES) -> list[Problem]:
    """Every problem of every source file in `inputs_dir`; an empty list means the set can be used."""
    con = duckdb.connect()
    try:
        codes = [r["code"] for r in read_regions()]
        con.execute("CREATE TEMP TABLE regions (code VARCHAR)")
        con.executemany("INSERT INTO regions VALUES (?)", [(c,) for c in codes])
        problems: list[Problem] = []
        for source in sources:
            problems += validate_source(con, Path(inputs_dir), source)
        return problems
    finally:
        con.close()
