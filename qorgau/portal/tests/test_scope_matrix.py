"""The scope matrix (core.testing.ScopeMatrix) of the prevention register: an activity of Astana recorded
by an Astana akimat's district social worker. Anonymous -> login or 401, no role -> 403 on the lists, the
Shymkent twin (same role, a Shymkent akimat) -> 404 on the page and the API, the worker -> 200. Every route
and method is also in matrix.py (the route matrix). The public help pages (/help/) have no login and are
covered by test_public.py and test_messages.py; public messages have no staff page."""

from __future__ import annotations

from typing import Any

from qorgau.core.testing import Personas, ScopeMatrix

from .factories import activity, prevention_worker


def _activity(personas: Personas) -> Any:
    worker = prevention_worker(personas)
    # the matrix reads its users from the personas: the Astana worker and the Shymkent twin of the same role
    personas.prevention_worker = worker  # type: ignore[attr-defined]
    personas.prevention_shymkent_worker = prevention_worker(  # type: ignore[attr-defined]
        personas, "shymkent_twin", region=personas.shymkent
    )
    return activity(worker, personas)


class TestActivityScope(ScopeMatrix):
    """An Astana prevention activity, read by the worker who recorded it; the Shymkent twin gets 404."""

    list_url: str | None = "/prevention/"
    api_list_url: str | None = "/api/portal/activities/"
    permitted = "prevention_worker"
    other_region = "prevention_shymkent_worker"

    def make_object(self, personas: Personas) -> Any:
        return _activity(personas)

    def detail_url(self, obj: Any) -> str:
        return f"/prevention/{obj.pk}/"

    def api_detail_url(self, obj: Any) -> str:
        return f"/api/portal/activities/{obj.pk}/"


class TestActivityEvaluationScope(TestActivityScope):
    """The evaluation of the same activity (its page and its API figures): same scope as the activity."""

    def detail_url(self, obj: Any) -> str:
        return f"/prevention/{obj.pk}/evaluation/"

    def api_detail_url(self, obj: Any) -> str:
        return f"/api/portal/activities/{obj.pk}/evaluation/"


class TestActivityScopeOfAnotherRole(TestActivityScope):
    """The Astana police duty officer has no prevention role: 403 on the lists (not only the outsider)."""

    no_permission = "astana_officer"
