"""Storing a run's results: per family (levels C-E and every family that moved), per district, and a
dry run's level changes. Called by the pipeline's store stage (inside the task), all in one transaction:
a failure stores nothing and the stage runs again on resume."""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow.parquet as pq
from django.db import transaction

from qorgau.core.models import District, Region

from ..engine.pipeline import RunContext
from ..engine.rules import LEVELS, parse
from ..models import Change, DistrictAggregate, FamilyResult, LevelChange, Run

BATCH = 5000
STORED_FROM = LEVELS.index("C")


def _places() -> tuple[dict[str, int], dict[str, int]]:
    regions = dict(Region.objects.values_list("code", "id"))
    districts = dict(District.objects.values_list("code", "id"))
    return regions, districts


def _change(previous: int | None, level: int) -> str:
    if previous is None:
        return Change.NEW
    if level > previous:
        return Change.UP
    if level < previous:
        return Change.DOWN
    return Change.SAME


def _aggregates(run: Run, ctx: RunContext, regions: dict[str, int], districts: dict[str, int]) -> int:
    rows = []
    for name, by_district in (("aggregates_district.parquet", True), ("aggregates_region.parquet", False)):
        for row in pq.read_table(ctx.path(name)).to_pylist():
            region_id = regions.get(row["region"])
            if region_id is None:
                continue
            code = row["district"] if by_district else ""
            rows.append(
                DistrictAggregate(
                    run=run,
                    region_id=region_id,
                    district_id=districts.get(code) if code else None,
                    district_code=code or "",
                    families=row["n"],
                    identified=row["q"],
                    headcount=row["H"],
                    intensity=row["A"],
                    adjusted_headcount=row["M0"],
                    levels={level: row[f"level_{level}"] for level in LEVELS},
                )
            )
    DistrictAggregate.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


@transaction.atomic
def store_refresh(run: Run, ctx: RunContext) -> dict[str, Any]:
    FamilyResult.objects.filter(run=run).delete()
    DistrictAggregate.objects.filter(run=run).delete()
    spec = parse(ctx.document)
    regions, districts = _places()
    overrides = [
        (o.code, sum(1 << spec.bit(c) for c in o.when_all), LEVELS.index(o.min_level)) for o in spec.overrides
    ]
    query = duckdb.connect().execute(
        "SELECT family_id, region, district, members, score, poor, score_level, level, mask, previous_level "
        "FROM read_parquet($path) "
        "WHERE level >= $low OR (previous_level IS NOT NULL AND previous_level <> level) "
        "ORDER BY family_id",
        {"path": str(ctx.path("classified.parquet")), "low": STORED_FROM},
    )
    stored = skipped = 0
    reader = query.to_arrow_reader(BATCH)
    assert reader is not None
    for batch in reader:
        objects = []
        for row in batch.to_pylist():
            region_id = regions.get(row["region"])
            if region_id is None:
                skipped += 1
                continue
            previous = row["previous_level"]
            objects.append(
                FamilyResult(
                    run=run,
                    rule_set_id=run.rule_set_id,
                    family_key=row["family_id"],
                    region_id=region_id,
                    district_id=districts.get(row["district"]),
                    members=min(row["members"], 32767),
                    level=LEVELS[row["level"]],
                    score=row["score"],
                    score_level=LEVELS[row["score_level"]],
                    identified=row["poor"],
                    reasons=spec.codes_of_mask(row["mask"]),
                    overrides=[
                        code
                        for code, required, least in overrides
                        if row["mask"] & required == required and least > row["score_level"]
                    ],
                    previous_level=LEVELS[previous] if previous is not None else "",
                    change=_change(previous, row["level"]),
                )
            )
        FamilyResult.objects.bulk_create(objects, batch_size=BATCH)
        stored += len(objects)
    return {
        "families_stored": stored,
        "outside_known_regions": skipped,
        "aggregates": _aggregates(run, ctx, regions, districts),
    }


@transaction.atomic
def store_dry_run(run: Run, ctx: RunContext) -> dict[str, Any]:
    LevelChange.objects.filter(run=run).delete()
    DistrictAggregate.objects.filter(run=run).delete()
    regions, districts = _places()
    rows = (
        duckdb.connect()
        .execute(
            "SELECT region, district, previous_level, level, count(*) AS n FROM read_parquet($path) "
            "WHERE previous_level IS NOT NULL AND previous_level <> level GROUP BY ALL ORDER BY ALL",
            {"path": str(ctx.path("classified.parquet"))},
        )
        .to_arrow_table()
    )
    assert rows is not None
    changes = [
        LevelChange(
            run=run,
            region_id=regions[row["region"]],
            district_id=districts.get(row["district"]),
            district_code=row["district"] or "",
            from_level=LEVELS[row["previous_level"]],
            to_level=LEVELS[row["level"]],
            families=row["n"],
        )
        for row in rows.to_pylist()
        if row["region"] in regions
    ]
    LevelChange.objects.bulk_create(changes, batch_size=BATCH)
    return {
        "changes": len(changes),
        "families_moved": sum(c.families for c in changes),
        "aggregates": _aggregates(run, ctx, regions, districts),
    }
