"""The scope matrix (core.testing.ScopeMatrix) of the insights pages: anonymous -> login, no role -> 403,
the Shymkent analyst -> 404 on Astana's region and district dashboards, its report page and an Astana
analyst's report run; the Astana analyst (regional scope over Astana) -> 200. Insights has no API. Every
route and method is also in matrix.py (the route matrix); the public open-data pages need no login by
design and are not covered here (test_views.py, test_suppression.py)."""

from __future__ import annotations

from typing import Any

from qorgau.core.models import District, User
from qorgau.core.permissions import Scope
from qorgau.core.testing import Personas, ScopeMatrix, UserFactory, role

from ..models import ReportRun
from .factories import InsightsWorld, make_insights_world


def _world(personas: Personas) -> InsightsWorld:
    iw = make_insights_world(personas)
    # the matrix reads its users from the personas: the world's Astana and Shymkent analysts
    personas.insights_analyst = iw.analyst  # type: ignore[attr-defined]
    personas.insights_shymkent_analyst = iw.shymkent_analyst  # type: ignore[attr-defined]
    return iw


class TestRegionDashboardScope(ScopeMatrix):
    """Astana's region dashboard, read by the Astana analyst; the Shymkent analyst gets 404 (their own
    reach is Shymkent), a user with no role 403 on the dashboard of the whole reach."""

    list_url: str | None = "/insights/"
    permitted = "insights_analyst"
    other_region = "insights_shymkent_analyst"

    def make_object(self, personas: Personas) -> Any:
        _world(personas)
        return personas.astana

    def detail_url(self, obj: Any) -> str:
        return f"/insights/{obj.code}/"


class TestDistrictDashboardScope(TestRegionDashboardScope):
    """A district of Astana: the Shymkent analyst gets 404 on its dashboard."""

    list_url = None

    def make_object(self, personas: Personas) -> Any:
        _world(personas)
        return District.objects.create(
            region=personas.astana,
            code="KZ71-SCOPE",
            name_en="Scope district",
            name_ru="Район",
            name_kk="Аудан",
        )

    def detail_url(self, obj: Any) -> str:
        return f"/insights/{obj.region.code}/{obj.pk}/"


class TestRegionReportScope(TestRegionDashboardScope):
    """Astana's situation report page: the Shymkent analyst gets 404."""

    list_url = None

    def detail_url(self, obj: Any) -> str:
        return f"/insights/{obj.code}/report/"


class TestReportRunScope(ScopeMatrix):
    """A finished report run of Astana asked for by the Astana analyst; the Shymkent analyst gets 404 on
    its page (runs have no list)."""

    permitted = "insights_analyst"
    other_region = "insights_shymkent_analyst"

    def make_object(self, personas: Personas) -> Any:
        iw = _world(personas)
        return ReportRun.objects.create(
            requested_by=iw.analyst,
            region=personas.astana,
            fmt="xlsx",
            language="en",
            status="done",
            progress=100,
            content=b"PK-scope",
            filename="scope.xlsx",
        )

    def detail_url(self, obj: Any) -> str:
        return f"/insights/runs/{obj.pk}/"


class TestReportRunDownloadScope(TestReportRunScope):
    """The file of the same run: the Shymkent analyst gets 404."""

    def detail_url(self, obj: Any) -> str:
        return f"/insights/runs/{obj.pk}/download/"


def _second_astana_analyst(personas: Personas) -> None:
    user = UserFactory.create(
        username="astana_analyst_2",
        agency=personas.astana_police,
        role=role("analyst"),
        scope=Scope.REGIONS,
        regions=[personas.astana],
    )
    personas.insights_astana_colleague = User.objects.get(pk=user.pk)  # type: ignore[attr-defined]


class TestReportRunOfAColleagueScope(TestReportRunScope):
    """A run belongs to the user who asked for it: another Astana analyst, same role and region, gets 404
    on its page too."""

    other_region = "insights_astana_colleague"

    def make_object(self, personas: Personas) -> Any:
        _second_astana_analyst(personas)
        return super().make_object(personas)

    def detail_url(self, obj: Any) -> str:
        return f"/insights/runs/{obj.pk}/"


class TestReportRunDownloadOfAColleagueScope(TestReportRunOfAColleagueScope):
    """... and on its file."""

    def detail_url(self, obj: Any) -> str:
        return f"/insights/runs/{obj.pk}/download/"
