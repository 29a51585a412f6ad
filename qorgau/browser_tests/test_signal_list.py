"""The register in the browser: found by registration number, sorted by a column header."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from qorgau.core.testing import Personas
from qorgau.intake.services import do_register_signal
from qorgau.intake.tests.factories import make_person

from .ui import Ui

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_duty_officer_finds_a_signal_by_number_and_sorts_the_register(ui: Ui, personas: Personas) -> None:
    victim = make_person(personas.astana_police, "Omarova", "Dana")
    signals = [
        do_register_signal(
            actor=personas.astana_officer,
            channel="call_102",
            received_at=timezone.now() - dt.timedelta(days=days),
            region=personas.astana,
            victims=[victim],
            forms=["psychological"],
            idempotency_key=f"k-{days}",
        )
        for days in (5, 1)
    ]
    ui.sign_in(personas.astana_officer)
    page = ui.page
    page.get_by_role("link", name="Signals", exact=True).click()
    rows = page.locator("[data-signal]")
    expect(rows).to_have_count(2)
    ui.check()

    page.get_by_label("Registration number").fill(signals[0].registration_number[-6:])
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(signals[0].registration_number)
    ui.check()

    page.goto(ui.url("/signals/"))
    ui.check()
    expect(rows.first).to_contain_text(signals[1].registration_number)  # newest first
    page.locator("th[data-sort=received] a").click()
    expect(page.locator("th[data-sort=received]")).to_have_attribute("aria-sort", "ascending")
    expect(rows.first).to_contain_text(signals[0].registration_number)
    ui.check()
    ui.screenshot("signal-list-sorted")
