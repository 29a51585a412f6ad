"""Test data for planning: demand points around Astana and Shymkent, an Astana crisis centre, planners."""

from __future__ import annotations

from decimal import Decimal

from qorgau.core.models import Agency, Region, User
from qorgau.core.permissions import Scope
from qorgau.core.testing import Personas, UserFactory, role
from qorgau.facilities.models import Facility, Settlement
from qorgau.facilities.services import do_register_facility

from ..models import DemandPoint, Scenario
from ..services import do_create_scenario, do_run_scenario

# (name, lat, lon, population): a ring of settlements east of Astana, a few far away
ASTANA_POINTS = [
    ("Astana", 51.18, 71.45, 1_000_000),
    ("Kosshy", 51.00, 71.50, 40_000),
    ("Akmol", 51.05, 71.10, 20_000),
    ("Far East", 51.20, 73.40, 60_000),
    ("Far South", 49.90, 71.40, 30_000),
    ("Far North", 52.40, 71.60, 25_000),
]


def points(
    region: Region, rows: list[tuple[str, float, float, int]] = ASTANA_POINTS, prefix: str = "t"
) -> list[DemandPoint]:
    return DemandPoint.objects.bulk_create(
        DemandPoint(
            region=region,
            kind="settlement",
            code=f"{prefix}-{i}",
            name=name,
            latitude=lat,
            longitude=lon,
            population=pop,
        )
        for i, (name, lat, lon, pop) in enumerate(rows)
    )


def shelter(
    admin: User,
    region: Region,
    *,
    lat: str = "51.18000",
    lon: str = "71.45000",
    name: str = "Planning Shelter",
) -> Facility:
    place = Settlement.objects.create(
        region=region,
        name_en="Astana",
        name_ru="Астана",
        name_kk="Астана",
        latitude=Decimal(lat),
        longitude=Decimal(lon),
        population=1_000_000,
    )
    return do_register_facility(
        actor=admin,
        name=name,
        settlement=place,
        type="crisis_centre",
        operator="ngo",
        address="Test street 1",
        places={"women": 4, "women_children": 6},
    )


def analyst(region: Region, name: str = "planner", agency: Agency | None = None) -> User:
    user = UserFactory.create(
        username=name, agency=agency, role=role("analyst"), scope=Scope.REGIONS, regions=[region]
    )
    return User.objects.get(pk=user.pk)


def solved(actor: User, region: Region, model: str = "max_cover", **parameters: object) -> Scenario:
    params = {"p": 1, "radius_km": 60, **parameters}
    scenario = do_create_scenario(
        actor=actor,
        region=region,
        name=f"Test {model}",
        facility_type="crisis_centre",
        model=model,
        parameters=params,
    )
    return do_run_scenario(scenario_id=scenario.pk)


def world(p: Personas) -> dict[str, object]:
    points(p.astana)
    return {"shelter": shelter(p.sysadmin, p.astana), "planner": analyst(p.astana)}
