"""The public help page and the prevention register in the browser (axe-core after every page):

- every public page in Kazakh, Russian and English passes the accessibility check;
- the quick exit: the button and Shift pressed three times blank the page and replace the history
  entry; links within the site keep the visit to one history entry;
- without JavaScript the exit link and the "write to us" form still work;
- a district social worker records an activity and opens its evaluation.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

from qorgau.core.testing import Personas
from qorgau.intake.models import Channel, Signal
from qorgau.portal.models import Activity, PageSlug
from qorgau.portal.tests.factories import centres, load_pages, prevention_worker

from .ui import Ui

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEUTRAL = "https://neutral.example/"
LANGS = ("kk", "ru", "en")


@pytest.fixture
def site(personas: Personas, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Personas:
    settings.PORTAL_EXIT_URL = NEUTRAL
    monkeypatch.setattr("qorgau.portal.forms.TOKEN_MIN_SECONDS", 0)
    load_pages()
    centres(personas)
    return personas


def neutral(page: Page) -> None:
    """The exit's neutral site, answered by the browser itself: no request leaves the machine."""

    def answer(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body="<html><body>Weather</body></html>")

    page.route(f"{NEUTRAL}**", answer)


@pytest.mark.parametrize("lang", LANGS)
def test_every_public_page_passes_axe(ui: Ui, site: Personas, lang: str) -> None:
    paths = [
        f"/help/{lang}/",
        *(f"/help/{lang}/page/{slug}/" for slug in PageSlug.values),
        f"/help/{lang}/regions/",
        f"/help/{lang}/regions/KZ-71/",
        f"/help/{lang}/write/",
        f"/help/{lang}/write/add/",
    ]
    for path in paths:
        ui.goto(path)
        expect(ui.page.locator("a.exit")).to_be_visible()
    if lang == "kk":
        ui.goto("/help/kk/")
        ui.screenshot("portal-home-kk")
        ui.goto("/help/kk/regions/KZ-71/")
        ui.screenshot("portal-region-kk")


def test_the_quick_exit_replaces_the_history_entry(ui: Ui, site: Personas) -> None:
    page = ui.page
    neutral(page)
    ui.goto("/help/en/")
    length = page.evaluate("history.length")
    page.get_by_role("navigation", name="Help pages").get_by_role("link", name="Your rights").click()
    expect(page).to_have_url(re.compile("/help/en/page/your-rights/"))
    ui.check()
    page.get_by_role("link", name="Find help in your region", exact=True).first.click()
    expect(page).to_have_url(re.compile("/help/en/regions/"))
    ui.check()
    assert page.evaluate("history.length") == length  # the visit is one entry
    page.get_by_role("link", name="Exit this page").click()
    expect(page).to_have_url(NEUTRAL)
    assert page.evaluate("history.length") == length
    page.go_back()
    assert "/help/" not in page.url


def test_shift_three_times_leaves(ui: Ui, site: Personas) -> None:
    page = ui.page
    neutral(page)
    ui.goto("/help/ru/write/")
    for _ in range(3):
        page.keyboard.press("Shift")
    expect(page).to_have_url(NEUTRAL)


def test_without_javascript_the_exit_and_the_form_work(
    ui: Ui, site: Personas, browser: Any, live_server: Any
) -> None:
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    neutral(page)
    page.goto(f"{live_server.url}/help/en/write/")
    page.get_by_label("Your region").select_option(label="Astana")
    page.get_by_label("Your message").fill("He threatens us at night. Please help, do not call me.")
    page.get_by_role("button", name="Send the message").click()
    expect(page.get_by_role("heading", name="Your message was received")).to_be_visible()
    reference = page.locator(".ref").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", reference)
    signal = Signal.objects.get()
    assert signal.channel == Channel.ONLINE_MESSAGE and signal.region == site.astana
    assert context.cookies() == []
    page.get_by_role("link", name="Exit this page").click()
    expect(page).to_have_url(NEUTRAL)
    context.close()


def test_a_message_with_javascript_and_an_error_kept(ui: Ui, site: Personas) -> None:
    page = ui.page
    ui.goto("/help/en/write/")
    page.get_by_label("Your message").fill("Please help my sister.")
    page.get_by_role("button", name="Send the message").click()
    expect(page.get_by_role("alert")).to_contain_text("Your region")
    ui.check()
    expect(page.get_by_label("Your message")).to_have_value("Please help my sister.")
    page.get_by_label("Your region").select_option(label="Astana")
    page.get_by_role("button", name="Send the message").click()
    expect(page.get_by_role("heading", name="Your message was received")).to_be_visible()
    ui.check()
    ui.screenshot("portal-sent")
    assert page.context.cookies() == []


def test_a_worker_records_an_activity_and_opens_its_evaluation(ui: Ui, personas: Personas) -> None:
    worker = prevention_worker(personas)
    ui.sign_in(worker, next_path="/prevention/")
    page = ui.page
    expect(page.get_by_role("heading", name="Prevention activities")).to_be_visible()
    page.get_by_role("link", name="Record an activity").click()
    ui.check()
    page.get_by_label("Kind").select_option("school_hour")
    page.get_by_label("Title").fill("Respect in the family")
    page.get_by_label("Region").select_option(label="Astana")
    page.get_by_label("Starts").fill("2026-03-02")
    page.get_by_label("Ends").fill("2026-03-02")
    page.get_by_label("Organiser").fill("School 12")
    page.get_by_label("Audience").select_option("pupils")
    page.locator("#id_reach").fill("240")
    page.get_by_label("Reach counted as").select_option("pupils")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("recorded.")).to_be_visible()
    ui.check()
    activity = Activity.objects.get()
    assert activity.reach == 240 and activity.region == personas.astana
    page.get_by_role("link", name="Evaluation").click()
    expect(page.get_by_text("An association, not proof.")).to_be_visible()
    ui.check()
    ui.screenshot("portal-evaluation")
