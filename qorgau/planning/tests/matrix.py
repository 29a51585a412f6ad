"""Scope cases of every planning route (see qorgau/core/testing_matrix.py).

The world: demand points in Astana, an Astana crisis centre and an Astana analyst (regions scope) with a
solved scenario there. The analyst's Shymkent twin plans Shymkent: Astana's region page, scenarios,
comparison and export answer 404; the gap table and the scenario list show only Shymkent's rows.
Scenarios are aggregates (demand and beds, no person), but each belongs to one region and is read only
within the scope that covers it.
"""

from __future__ import annotations

from typing import Any

from qorgau.core.models import User
from qorgau.core.testing_matrix import Case, World, builds

from ..models import Scenario
from .factories import analyst, points, shelter, solved

PLANNER = "astana_planner"
FORM_REFUSED = "the twin's form offers only Shymkent: Astana is refused as a choice (200, the form again)"
LIST = "a list-like page without an object: the twin's answer is checked by `shows`"


@builds(PLANNER)
def _planner(w: World) -> User:
    points(w.p.astana, prefix="m")
    shelter(w.p.sysadmin, w.p.astana)
    return analyst(w.p.astana, "matrix_planner", agency=w.p.astana_police)


@builds("pl_scenario")
def _scenario(w: World) -> Scenario:
    return solved(w.user(PLANNER), w.p.astana)


def pk(name: str) -> Any:
    return lambda w: {"pk": w[name].pk}


def created(w: World, response: Any) -> None:
    assert Scenario.objects.filter(name="Matrix plan", region=w.p.astana).count() == 1


CASES = [
    Case("planning:gaps", "GET", PLANNER, 200, shows=lambda w: w.user(PLANNER) and 'data-region="KZ-71"'),
    Case(
        "planning:region_gaps",
        "GET",
        PLANNER,
        200,
        kwargs=lambda w: w.user(PLANNER) and {"pk": w.p.astana.pk},
    ),
    Case(
        "planning:scenario_list",
        "GET",
        PLANNER,
        200,
        shows=lambda w: f'data-scenario="{w["pl_scenario"].pk}"',
    ),
    Case(
        "planning:scenario_create",
        "GET",
        PLANNER,
        200,
        shows=lambda w: w.user(PLANNER) and f'<option value="{w.p.astana.pk}"',
    ),
    Case(
        "planning:scenario_create",
        "POST",
        PLANNER,
        302,
        data=lambda w: (
            w.user(PLANNER)
            and {
                "name": "Matrix plan",
                "region": w.p.astana.pk,
                "facility_type": "crisis_centre",
                "model": "max_cover",
                "p": 1,
                "radius_km": 50,
                "fixed_existing": "on",
            }
        ),
        other_region=200,
        why=FORM_REFUSED,
        check=created,
    ),
    Case("planning:scenario_detail", "GET", PLANNER, 200, kwargs=pk("pl_scenario")),
    Case(
        "planning:scenario_compare",
        "GET",
        PLANNER,
        200,
        data=lambda w: {"ids": [w["pl_scenario"].pk]},
        other_region=404,
        why="the twin cannot see the Astana scenario: the comparison answers 404",
    ),
    Case("planning:scenario_export", "GET", PLANNER, 200, kwargs=pk("pl_scenario")),
]
EXEMPT: dict[str, str] = {}
