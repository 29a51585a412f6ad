"""Reads of the family map's pages: runs, rule sets, and aggregates computed inside the user's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from qorgau.core.permissions import in_scope

from .engine.rules import LEVELS
from .models import DistrictAggregate, FamilyResult, LevelChange, Run


def run_aggregates(user: Any, run: Run) -> list[DistrictAggregate]:
    """The district and region rows of `run` that the user's scope reaches (district rows first by region)."""
    rows = in_scope(DistrictAggregate.objects.filter(run=run), DistrictAggregate.scope_paths, user)
    return list(rows.select_related("region", "district").order_by("region__code", "district_code"))


def run_changes(user: Any, run: Run) -> dict[str, Any]:
    """A dry run's answer within the user's scope: families that would change level, per district, and
    the matrix from -> to over the whole scope."""
    rows = list(
        in_scope(LevelChange.objects.filter(run=run), LevelChange.scope_paths, user).select_related(
            "region", "district"
        )
    )
    districts: dict[tuple[str, str], dict[str, Any]] = {}
    matrix = {a: dict.fromkeys(LEVELS, 0) for a in LEVELS}
    for row in rows:
        key = (row.region.code, row.district_code)
        entry = districts.setdefault(
            key,
            {"region": row.region, "district": row.district, "code": row.district_code, "up": 0, "down": 0},
        )
        entry["up" if row.to_level > row.from_level else "down"] += row.families
        matrix[row.from_level][row.to_level] += row.families
    return {
        "districts": [districts[k] for k in sorted(districts)],
        "matrix": [(a, [matrix[a][b] for b in LEVELS]) for a in LEVELS],
        "total": sum(r.families for r in rows),
    }


def family_results(user: Any, run: Run | None = None) -> QuerySet[FamilyResult]:
    """Per-family results the user may see (district and region scope), of `run` or of every run."""
    rows = FamilyResult.objects.visible_to(user, "view")
    return rows.filter(run=run) if run is not None else rows


def family_history(user: Any, family_key: int) -> QuerySet[FamilyResult]:
    """One family's results across runs (newest first), within the user's scope."""
    return (
        family_results(user)
        .filter(family_key=family_key)
        .select_related("run", "rule_set")
        .order_by("-run__number")
    )
