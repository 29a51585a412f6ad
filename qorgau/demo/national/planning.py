"""The demo's network planning: the demand points (GeoNames settlements and synthetic rural points,
qorgau/planning/geography.py) and two scenarios for Almaty Region's crisis centres, solved now (they
take well under a second each), so that the planning pages show a result at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qorgau.core.models import Region, User


def create_planning(users: dict[str, User], *, progress: Callable[[str], Any] = lambda _m: None) -> None:
    from qorgau.planning.models import Scenario
    from qorgau.planning.services import do_create_scenario, do_load_demand_points, do_run_scenario

    created = do_load_demand_points()
    admin = users.get("system_admin")
    region = Region.objects.filter(code="KZ-19").first()
    if admin is None or region is None or Scenario.objects.filter(region=region).exists():
        progress(f"Planning: {created} demand points; scenarios skipped.")
        return
    specs = [
        ("Almaty Region: three more crisis centres (coverage)", "max_cover", {"p": 3, "radius_km": 60}),
        ("Almaty Region: three more crisis centres (shortest trips)", "p_median", {"p": 3, "radius_km": 60}),
    ]
    for name, model, parameters in specs:
        scenario = do_create_scenario(
            actor=admin,
            region=region,
            name=name,
            facility_type="crisis_centre",
            model=model,
            parameters=parameters,
        )
        do_run_scenario(scenario_id=scenario.pk)
    progress(f"Planning: {created} demand points, {len(specs)} scenarios solved.")
