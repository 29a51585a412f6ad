"""Demand, supply and the gap, per region and district, from the other apps' queries (counts only).

The formula (docs/planning.md "Demand"), per region and facility type, over the last 365 days:

    admissions a year  = max(admissions + turn-aways,  signals x admissions_per_signal)
                         or, when Qorgau records neither, population / 10,000 x admissions_per_10k
    stay (days)        = the average finished stay there (5 stays or more), else the rule's stay_days
    beds needed        = admissions a year x persons_per_admission x stay / 365 x peak_factor

The region's figure is shared among its demand points by population. Each value's source is kept
("placements", "signals" or "population") and shown, so a planner sees where an estimate is thin.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.utils import timezone

from qorgau.core.models import District, Region
from qorgau.core.permissions import in_scope
from qorgau.facilities import queries as facilities_queries
from qorgau.intake import queries as intake_queries

from .models import DemandPoint, DemandRule
from .solve import access_matrix

YEAR = dt.timedelta(days=365)
MIN_STAYS = 5

# Defaults of the demand rules (loaded by the migration and the demo; docs/planning.md says why).
DEFAULT_RULES: dict[str, dict[str, float]] = {
    "crisis_centre": {
        "admissions_per_10k": 2.2,
        "admissions_per_signal": 0.05,
        "persons_per_admission": 2.2,
        "stay_days": 45,
        "peak_factor": 1.2,
    },
    "family_support": {
        "admissions_per_10k": 1.0,
        "admissions_per_signal": 0.02,
        "persons_per_admission": 2.0,
        "stay_days": 20,
        "peak_factor": 1.2,
    },
    "adaptation_centre": {
        "admissions_per_10k": 1.5,
        "admissions_per_signal": 0.01,
        "persons_per_admission": 1.0,
        "stay_days": 30,
        "peak_factor": 1.2,
    },
    "drug_treatment": {
        "admissions_per_10k": 3.0,
        "admissions_per_signal": 0.02,
        "persons_per_admission": 1.0,
        "stay_days": 21,
        "peak_factor": 1.1,
    },
}


def rule_parameters(facility_type: str) -> dict[str, float]:
    rule = DemandRule.objects.filter(facility_type=facility_type).first()
    if rule is not None:
        return rule.as_parameters()
    return {**DEFAULT_RULES[facility_type], "detour_factor": 1.3, "reach_km": 100.0}


def scope_regions(user: Any) -> list[Region]:
    if not user.can("planning.view"):
        return []
    return list(in_scope(Region.objects.all(), Region.scope_paths, user).order_by("name_en"))


@dataclass
class RegionDemand:
    region: Region
    facility_type: str
    population: int
    admissions: int
    turnaways: int
    signals: int
    annual: float  # expected admissions a year
    source: str
    stay_days: float
    beds_needed: float
    beds: int = 0
    vacant: int = 0
    facilities: int = 0
    covered_share: float | None = None  # share of demand within reach of a facility with free places
    far: list[tuple[str, float | None]] = field(default_factory=list)  # settlements most out of reach

    @property
    def per_10k(self) -> float:
        return 10_000 * self.annual / self.population if self.population else 0.0

    @property
    def occupancy(self) -> int | None:
        return round(100 * (self.beds - self.vacant) / self.beds) if self.beds else None

    @property
    def bed_gap(self) -> float:
        return self.beds_needed - self.beds


def estimate(
    rule: dict[str, float],
    *,
    population: int,
    admissions: int,
    turnaways: int,
    signals: int,
    stay_days: float | None,
) -> tuple[float, str, float, float]:
    """(admissions a year, source, stay days, beds needed) by the formula of the module docstring."""
    observed = admissions + turnaways
    from_signals = signals * rule["admissions_per_signal"]
    if observed or from_signals:
        annual, source = (
            (float(observed), "placements") if observed >= from_signals else (from_signals, "signals")
        )
    else:
        annual, source = population / 10_000 * rule["admissions_per_10k"], "population"
    stay = stay_days if stay_days is not None else rule["stay_days"]
    beds = annual * rule["persons_per_admission"] * stay / 365 * rule["peak_factor"]
    return annual, source, stay, beds


def region_demand(user: Any, facility_type: str, rule: dict[str, float] | None = None) -> list[RegionDemand]:
    """Demand by region of the user's scope for one facility type (the gap table's rows)."""
    rule = rule or rule_parameters(facility_type)
    regions = scope_regions(user)
    since = timezone.now() - YEAR
    placements = facilities_queries.planning_demand(user, since)
    signals: dict[int, int] = defaultdict(int)
    for (region_id, _district), n in intake_queries.signals_by_district(user, since).items():
        signals[region_id] += n
    supply = [s for s in facilities_queries.planning_supply(user) if s["type"] == facility_type]
    rows = []
    for region in regions:
        cell = placements.get((region.pk, facility_type), {})
        stays = int(cell.get("stays", 0))
        stay = cell["stay_days"] / stays if stays >= MIN_STAYS else None
        annual, source, stay_days, beds_needed = estimate(
            rule,
            population=region.population,
            admissions=int(cell.get("admissions", 0)),
            turnaways=int(cell.get("turnaways", 0)),
            signals=signals[region.pk],
            stay_days=stay,
        )
        mine = [s for s in supply if s["region"] == region.pk]
        rows.append(
            RegionDemand(
                region=region,
                facility_type=facility_type,
                population=region.population,
                admissions=int(cell.get("admissions", 0)),
                turnaways=int(cell.get("turnaways", 0)),
                signals=signals[region.pk],
                annual=annual,
                source=source,
                stay_days=stay_days,
                beds_needed=beds_needed,
                beds=sum(s["beds"] for s in mine),
                vacant=sum(s["vacant"] for s in mine),
                facilities=len(mine),
            )
        )
    _reach(rows, supply, rule)
    return rows


def point_weights(points: list[DemandPoint], annual: float) -> np.ndarray:
    """The region's admissions a year shared among its points by population."""
    pop = np.array([p.population for p in points], dtype=float)
    return annual * pop / pop.sum() if pop.sum() else np.zeros(len(points))


def _reach(rows: list[RegionDemand], supply: list[dict[str, Any]], rule: dict[str, float]) -> None:
    """Each row's share of demand within reach of a facility with a free place, and its farthest points."""
    free = [s for s in supply if s["vacant"] - s["held"] > 0]
    by_region: dict[int, list[DemandPoint]] = defaultdict(list)
    for point in DemandPoint.objects.filter(region__in=[r.region for r in rows]).order_by("id"):
        by_region[point.region_id].append(point)
    for row in rows:
        points = by_region.get(row.region.pk, [])
        if not points:
            continue
        weights = point_weights(points, row.annual)
        if free:
            dist = access_matrix(
                [(p.latitude, p.longitude) for p in points],
                [(s["latitude"], s["longitude"]) for s in free],
                detour=rule["detour_factor"],
            ).min(axis=1)
        else:
            dist = np.full(len(points), np.inf)
        total = weights.sum()
        row.covered_share = float(weights[dist <= rule["reach_km"]].sum() / total) if total else None
        worst = np.argsort(-np.where(np.isfinite(dist), dist, 1e12) * (weights > 0), kind="stable")[:3]
        row.far = [
            (points[i].name, None if not np.isfinite(dist[i]) else round(float(dist[i]))) for i in worst
        ]


@dataclass
class DistrictRow:
    district: District | None
    population: int
    signals: int
    annual: float
    covered_share: float | None
    far: list[tuple[str, float | None]]


def district_rows(user: Any, region: Region, facility_type: str) -> list[DistrictRow]:
    """One region's demand by district (the region's demand shared by population; signals as counted)."""
    rule = rule_parameters(facility_type)
    row = next((r for r in region_demand(user, facility_type, rule) if r.region.pk == region.pk), None)
    if row is None:
        return []
    points = list(DemandPoint.objects.filter(region=region).select_related("district").order_by("id"))
    if not points:
        return []
    since = timezone.now() - YEAR
    signals = {
        d: n for (r, d), n in intake_queries.signals_by_district(user, since).items() if r == region.pk
    }
    supply = [
        s
        for s in facilities_queries.planning_supply(user)
        if s["type"] == facility_type and s["vacant"] - s["held"] > 0
    ]
    weights = point_weights(points, row.annual)
    if supply:
        dist = access_matrix(
            [(p.latitude, p.longitude) for p in points],
            [(s["latitude"], s["longitude"]) for s in supply],
            detour=rule["detour_factor"],
        ).min(axis=1)
    else:
        dist = np.full(len(points), np.inf)
    groups: dict[int | None, list[int]] = defaultdict(list)
    for i, p in enumerate(points):
        groups[p.district_id].append(i)
    out = []
    for district_id, members in groups.items():
        ix = np.asarray(members)
        total = weights[ix].sum()
        covered = weights[ix][dist[ix] <= rule["reach_km"]].sum()
        worst = ix[np.argsort(-np.where(np.isfinite(dist[ix]), dist[ix], 1e12), kind="stable")[:3]]
        out.append(
            DistrictRow(
                district=points[members[0]].district,
                population=int(sum(points[i].population for i in members)),
                signals=signals.get(district_id, 0),
                annual=float(total),
                covered_share=float(covered / total) if total else None,
                far=[
                    (points[i].name, None if not np.isfinite(dist[i]) else round(float(dist[i])))
                    for i in worst
                ],
            )
        )
    out.sort(key=lambda r: (r.district is None, str(r.district or "")))
    return out
