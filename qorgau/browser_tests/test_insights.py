"""Insights in the browser (axe-core after every page, and no CSP violation from vega-embed):

- the Astana analyst opens the dashboard, sees the charts rendered, filters by channel, reaches the
  region's dashboard from the map with the keyboard, and opens the regional report;
- anyone opens the public open-data page without signing in.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from qorgau.core.testing import Personas
from qorgau.insights.tests.factories import InsightsWorld, make_insights_world

from .ui import Ui

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def iw(personas: Personas) -> InsightsWorld:
    world = make_insights_world(personas)
    world.signal(days_ago=1)
    world.signal(days_ago=3, channel="line_111")
    world.signal(days_ago=2, shymkent=True)
    return world


def test_the_analyst_reads_the_dashboard_map_trend_and_report(ui: Ui, iw: InsightsWorld) -> None:
    ui.sign_in(iw.analyst, next_path="/insights/")
    page = ui.page
    expect(page.get_by_role("heading", name="The regions of your scope")).to_be_visible()
    expect(page.locator("[data-tile=signals] .tile-value")).to_have_text("2")
    expect(page.locator("[data-chart=chart-trend]")).to_have_attribute("data-rendered", "true")
    expect(page.locator("[data-chart=chart-channels]")).to_have_attribute("data-rendered", "true")
    expect(page.locator("[data-chart=chart-trend] canvas")).to_have_count(1)
    ui.check()
    ui.screenshot("insights-dashboard")

    page.get_by_label("Channel", exact=True).select_option("line_111")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"channel=line_111"))
    expect(page.locator("[data-tile=signals] .tile-value")).to_have_text("1")
    ui.check()

    # The map by keyboard: Astana's shape is a link; Enter opens the region's dashboard.
    astana = page.locator("a.region-shape[data-region='KZ-71']")
    astana.focus()
    expect(astana).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/insights/KZ-71/"))
    expect(page.locator("[data-tile=national_rate]")).to_be_visible()
    ui.check()

    page.locator("[data-report-link]").click()
    expect(page.locator("[data-compare]")).to_be_visible()
    expect(page.locator("[data-chart=chart-trend]")).to_have_attribute("data-rendered", "true")
    ui.check()
    ui.screenshot("insights-report")

    # In the background: the run's page shows its progress (no worker runs here: it waits).
    page.locator("[data-run=pdf]").click()
    expect(page).to_have_url(re.compile(r"/insights/runs/\d+/"))
    expect(page.locator("#run-status")).to_have_attribute("data-run-status", "queued")
    ui.check()


def test_the_public_open_data_page(ui: Ui, iw: InsightsWorld) -> None:
    # 120 days ago lies in one of the last four complete quarters, whatever today is.
    iw.signal(days_ago=120)
    iw.signal(days_ago=121)
    page = ui.goto("/open-data/")
    expect(page.get_by_role("heading", name="Open data: domestic violence signals by region")).to_be_visible()
    expect(page.locator("[data-table=open-data] tbody tr")).to_have_count(20)
    # Two Astana signals in a published quarter: a small cell, shown as suppressed, and its rate too.
    expect(page.locator("[data-table=open-data] tr[data-region='KZ-71'] td").last).to_have_text("x")
    page.locator("g.region-shape[data-region='KZ-71']").focus()
    expect(page.locator("g.region-shape[data-region='KZ-71']")).to_be_focused()
    assert page.context.cookies() == []
    ui.screenshot("insights-open-data")
