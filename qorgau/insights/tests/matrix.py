"""Scope cases of every insights route (see qorgau/core/testing_matrix.py).

The permitted user is an Astana analyst (regional scope over Astana); the Shymkent twin is an analyst
over Shymkent. Astana's region, district, export and report routes answer the twin 404; the dashboard of
the whole reach answers each their own regions.
"""

from __future__ import annotations

from typing import Any

from qorgau.core.models import District, User
from qorgau.core.permissions import Scope
from qorgau.core.testing import UserFactory, role
from qorgau.core.testing_matrix import Case, World, builds

ANALYST = "ins_analyst"
OWN_REACH = "the dashboard of the user's whole reach: the twin gets their own regions, never Astana's"


@builds(ANALYST)
def _analyst(w: World) -> User:
    user = UserFactory.create(
        username="matrix_ins_analyst",
        agency=w.p.astana_police,
        role=role("analyst"),
        scope=Scope.REGIONS,
        regions=[w.p.astana],
    )
    return User.objects.get(pk=user.pk)


@builds("ins_district")
def _district(w: World) -> District:
    return District.objects.create(
        region=w.p.astana, code="KZ71-MATRIX", name_en="Matrix district", name_ru="Матрица", name_kk="Матрица"
    )


@builds("ins_run")
def _run(w: World) -> Any:
    from ..models import ReportRun

    return ReportRun.objects.create(
        requested_by=w.user(ANALYST),
        region=w.p.astana,
        fmt="xlsx",
        language="en",
        status="done",
        progress=100,
        content=b"PK-matrix",
        filename="matrix.xlsx",
    )


def requested(w: World, response: Any) -> None:
    from ..models import ReportRun

    assert ReportRun.objects.filter(requested_by=w.user(ANALYST), region=w.p.astana, fmt="pdf").exists()


def astana(**extra: Any) -> Any:
    return lambda w: {"code": w.p.astana.code, **extra}


def district(**extra: Any) -> Any:
    return lambda w: {"code": w.p.astana.code, "district": w["ins_district"].pk, **extra}


CASES = [
    Case(
        "insights:dashboard",
        "GET",
        ANALYST,
        200,
        shows=lambda w: 'href="/insights/KZ-71/"',
        other_region=200,
        why=OWN_REACH,
    ),
    Case(
        "insights:export",
        "GET",
        ANALYST,
        200,
        kwargs=lambda w: {"table": "regions"},
        query="format=csv",
        shows=lambda w: "KZ-71,",
        other_region=200,
        why=OWN_REACH,
    ),
    Case("insights:region", "GET", ANALYST, 200, kwargs=astana()),
    Case("insights:region_export", "GET", ANALYST, 200, kwargs=astana(table="tiles"), query="format=xlsx"),
    Case("insights:report", "GET", ANALYST, 200, kwargs=astana()),
    Case(
        "insights:report_run",
        "POST",
        ANALYST,
        302,
        kwargs=astana(),
        data=lambda w: {"format": "pdf"},
        check=requested,
    ),
    Case(
        "insights:run",
        "GET",
        ANALYST,
        200,
        kwargs=lambda w: {"pk": w["ins_run"].pk},
    ),
    Case(
        "insights:run_download",
        "GET",
        ANALYST,
        200,
        kwargs=lambda w: {"pk": w["ins_run"].pk},
    ),
    Case("insights:district", "GET", ANALYST, 200, kwargs=district()),
    Case("insights:district_export", "GET", ANALYST, 200, kwargs=district(table="trend"), query="format=csv"),
]

_PUBLIC = (
    "the public open-data page and its CSV: no login by design, national aggregates with small cells "
    "suppressed, the same for everyone (insights/tests/test_views.py, test_suppression.py)"
)
EXEMPT = {"open_data:page": _PUBLIC, "open_data:csv": _PUBLIC}
