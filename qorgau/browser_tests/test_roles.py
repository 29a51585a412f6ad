"""Flows of the other roles: the district inspector records an outcome and a protective order and is refused
a reconciliation; the auditor reads the audit trail; anyone switches the language."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from qorgau.core.testing import Personas
from qorgau.intake.models import Signal
from qorgau.intake.services import do_register_signal
from qorgau.intake.tests.factories import OFFENDER_IIN, VICTIM_IIN, make_person

from .ui import Ui

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def registered(personas: Personas, forms: list[str], key: str) -> Signal:
    victim = make_person(personas.astana_police, "Seitkali", "Aigerim", iin=VICTIM_IIN, sex="F")
    offender = make_person(personas.astana_police, "Seitkali", "Bolat", iin=OFFENDER_IIN, sex="M")
    return do_register_signal(
        actor=personas.astana_officer,
        channel="call_102",
        received_at=timezone.now() - dt.timedelta(hours=3),
        region=personas.astana,
        victims=[victim],
        offenders=[offender],
        relationship="spouse",
        forms=forms,
        idempotency_key=key,
    )


def open_signal(ui: Ui, signal: Signal) -> Page:
    page = ui.page
    page.get_by_role("link", name="Signals", exact=True).click()
    ui.check()
    page.get_by_role("link", name=signal.registration_number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Signal {signal.registration_number}")
    ui.check()
    return page


def record_outcome(ui: Ui, kind: str) -> Page:
    page = ui.page
    page.get_by_role("link", name="Record a legal measure").click()
    ui.check()
    ui.swap(lambda: page.get_by_label(re.compile(r"^Measure\b")).select_option(kind))
    ui.check()
    return page


def test_an_inspector_records_an_administrative_protocol(ui: Ui, personas: Personas) -> None:
    signal = registered(personas, ["psychological"], "k-protocol")
    ui.sign_in(personas.astana_inspector)
    page = open_signal(ui, signal)
    record_outcome(ui, "admin_protocol")
    expect(page.get_by_label("Article")).to_have_value("73")
    page.get_by_label("Part").fill("1")
    page.get_by_label("Case or protocol number").fill("AP-2026-0001")
    page.get_by_role("button", name="Record the measure").click()
    expect(page).to_have_url(ui.url(f"/signals/{signal.pk}/"))
    expect(page.locator("[data-outcome=admin_protocol]")).to_contain_text("AP-2026-0001")
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "closed")
    ui.check()


def test_an_inspector_issues_a_protective_order(ui: Ui, personas: Personas) -> None:
    signal = registered(personas, ["psychological"], "k-order")
    ui.sign_in(personas.astana_inspector)
    page = open_signal(ui, signal)
    record_outcome(ui, "protective_order")
    offender = signal.parties.get(role="offender").person_id
    expect(page.get_by_label("Order against")).to_have_value(str(offender))
    page.get_by_label("Order number").fill("PO-17")
    page.get_by_role("button", name="Record the measure").click()
    expect(page).to_have_url(ui.url(f"/signals/{signal.pk}/"))
    expect(page.get_by_role("status").first).to_contain_text("The protective order is issued")
    order = page.locator("[data-order]")
    expect(order).to_contain_text("Seitkali Bolat")
    expect(order.locator("[data-check]").first).to_be_visible()
    ui.check()
    ui.screenshot("signal-with-order")
    # One incident, several measures: the order stays, the protocol beside it closes the signal.
    expect(page.locator("[data-status]")).not_to_have_attribute("data-status", "closed")
    record_outcome(ui, "admin_protocol")
    page.get_by_label("Part").fill("1")
    page.get_by_label("Case or protocol number").fill("AP-2026-0002")
    page.get_by_role("button", name="Record the measure").click()
    expect(page).to_have_url(ui.url(f"/signals/{signal.pk}/"))
    expect(page.locator("[data-outcome=protective_order]")).to_be_visible()
    expect(page.locator("[data-outcome=admin_protocol]")).to_contain_text("AP-2026-0002")
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "closed")
    ui.check()


def test_an_inspector_is_refused_reconciliation_after_physical_violence(ui: Ui, personas: Personas) -> None:
    signal = registered(personas, ["physical"], "k-reconcile")
    ui.sign_in(personas.astana_inspector)
    page = open_signal(ui, signal)
    page.get_by_role("button", name="Request a decision").click()
    expect(page).to_have_url(ui.url(f"/signals/{signal.pk}/"))
    decision = page.locator("[data-decision]")
    expect(decision).to_have_attribute("data-decision", "refused")
    expect(decision).to_contain_text("Refused")
    ui.check()


def test_an_auditor_follows_the_trail_of_a_signal(ui: Ui, personas: Personas) -> None:
    registered(personas, ["physical"], "k-audit")
    ui.sign_in(personas.astana_auditor)
    page = ui.page
    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    rows = page.locator(".audit-table tbody tr")
    expect(rows.first).to_be_visible()
    # The table scrolls sideways on a narrow window: keyboard users can reach and scroll it.
    page.set_viewport_size({"width": 700, "height": 900})
    ui.check()  # axe-core: scrollable-region-focusable
    region = page.get_by_role("region", name="Audit events, newest first")
    region.focus()
    expect(region).to_be_focused()
    ui.screenshot("audit-log-narrow")


@pytest.mark.parametrize(
    ("button", "lang", "heading"), [("Қазақша", "kk", "Менің жұмысым"), ("Русский", "ru", "Моя работа")]
)
def test_the_language_switches_and_back(
    ui: Ui, personas: Personas, button: str, lang: str, heading: str
) -> None:
    ui.sign_in(personas.astana_officer)
    page = ui.page
    page.get_by_role("button", name=button).click()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_role("button", name=button)).to_have_attribute("aria-current", "true")
    ui.check()
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    ui.check()
    assert re.search(r"/$", page.url)
