"""The scope matrix (core.testing.ScopeMatrix) of the planning pages: anonymous -> login, no role -> 403,
the Shymkent analyst -> 404 on Astana's scenario, its export and Astana's region gap page, the Astana
analyst -> 200. Planning has no API. Every route and method is also in matrix.py (the route matrix)."""

from __future__ import annotations

from typing import Any

from qorgau.core.testing import Personas, ScopeMatrix

from .factories import analyst, points, shelter, solved


def _planners(personas: Personas) -> None:
    # the matrix reads its users from the personas: an analyst of Astana and one of Shymkent (same role)
    points(personas.astana)
    shelter(personas.sysadmin, personas.astana)
    personas.astana_planner = analyst(personas.astana, "scope_planner")  # type: ignore[attr-defined]
    personas.shymkent_planner = analyst(personas.shymkent, "scope_shymkent_planner")  # type: ignore[attr-defined]


class TestScenarioScope(ScopeMatrix):
    """A solved Astana scenario, read by the Astana analyst; the Shymkent analyst gets 404."""

    list_url: str | None = "/planning/scenarios/"
    permitted = "astana_planner"
    other_region = "shymkent_planner"

    def make_object(self, personas: Personas) -> Any:
        _planners(personas)
        return solved(personas.astana_planner, personas.astana)  # type: ignore[attr-defined]

    def detail_url(self, obj: Any) -> str:
        return f"/planning/scenarios/{obj.pk}/"


class TestScenarioExportScope(TestScenarioScope):
    """The XLSX export of the same scenario (no list of its own)."""

    list_url = None

    def detail_url(self, obj: Any) -> str:
        return f"/planning/scenarios/{obj.pk}/export.xlsx"


class TestRegionGapsScope(ScopeMatrix):
    """Astana's district gap page (demand and beds of the region), under the gap table."""

    list_url: str | None = "/planning/"
    permitted = "astana_planner"
    other_region = "shymkent_planner"

    def make_object(self, personas: Personas) -> Any:
        _planners(personas)
        return personas.astana

    def detail_url(self, obj: Any) -> str:
        return f"/planning/regions/{obj.pk}/"
