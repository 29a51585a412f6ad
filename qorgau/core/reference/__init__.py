"""Reference data shipped with the code: the 20 regions (regions.csv) and the default roles.

`load_reference` (management command) and the core data migration both call these loaders; they are
idempotent and update existing rows, so editing regions.csv and re-running the command updates figures.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

REGIONS_CSV = Path(__file__).with_name("regions.csv")


def read_regions() -> list[dict[str, Any]]:
    with REGIONS_CSV.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for row in rows:
        out.append(
            {
                "code": row["code"],
                "kato": f"{row['code'][3:]}0000000",
                "name_en": row["name_en"],
                "name_ru": row["name_ru"],
                "name_kk": row["name_kk"],
                "centre": row["centre"],
                "is_city": row["is_city"] == "1",
                "population": int(row["population"]),
                "population_date": dt.date.fromisoformat(row["population_date"]),
                "population_estimated": row["population_estimated"] == "1",
            }
        )
    return out


def load_regions(region_model: Any) -> tuple[int, int]:
    created = updated = 0
    for row in read_regions():
        code = row.pop("code")
        _, was_created = region_model.objects.update_or_create(code=code, defaults=row)
        created += was_created
        updated += not was_created
    return created, updated


def load_roles(role_model: Any) -> tuple[int, int]:
    """Create the default roles with the actions the installed apps grant them (core.domains); existing
    roles keep an administrator's changes to their actions."""
    from django.utils.translation import override

    from qorgau.core.roles import default_roles

    created = existing = 0
    with override("en"):
        for slug, role in default_roles().items():
            _, was_created = role_model.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": str(role.name),
                    "description": str(role.description),
                    "actions": list(role.actions),
                },
            )
            created += was_created
            existing += not was_created
    return created, existing
