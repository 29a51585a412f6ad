"""Small hand-made inputs for the engine tests (plain Python, no Django)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

DAY = dt.date(2026, 12, 1)


def spine(rows: list[dict[str, Any]]) -> ir.Table:
    base = {"role": "head", "birth_date": dt.date(1980, 1, 1), "region": "KZ-71", "district": "KZ-71-01"}
    full = [base | row for row in rows]
    return ibis.memtable(
        {
            key: [r[key] for r in full]
            for key in ("person_id", "family_id", "role", "birth_date", "region", "district")
        },
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
        {
            "person_id": "int64",
            "income": "float64",
            "schooling": "int64",
            "bmi": "int64",
            "insurance": "int64",
        },
    )
    return {"civil_persons": persons, "achievements": achievements}


LINKED_SCHEMAS = {
    "civil_persons": {
        "person_id": "int64",
        "family_id": "int64",
        "iin": "int64",
        "role": "string",
        "birth_date": "date",
        "region": "string",
        "district": "string",
    },
    "benefits": {"person_id": "int64", "benefit": "string", "disability_group": "int8", "end_date": "date"},
    "employment": {"person_id": "int64", "status": "string", "income_kzt": "int64", "period": "date"},
    "health": {"person_id": "int64", "addiction": "boolean", "psychiatric": "boolean", "pregnant": "boolean"},
    "education": {"person_id": "int64", "level": "string", "enrolled": "boolean", "absences_days": "int16"},
    "housing": {
        "person_id": "int64",
        "tenure": "string",
        "area_m2": "float64",
        "rooms": "int8",
        "residents": "int16",
        "condition": "string",
    },
}
SAFETY_SCHEMA = {
    "record_id": "string",
    "iin": "int64",
    "party_role": "string",
    "date": "date",
    "children_present": "boolean",
    "order_in_force": "boolean",
}
DISTRICTS = [("KZ-71", "KZ-71-01"), ("KZ-71", "KZ-71-02"), ("KZ-79", "KZ-79-01")]


def linked_rows(families_count: int, seed: int = 1) -> dict[str, list[dict[str, Any]]]:
    """A small linked set in the shape engine.link writes (plus Qorgau's safety export), deterministic."""
    import random

    rng = random.Random(seed)
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in [*LINKED_SCHEMAS, "safety"]}
    person = 0
    for family in range(1, families_count + 1):
        region, district = DISTRICTS[family % len(DISTRICTS)]
        size = rng.choice([1, 2, 3, 4, 5])
        for n in range(size):
            person += 1
            child = n >= 2
            born = dt.date(
                rng.randint(2009, 2022) if child else rng.randint(1960, 2000), rng.randint(1, 12), 1
            )
            role = "head" if n == 0 else ("spouse" if n == 1 else "child")
            iin = 900_000_000_000 + person
            rows["civil_persons"].append(
                {
                    "person_id": person,
                    "family_id": family,
                    "iin": iin,
                    "role": role,
                    "birth_date": born,
                    "region": region,
                    "district": district,
                }
            )
            if not child:
                status = rng.choices(["employed", "registered_unemployed", "self_employed"], [8, 1, 1])[0]
                income = None if status == "registered_unemployed" else rng.choice([30_000, 80_000, 250_000])
                rows["employment"].append(
                    {
                        "person_id": person,
                        "status": status,
                        "income_kzt": income,
                        "period": dt.date(2026, 11, 1),
                    }
                )
            if rng.random() < 0.1:
                rows["benefits"].append({"person_id": person, "benefit": "tsa", "end_date": None})
            if rng.random() < 0.05:
                rows["benefits"].append({"person_id": person, "benefit": "disability", "disability_group": 2})
            if rng.random() < 0.15:
                rows["health"].append(
                    {
                        "person_id": person,
                        "addiction": rng.random() < 0.5,
                        "psychiatric": rng.random() < 0.3,
                        "pregnant": False,
                    }
                )
            if child and born.year <= 2020:
                rows["education"].append(
                    {
                        "person_id": person,
                        "level": "school",
                        "enrolled": rng.random() > 0.05,
                        "absences_days": rng.choice([0, 2, 5, 35]),
                    }
                )
            if rng.random() < 0.08:
                rows["safety"].append(
                    {
                        "record_id": f"S{person}",
                        "iin": iin,
                        "party_role": rng.choice(["victim", "offender"]),
                        "date": DAY - dt.timedelta(days=rng.randint(1, 500)),
                        "children_present": rng.random() < 0.5,
                        "order_in_force": rng.random() < 0.3,
                    }
                )
        head = person - size + 1
        rows["housing"].append(
            {
                "person_id": head,
                "tenure": rng.choices(["owned", "rented", "none"], [7, 2, 1])[0],
                "area_m2": rng.choice([20.0, 45.0, 80.0]),
                "rooms": 2,
                "residents": size,
                "condition": rng.choices(["good", "poor", "emergency"], [8, 1, 1])[0],
            }
        )
    return rows


def write_linked(directory: Any, families_count: int = 200, seed: int = 1) -> dict[str, Any]:
    """Write the linked set as Parquet into `directory` (safety.parquet beside it); the file paths."""
    from pathlib import Path

    import pyarrow.parquet as pq

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rows = linked_rows(families_count, seed)
    paths = {}
    for name, schema in [*LINKED_SCHEMAS.items(), ("safety", SAFETY_SCHEMA)]:
        arrow = ibis.schema(schema).to_pyarrow()
        data = pa.table({key: [r.get(key) for r in rows[name]] for key in schema}, schema=arrow)
        path = directory / f"{name}.parquet"
        pq.write_table(data, path)
        paths[name] = path
    return paths
