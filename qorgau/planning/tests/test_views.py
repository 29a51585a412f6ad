"""The pages: the gap table's figures, the form's errors (nothing saved), progress while queued, the
result with its map and table, the comparison and the XLSX export."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from qorgau.core.testing import Personas, otp_login

from ..models import Scenario
from ..services import do_run_scenario
from .factories import analyst, points, shelter, solved

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner(personas: Personas) -> Client:
    points(personas.astana)
    shelter(personas.sysadmin, personas.astana)
    client = Client()
    client.cookies["django_language"] = "en"  # the messages asserted are the English ones
    return otp_login(client, analyst(personas.astana, agency=personas.astana_police))


def test_gap_table(planner: Client) -> None:
    page = planner.get("/planning/?type=crisis_centre").content.decode()
    assert 'data-region="KZ-71"' in page and 'data-region="KZ-79"' not in page
    assert "population rate" in page and "Far East" in page and "GeoNames" in page
    assert ">10<" in page  # the shelter's places


def test_form_errors_save_nothing(planner: Client, personas: Personas) -> None:
    response = planner.post(
        "/planning/scenarios/new/",
        {
            "name": "Too many",
            "region": personas.astana.pk,
            "facility_type": "crisis_centre",
            "model": "p_median",
            "p": 50,
            "radius_km": 50,
        },
    )
    assert response.status_code == 200
    assert "larger than the 6 candidate sites" in response.content.decode()
    assert not Scenario.objects.exists()


def test_scenario_flow(planner: Client, personas: Personas) -> None:
    response = planner.post(
        "/planning/scenarios/new/",
        {
            "name": "One more",
            "region": personas.astana.pk,
            "facility_type": "crisis_centre",
            "model": "max_cover",
            "p": 1,
            "radius_km": 100,
            "fixed_existing": "on",
        },
    )
    scenario = Scenario.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/planning/scenarios/{scenario.pk}/"
    queued = planner.get(response["Location"]).content.decode()
    assert 'data-status="queued"' in queued and 'hx-trigger="every 2s"' in queued
    do_run_scenario(scenario_id=scenario.pk)  # what the worker does
    partial = planner.get(response["Location"], headers={"HX-Request": "true"})
    assert partial["HX-Refresh"] == "true"
    page = planner.get(response["Location"]).content.decode()
    assert "Proven optimal by HiGHS" in page and 'data-site="t-3"' in page and "<svg" in page
    assert "Far East" in page
    compare = planner.get(f"/planning/scenarios/compare/?ids={scenario.pk}").content.decode()
    assert "One more" in compare
    export = planner.get(f"/planning/scenarios/{scenario.pk}/export.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(export.content))
    assert len(book.sheetnames) == 3
    assert book.worksheets[1]["B2"].value == "Far East"


def test_compare_refuses_bad_ids(planner: Client, personas: Personas) -> None:
    scenario = solved(analyst(personas.astana, "other"), personas.astana)
    assert planner.get("/planning/scenarios/compare/?ids=x").status_code == 404
    assert planner.get(f"/planning/scenarios/compare/?ids={scenario.pk}&ids=999999").status_code == 404
    assert planner.get(f"/planning/scenarios/compare/?ids={scenario.pk}").status_code == 200
