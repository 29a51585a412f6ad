"""The scope matrix (core.testing.ScopeMatrix) of the facilities models' pages and API: anonymous -> login
or 401, no role -> 403, Shymkent -> 404 on the Astana record, permitted -> 200. Every route and method is
also in matrix.py (the route matrix); the secret address has its own tests (test_address.py)."""

from __future__ import annotations

from typing import Any

from qorgau.core.testing import Personas, ScopeMatrix

from .factories import make_facility_world


def _world(personas: Personas) -> Any:
    world = make_facility_world(personas)
    # the matrix reads its users from the personas: the world's Astana case worker and facility manager
    personas.facility_case_worker = world.worker  # type: ignore[attr-defined]
    personas.facility_manager = world.manager  # type: ignore[attr-defined]
    personas.facility_shymkent_manager = world.shymkent_manager  # type: ignore[attr-defined]
    return world


class TestPlacementRequestScope(ScopeMatrix):
    """A placement request of an Astana case for the Astana shelter, read by the worker who made it."""

    list_url: str | None = "/facilities/requests/"
    api_list_url = "/api/facilities/requests/"
    permitted = "facility_case_worker"

    def make_object(self, personas: Personas) -> Any:
        return _world(personas).request()

    def detail_url(self, obj: Any) -> str:
        return f"/facilities/requests/{obj.pk}/"

    def api_detail_url(self, obj: Any) -> str:
        return f"/api/facilities/requests/{obj.pk}/"


class TestPlacementRequestScopeOfTheFacility(TestPlacementRequestScope):
    """The same request read by the manager of the facility it was made to (the request list is the case
    worker's; the manager answers requests on the manager's page)."""

    list_url = None
    permitted = "facility_manager"


class TestFacilityScope(ScopeMatrix):
    """The Astana shelter's page, read by its manager; the Shymkent shelter's manager gets 404 (a case
    worker has no facility pages: 403)."""

    permitted = "facility_manager"
    other_region = "facility_shymkent_manager"

    def make_object(self, personas: Personas) -> Any:
        return _world(personas).shelter

    def detail_url(self, obj: Any) -> str:
        return f"/facilities/{obj.pk}/"
