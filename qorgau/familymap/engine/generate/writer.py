"""Strings and Parquet files with pyarrow: the integer codes of a source become the registry's text.

Everything is vectorised and streamed in row groups (ROW_GROUP rows), so that the national set never
holds a whole file's strings in memory: names are dictionary arrays over the spelled name tables
(names.spellings, once per unique name), addresses a dictionary over one string per family (built with
Arrow compute), record ids Arrow string kernels. The typo of a record (delete, swap two neighbours or
substitute a letter, never the first) is made in Python for the few records that have one (3 %).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from qorgau.familymap.engine.generate import names as n
from qorgau.familymap.engine.generate.noise import Common
from qorgau.familymap.engine.generate.population import ROLES, STREETS, IntArray, Population, district_code

ROW_GROUP = 1_000_000
PREFIX = {
    "civil_persons": "CIV",
    "benefits": "BEN",
    "employment": "EMP",
    "health": "HLT",
    "education": "EDU",
    "housing": "HSG",
}
TRUTH_SCHEMA = pa.schema([("source", pa.string()), ("record_id", pa.string()), ("person_id", pa.int64())])


def typo(text: str, kind: int, u: float) -> str:
    """One typing error at a position drawn by `u` (never the first letter): 1 delete, 2 swap neighbours,
    3 substitute."""
    if len(text) < 4:
        return text
    i = 1 + int(u * (len(text) - 2))
    if kind == 1:
        return text[:i] + text[i + 1 :]
    if kind == 2:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + text[(i + 2) % len(text)] + text[i + 1 :]


class Dictionaries:
    """Spelled name tables and one address string per family."""

    def __init__(self, pop: Population) -> None:
        t = pop.names
        self.given = [s for name in t.given for s in n.spellings(name)]
        self.surnames = [s for name in t.surnames for s in n.spellings(name)]
        self.patronymics = [s for name in t.patronymics for s in n.spellings(name)]
        self.regions = pa.array(pop.regions)
        code = pop.family_address
        centre = pa.array(pop.region_centres).take(pa.array(pop.family_region))
        street = pa.array(STREETS).take(pa.array(code // 1_000_000))
        house = pc.cast(pa.array((code // 1000) % 1000), pa.string())
        flat_no = code % 1000
        flat = pc.if_else(
            pa.array(flat_no > 0),
            pc.binary_join_element_wise(", кв. ", pc.cast(pa.array(flat_no), pa.string()), ""),
            "",
        )
        self.family_address = pc.binary_join_element_wise(centre, ", ул. ", street, ", ", house, flat, "")


def _names(
    codes: IntArray,
    dictionary: list[str],
    typo_mask: np.ndarray | None = None,
    kinds: IntArray | None = None,
    us: np.ndarray | None = None,
) -> pa.DictionaryArray:
    """A dictionary array of names; typo'd records get their own entries appended to the dictionary."""
    codes = np.asarray(codes, dtype=np.int64)
    valid = codes >= 0
    indices = np.where(valid, codes, 0).astype(np.int32)
    extra: list[str] = []
    if typo_mask is not None and kinds is not None and us is not None and typo_mask.any():
        rows = np.flatnonzero(typo_mask & valid)
        extra = [
            typo(dictionary[c], int(k), float(u))
            for c, k, u in zip(codes[rows], kinds[rows], us[rows], strict=True)
        ]
        indices[rows] = len(dictionary) + np.arange(len(rows), dtype=np.int32)
    return pa.DictionaryArray.from_arrays(
        pa.array(indices, pa.int32(), mask=~valid), pa.array(dictionary + extra, pa.string())
    )


def _record_ids(prefix: str, start: int, count: int) -> pa.Array:
    numbers = pc.cast(pa.array(np.arange(start, start + count, dtype=np.int64)), pa.string())
    return pc.binary_join_element_wise(f"{prefix}-", pc.utf8_lpad(numbers, 9, "0"), "")


def _cat(codes: IntArray, categories: list[str]) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(np.asarray(codes, dtype=np.int32)), pa.array(categories))


def _write(path: Path, columns: dict[str, pa.Array], count: int) -> None:
    """Write the columns in row groups, dictionary columns cast to plain strings one group at a time."""
    writer: pq.ParquetWriter | None = None
    try:
        for start in range(0, max(count, 1), ROW_GROUP):
            stop = min(start + ROW_GROUP, count)
            part = {}
            for name, col in columns.items():
                piece = col.slice(start, stop - start)
                if pa.types.is_dictionary(piece.type):
                    piece = piece.cast(pa.string())
                part[name] = piece
            table = pa.table(part)
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema, compression="zstd")
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()


def write_civil(d: Dictionaries, pop: Population, path: Path, truth: pq.ParquetWriter) -> int:
    fam = pop.family
    count = len(fam)
    codes = [district_code(r, k) for r in pop.regions for k in range(1, 10)]
    district_idx = pop.family_region[fam] * 9 + pop.family_district[fam] - 1
    record_id = _record_ids("CIV", 1, count)
    person_id = pa.array(pop.person_id, pa.int64())
    columns = {
        "record_id": record_id,
        "iin": pa.array(pop.iin, pa.int64()),
        "last_name": _names(pop.surname.astype(np.int64) * n.SPELLINGS, d.surnames),
        "first_name": _names(pop.given.astype(np.int64) * n.SPELLINGS, d.given),
        "patronymic": _names(
            np.where(pop.patronymic >= 0, pop.patronymic.astype(np.int64) * n.SPELLINGS, -1), d.patronymics
        ),
        "birth_date": pa.array(pop.birth_day.astype("datetime64[D]"), pa.date32()),
        "region": pa.DictionaryArray.from_arrays(pa.array(pop.family_region[fam], pa.int32()), d.regions),
        "address": pa.DictionaryArray.from_arrays(pa.array(fam, pa.int32()), d.family_address),
        "person_id": person_id,
        "family_id": pa.array(fam.astype(np.int64) + 1, pa.int64()),
        "role": _cat(pop.role, ROLES),
        "sex": _cat(pop.sex, ["M", "F"]),
        "district": _cat(district_idx, codes),
    }
    _write(path, columns, count)
    _write_truth(truth, "civil_persons", record_id, person_id)
    return count


def _write_truth(truth: pq.ParquetWriter, source: str, record_id: pa.Array, person_id: pa.Array) -> None:
    for start in range(0, len(record_id), ROW_GROUP):
        stop = min(start + ROW_GROUP, len(record_id))
        truth.write_table(
            pa.table(
                {
                    "source": pa.array([source] * (stop - start), pa.string()),
                    "record_id": record_id.slice(start, stop - start),
                    "person_id": person_id.slice(start, stop - start),
                },
                schema=TRUTH_SCHEMA,
            )
        )


def write_source(
    d: Dictionaries,
    source: str,
    c: Common,
    person_id: IntArray,
    own: dict[str, pa.Array],
    path: Path,
    truth: pq.ParquetWriter,
) -> int:
    count = len(person_id)
    record_id = _record_ids(PREFIX[source], 1, count)
    no_address = c.address_family < 0
    columns = {
        "record_id": record_id,
        "iin": c.iin,
        "last_name": _names(c.surname_sp, d.surnames, c.typo_field == 1, c.typo_kind, c.typo_u),
        "first_name": _names(c.given_sp, d.given, c.typo_field == 2, c.typo_kind, c.typo_u),
        "patronymic": _names(c.patronymic_sp, d.patronymics),
        "birth_date": c.birth_day,
        "region": pa.DictionaryArray.from_arrays(pa.array(c.region, pa.int32()), d.regions),
        "address": pa.DictionaryArray.from_arrays(
            pa.array(np.where(no_address, 0, c.address_family), pa.int32(), mask=no_address), d.family_address
        ),
        **own,
    }
    _write(path, columns, count)
    _write_truth(truth, source, record_id, pa.array(person_id, pa.int64()))
    return count
