"""One scenario from its parameters to its explained result (called by the background task)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from qorgau.facilities import queries as facilities_queries

from .demand import point_weights, region_demand
from .models import DemandPoint, Scenario
from .solve import (
    Solution,
    SolveError,
    access_matrix,
    capacitated_cover,
    max_cover,
    p_median,
    parse_travel_csv,
)


@dataclass
class Inputs:
    points: list[DemandPoint]
    existing: list[dict[str, Any]]
    site_ids: list[str]
    weights: np.ndarray  # admissions a year per point
    beds: np.ndarray  # beds needed per point
    annual: float
    source: str


def site_codes(points: list[DemandPoint], existing: list[dict[str, Any]]) -> list[str]:
    return [f"FAC-{s['facility']:04d}" for s in existing] + [p.code for p in points]


def inputs(scenario: Scenario) -> Inputs:
    user = scenario.created_by
    points = list(DemandPoint.objects.filter(region=scenario.region_id).order_by("id"))
    if not points:
        raise SolveError("the region has no demand points")
    rule = scenario.demand_rule
    row = next(
        (r for r in region_demand(user, scenario.facility_type, rule) if r.region.pk == scenario.region_id),
        None,
    )
    if row is None:
        raise SolveError("the region is outside the planner's scope")
    existing = [
        s
        for s in facilities_queries.planning_supply(user)
        if s["type"] == scenario.facility_type and s["region"] == scenario.region_id
    ]
    weights = point_weights(points, row.annual)
    per_admission = rule["persons_per_admission"] * row.stay_days / 365 * rule["peak_factor"]
    return Inputs(
        points,
        existing,
        site_codes(points, existing),
        weights,
        weights * per_admission,
        row.annual,
        row.source,
    )


def distances(scenario: Scenario, data: Inputs) -> np.ndarray:
    if scenario.travel_csv:
        return parse_travel_csv(scenario.travel_csv, [p.code for p in data.points], data.site_ids)
    sites = [(s["latitude"], s["longitude"]) for s in data.existing] + [
        (p.latitude, p.longitude) for p in data.points
    ]
    return access_matrix(
        [(p.latitude, p.longitude) for p in data.points], sites, detour=scenario.demand_rule["detour_factor"]
    )


def solve(scenario: Scenario, data: Inputs, dist: np.ndarray) -> Solution:
    par = scenario.parameters
    nexist = len(data.existing)
    fixed = list(range(nexist)) if par.get("fixed_existing", True) else []
    limit = float(par.get("time_limit", 120))
    if scenario.model == "max_cover":
        return max_cover(
            data.weights, dist, radius=par["radius_km"], p=par["p"], fixed=fixed, time_limit=limit
        )
    if scenario.model == "p_median":
        return p_median(data.weights, dist, p=par["p"], fixed=fixed, time_limit=limit)
    capacity = np.array([s["beds"] for s in data.existing] + [0] * len(data.points), dtype=float)
    return capacitated_cover(
        data.beds,
        dist,
        radius=par["radius_km"],
        capacity=capacity,
        fixed=fixed,
        p=par["p"],
        budget=par.get("budget", 0),
        site_cost=par.get("site_cost", 0),
        bed_cost=par.get("bed_cost", 0),
        max_new_beds=par.get("max_new_beds", 50),
        time_limit=limit,
    )


def explain(scenario: Scenario, data: Inputs, dist: np.ndarray, sol: Solution) -> dict[str, Any]:
    """Coverage, distances and beds before (existing facilities) and after (with the new sites)."""
    par = scenario.parameters
    radius = float(par["radius_km"])
    nexist = len(data.existing)
    capacitated = scenario.model == "capacitated"
    w = data.beds if capacitated else data.weights
    before = dist[:, :nexist].min(axis=1) if nexist else np.full(len(data.points), np.inf)
    open_after = sorted({*(range(nexist) if par.get("fixed_existing", True) else []), *sol.opened})
    after = dist[:, open_after].min(axis=1) if open_after else np.full(len(data.points), np.inf)
    covered_before = before <= radius
    covered_after = np.asarray(sol.served) if capacitated else (after <= radius).astype(float)
    total = float(w.sum())

    def avg(d: np.ndarray) -> float | None:
        ok = np.isfinite(d)
        return float((w[ok] * d[ok]).sum() / w[ok].sum()) if ok.any() and w[ok].sum() else None

    def worst(d: np.ndarray) -> float | None:
        ok = np.isfinite(d) & (w > 0)
        return float(d[ok].max()) if ok.any() else None

    points: list[dict[str, Any]] = []
    for i, p in enumerate(data.points):
        points.append(
            {
                "code": p.code,
                "name": p.name,
                "lat": p.latitude,
                "lon": p.longitude,
                "kind": p.kind,
                "demand": round(float(w[i]), 3),
                "before_km": None if not np.isfinite(before[i]) else round(float(before[i]), 1),
                "after_km": None if not np.isfinite(after[i]) else round(float(after[i]), 1),
                "covered_before": bool(covered_before[i]),
                "covered_after": round(float(covered_after[i]), 3),
            }
        )
    gains = [pt for pt in points if pt["covered_after"] > 0.5 and not pt["covered_before"]]
    gains.sort(key=lambda pt: -pt["demand"])
    assignment = np.asarray(sol.assignment)
    opened = []
    for j in sol.opened:
        mine = assignment == j
        code = data.site_ids[j]
        point = data.points[j - nexist] if j >= nexist else None
        opened.append(
            {
                "code": code,
                "name": point.name if point else code,
                "lat": point.latitude if point else data.existing[j]["latitude"],
                "lon": point.longitude if point else data.existing[j]["longitude"],
                "serves": round(float(w[mine].sum()), 2),
                "gains": round(float(w[mine & ~covered_before].sum()), 2),
                "added_beds": int(sol.added_beds.get(j, 0)),
            }
        )
    added = {data.site_ids[j]: n for j, n in sol.added_beds.items()}
    beds_added = int(sum(added.values()))
    cost = None
    if capacitated:
        cost = len(sol.opened) * float(par.get("site_cost", 0)) + beds_added * float(par.get("bed_cost", 0))
    return {
        "status": sol.status,
        "optimal": sol.optimal,
        "objective": sol.objective,
        "bound": sol.bound,
        "gap": sol.gap,
        "seconds": round(sol.seconds, 3),
        "iterations": sol.iterations,
        "size": sol.size,
        "unit": "beds" if capacitated else "admissions",
        "minutes": bool(scenario.travel_csv),
        "demand_source": data.source,
        "annual": round(data.annual, 2),
        "total": round(total, 3),
        "covered_before": round(float(w[covered_before].sum()), 3),
        "covered_after": round(float((w * covered_after).sum()), 3),
        "avg_before": avg(before),
        "avg_after": avg(after),
        "worst_before": worst(before),
        "worst_after": worst(after),
        "beds_added": beds_added,
        "added_beds": added,
        "cost": cost,
        "existing": [
            {"code": data.site_ids[j], "lat": s["latitude"], "lon": s["longitude"], "beds": s["beds"]}
            for j, s in enumerate(data.existing)
        ],
        "opened": opened,
        "gains": [g["code"] for g in gains],
        "points": points,
    }


def run(scenario: Scenario, progress: Callable[[str], None]) -> dict[str, Any]:
    progress("reading demand and facilities")
    data = inputs(scenario)
    progress("computing access")
    dist = distances(scenario, data)
    progress("solving with HiGHS")
    sol = solve(scenario, data, dist)
    progress("explaining the result")
    return explain(scenario, data, dist, sol)
