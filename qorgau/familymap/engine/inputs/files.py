# ruff: noqa: S608  (SQL built from this package's own constants, file paths and column names; values never come from users)
"""Where a source's file is, and how DuckDB reads it (Parquet, or CSV with the same columns)."""

from __future__ import annotations

from pathlib import Path


def source_path(inputs_dir: Path, source: str) -> Path | None:
    """`<source>.parquet`, else `<source>.csv`, else None."""
    for suffix in (".parquet", ".csv"):
        path = Path(inputs_dir) / f"{source}{suffix}"
        if path.is_file():
            return path
    return None


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def source_relation(path: Path, *, row_numbers: bool = False) -> str:
    """A DuckDB table expression reading the file; with `row_numbers`, a `_row` column (0-based)."""
    if path.suffix == ".parquet":
        if row_numbers:
            reader = f"read_parquet({_quote(path)}, file_row_number = true)"
            return f"(SELECT * EXCLUDE (file_row_number), file_row_number AS _row FROM {reader})"
        return f"read_parquet({_quote(path)})"
    reader = f"read_csv({_quote(path)}, header = true, dateformat = '%Y-%m-%d', sample_size = -1)"
    if row_numbers:
        return f"(SELECT *, row_number() OVER () - 1 AS _row FROM {reader})"
    return reader
