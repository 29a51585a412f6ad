"""Scenarios: validation (nothing saved on a bad input), the run and its explanation, audit, scope; the
demand formula and how it degrades without placements; the demand rules service; the demand points."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qorgau.core.models import AuditEvent
from qorgau.core.testing import Personas

from ..demand import estimate, region_demand, rule_parameters
from ..geography import demand_points
from ..models import DemandPoint, Scenario
from ..services import do_create_scenario, do_load_demand_points, do_run_scenario, do_set_demand_rule
from .factories import analyst, points, shelter, solved

pytestmark = pytest.mark.django_db

RULE = {
    "admissions_per_10k": 2.0,
    "admissions_per_signal": 0.1,
    "persons_per_admission": 2.0,
    "stay_days": 45,
    "peak_factor": 1.2,
}


def test_estimate_prefers_placements_then_signals_then_population() -> None:
    assert estimate(RULE, population=100_000, admissions=30, turnaways=10, signals=100, stay_days=None)[
        :2
    ] == (40.0, "placements")
    assert estimate(RULE, population=100_000, admissions=3, turnaways=0, signals=100, stay_days=None)[:2] == (
        10.0,
        "signals",
    )
    annual, source, stay, beds = estimate(
        RULE, population=100_000, admissions=0, turnaways=0, signals=0, stay_days=None
    )
    assert (annual, source, stay) == (20.0, "population", 45)
    assert beds == pytest.approx(20 * 2 * 45 / 365 * 1.2)
    assert estimate(RULE, population=1, admissions=0, turnaways=0, signals=0, stay_days=30.0)[2] == 30.0


def test_region_demand_without_placements_uses_population(personas: Personas) -> None:
    points(personas.astana)
    planner = analyst(personas.astana)
    rows = region_demand(planner, "crisis_centre")
    assert [r.region.code for r in rows] == ["KZ-71"]  # the planner's scope only
    row = rows[0]
    assert row.source == "population" and row.beds == 0 and row.covered_share == 0.0
    assert row.annual == pytest.approx(
        personas.astana.population / 10_000 * rule_parameters("crisis_centre")["admissions_per_10k"]
    )
    assert row.far[0][1] is None  # no facility at all


def test_region_demand_counts_facility_and_reach(personas: Personas) -> None:
    points(personas.astana)
    shelter(personas.sysadmin, personas.astana)
    row = region_demand(analyst(personas.astana), "crisis_centre")[0]
    assert row.beds == 10 and row.facilities == 1
    # Astana, Kosshy and Akmol are within 100 km (x 1.3) of the shelter; the three "Far" ones are not
    total = 1_000_000 + 40_000 + 20_000 + 60_000 + 30_000 + 25_000
    assert row.covered_share == pytest.approx(1_060_000 / total)
    assert {name for name, _km in row.far} == {"Far East", "Far South", "Far North"}


def test_scenario_is_solved_and_explained(personas: Personas) -> None:
    points(personas.astana)
    shelter(personas.sysadmin, personas.astana)
    planner = analyst(personas.astana)
    scenario = solved(planner, personas.astana, "max_cover", p=1, radius_km=100)
    r = scenario.result
    assert scenario.status == "done" and r["optimal"] and r["status"] == "Optimal"
    assert [s["name"] for s in r["opened"]] == ["Far East"]  # the largest settlement out of reach
    assert r["gains"] == ["t-3"] and r["covered_after"] > r["covered_before"]
    assert r["existing"][0]["beds"] == 10
    actions = list(
        AuditEvent.objects.filter(action__startswith="scenario.", object_id=str(scenario.pk)).values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["scenario.add", "scenario.run"]


def test_p_median_without_fixing_existing(personas: Personas) -> None:
    points(personas.astana)
    shelter(personas.sysadmin, personas.astana)
    scenario = solved(analyst(personas.astana), personas.astana, "p_median", p=2, fixed_existing=False)
    assert scenario.result["optimal"] and len(scenario.result["opened"]) == 2
    assert scenario.result["avg_after"] <= scenario.result["avg_before"]


def test_capacitated_scenario_adds_beds_within_budget(personas: Personas) -> None:
    points(personas.astana)
    shelter(personas.sysadmin, personas.astana)
    scenario = solved(
        analyst(personas.astana),
        personas.astana,
        "capacitated",
        p=1,
        radius_km=100,
        budget=50,
        site_cost=40,
        bed_cost=1,
        max_new_beds=20,
    )
    r = scenario.result
    assert r["optimal"] and r["unit"] == "beds"
    assert r["cost"] <= 50 and r["beds_added"] > 0


def _create(actor: Any, region: Any, **overrides: Any) -> Scenario:
    kw: dict[str, Any] = {
        "name": "Bad",
        "facility_type": "crisis_centre",
        "model": "max_cover",
        "parameters": {"p": 1, "radius_km": 50},
    }
    kw.update(overrides)
    return do_create_scenario(actor=actor, region=region, **kw)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"parameters": {"p": 99, "radius_km": 50}}, "p"),
        ({"parameters": {"p": -1}}, "p"),
        ({"parameters": {"p": 1, "budget": -5}}, "budget"),
        ({"parameters": {"p": 1, "radius_km": "far"}}, "radius_km"),
        ({"parameters": {"p": 1, "speed": 3}}, "speed"),
        ({"model": "genetic"}, "model"),
        ({"name": " "}, "name"),
        ({"travel_csv": "origin,destination,minutes\nt-0,t-0,5\n"}, "travel_csv"),
        ({"model": "p_median", "parameters": {"p": 0}}, "p"),
    ],
)
def test_bad_inputs_save_nothing(personas: Personas, overrides: dict[str, Any], field: str) -> None:
    points(personas.astana)
    planner = analyst(personas.astana)
    with pytest.raises(ValidationError) as exc:
        _create(planner, personas.astana, **overrides)
    assert field in exc.value.message_dict
    assert not Scenario.objects.exists() and not AuditEvent.objects.filter(action="scenario.add").exists()


def test_empty_region_and_other_region_are_refused(personas: Personas) -> None:
    planner = analyst(personas.astana)
    with pytest.raises(ValidationError) as exc:
        _create(planner, personas.astana)
    assert "no demand points" in str(exc.value.message_dict["region"])
    points(personas.shymkent, prefix="s")
    with pytest.raises(ValidationError) as exc:
        _create(planner, personas.shymkent)
    assert "scope" in str(exc.value.message_dict["region"])
    with pytest.raises(PermissionDenied):
        _create(personas.astana_officer, personas.astana)
    assert not Scenario.objects.exists()


def test_travel_csv_is_used_in_minutes(personas: Personas) -> None:
    points(personas.astana, ASTANA_TWO := [("A", 51.0, 71.0, 1000), ("B", 51.1, 71.1, 3000)])
    planner = analyst(personas.astana)
    csv = "origin,destination,minutes\nt-0,t-0,0\nt-0,t-1,90\nt-1,t-0,90\nt-1,t-1,0\n"
    scenario = _create(planner, personas.astana, travel_csv=csv, parameters={"p": 1, "radius_km": 60})
    scenario = do_run_scenario(scenario_id=scenario.pk)
    assert len(ASTANA_TWO) == 2
    assert scenario.result["minutes"] and [s["code"] for s in scenario.result["opened"]] == ["t-1"]
    assert scenario.result["covered_after"] == pytest.approx(scenario.result["total"] * 0.75, rel=1e-3)


def test_run_twice_is_safe(personas: Personas) -> None:
    points(personas.astana)
    scenario = solved(analyst(personas.astana), personas.astana)
    again = do_run_scenario(scenario_id=scenario.pk)
    assert again.result == scenario.result
    assert AuditEvent.objects.filter(action="scenario.run").count() == 1


def test_demand_rule_service(personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        do_set_demand_rule(actor=analyst(personas.astana), facility_type="crisis_centre", stay_days=30)
    with pytest.raises(ValidationError) as exc:
        do_set_demand_rule(
            actor=personas.sysadmin, facility_type="crisis_centre", stay_days=0, detour_factor="x"
        )
    assert set(exc.value.message_dict) == {"stay_days", "detour_factor"}
    rule = do_set_demand_rule(
        actor=personas.sysadmin, facility_type="crisis_centre", stay_days=30, detour_factor=1.5
    )
    assert rule_parameters("crisis_centre")["stay_days"] == 30.0 and rule.detour_factor == pytest.approx(1.5)
    event = AuditEvent.objects.get(action="demand_rule.change")
    assert event.changes["stay_days"] == {"old": None, "new": 30.0}


def test_demand_points_are_deterministic_and_cover_the_country(personas: Personas) -> None:
    first = demand_points()
    assert [p["code"] for p in first] == [p["code"] for p in demand_points()]
    assert {p["region"].code for p in first} >= {"KZ-71", "KZ-75", "KZ-19", "KZ-61"}
    rural = [p for p in first if p["kind"] == "rural"]
    assert rural and not any(p["region"].is_city for p in rural)
    assert all(40 <= p["latitude"] <= 56 and 45 <= p["longitude"] <= 90 for p in first)
    created = do_load_demand_points()
    assert created == len(first) == DemandPoint.objects.count() and do_load_demand_points() == 0
