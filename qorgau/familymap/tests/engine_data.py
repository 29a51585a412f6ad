"""Small hand-made inputs for the engine tests (plain Python, no Django)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ibis
import pyarrow as pa
import ibis.expr.types as ir

DAY = dt.date(2026, 12, 1)


def spine(rows: list[dict[str, Any]]) -> ir.Table:
    base = {"role": "head", "birth_date": dt.date(1980, 1, 1), "region": "KZ-71", "district": "KZ-71-01"}
    full = [base | row for row in rows]
    return ibis.memtable(
        {key: [r[key] for r in full] for key in ("person_id", "family_id", "role", "birth_date", "region", "district")},
        schema={
            "person_id": "int64",
            "family_id": "int64",
            "role": "string",
            "birth_date": "date",
            "region": "string",
            "district": "string",
        },
    )


def table(rows: list[dict[str, Any]], schema: dict[str, str]) -> ir.Table:
    arrow = ibis.schema(schema).to_pyarrow()
    return ibis.memtable(pa.table({key: [r.get(key) for r in rows] for key in schema}, schema=arrow))


# Alkire & Foster (2011), "Counting and multidimensional poverty measurement", J. Public Econ. 95,
# section 3: four persons, four dimensions (income, years of schooling, a BMI-like index, access to
# health insurance as 0/1) with cut-offs z = (13, 12, 3, 1). Deprivation counts c = (0, 2, 4, 1); with
# k = 2 of 4 (equal weights, so k = 1/2) persons 2 and 3 are poor: H = 1/2, A = 3/4, M0 = 3/8.
AF_ACHIEVEMENTS = [
    (13.1, 14, 4, 1),
    (15.2, 7, 5, 0),
    (12.5, 10, 1, 0),
    (20.0, 11, 3, 1),
]
AF_CUTOFFS = {"income": 13, "schooling": 12, "bmi": 3, "insurance": 1}


def af_document() -> dict[str, Any]:
    return {
        "name": "Alkire-Foster 2011 example",
        "k": "1/2",
        "thresholds": {"B": "1/4", "C": "1/2", "D": "3/4", "E": "1"},
        "indicators": [
            {
                "code": name,
                "domain": "economic",
                "source": "achievements",
                "weight": "1/4",
                "conditions": [{"column": name, "op": "<", "value": cutoff}],
            }
            for name, cutoff in AF_CUTOFFS.items()
        ],
    }


def af_tables() -> dict[str, ir.Table]:
    persons = spine([{"person_id": n + 1, "family_id": n + 1} for n in range(4)])
    achievements = table(
        [
            {"person_id": n + 1, **dict(zip(AF_CUTOFFS, row, strict=True))}
            for n, row in enumerate(AF_ACHIEVEMENTS)
        ],
        {"person_id": "int64", "income": "float64", "schooling": "int64", "bmi": "int64", "insurance": "int64"},
    )
    return {"civil_persons": persons, "achievements": achievements}
