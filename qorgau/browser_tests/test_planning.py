"""Network planning in the browser, as the analyst does it (axe-core after every page): the gap table,
a region's districts, a new scenario solved in the background (its progress, then the result with the
map and the table), the comparison."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from qorgau.core.testing import Personas
from qorgau.planning.models import Scenario
from qorgau.planning.services import do_run_scenario
from qorgau.planning.tests.factories import analyst, points, shelter

from .ui import Ui

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_analyst_reads_the_gaps_and_solves_a_scenario(ui: Ui, personas: Personas) -> None:
    points(personas.astana)
    shelter(personas.sysadmin, personas.astana)
    planner = analyst(personas.astana, agency=personas.astana_police)
    ui.sign_in(planner, next_path="/planning/")
    page = ui.page
    expect(
        page.get_by_role("heading", name="Network planning: demand against the facility network")
    ).to_be_visible()
    expect(page.locator("[data-region='KZ-71'] [data-covered]")).to_have_text("90%")
    ui.check()
    ui.screenshot("planning-gaps")
    page.get_by_role("link", name="Astana").click()
    expect(page.get_by_role("heading", name="Demand by district: Astana")).to_be_visible()
    ui.check()
    ui.goto("/planning/scenarios/new/")
    page.get_by_label("Name").fill("One more centre")
    page.get_by_label("Region").select_option(str(personas.astana.pk))
    page.get_by_label("Model", exact=False).first.select_option("max_cover")
    page.get_by_label("New facilities (p)").fill("1")
    page.get_by_label("Reach (km, or minutes with a travel-time file)").fill("100")
    page.get_by_role("button", name="Save and solve").click()
    expect(page.locator("#scenario-status")).to_have_attribute("data-status", "queued")
    ui.check()
    do_run_scenario(scenario_id=Scenario.objects.get().pk)  # the worker's turn; the page polls and reloads
    expect(page.get_by_text("Proven optimal by HiGHS")).to_be_visible(timeout=15_000)
    ui.check()
    expect(page.locator("[data-site='t-3']")).to_contain_text("Far East")
    ui.screenshot("planning-scenario")
    page.get_by_role("link", name="All scenarios").click()
    ui.check()
    page.get_by_label(f"Compare {Scenario.objects.get().code}").check()
    page.get_by_role("button", name="Compare the ticked scenarios").click()
    expect(page.get_by_role("heading", name="Compare scenarios")).to_be_visible()
    ui.check()
