"""The printable signal card in the browser: opened from the signal's page, readable and accessible on
screen, and on paper without its buttons (the print media emulated)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from qorgau.core.testing import Personas
from qorgau.intake import flows
from qorgau.intake.models import ChildInvolvement, OutcomeKind
from qorgau.intake.services import do_register_signal
from qorgau.intake.tests.factories import OFFENDER_IIN, VICTIM_IIN, make_person

from .ui import Ui

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_prints_the_card_of_a_signal(ui: Ui, personas: Personas) -> None:
    victim = make_person(personas.astana_police, "Seitkali", "Aigerim", iin=VICTIM_IIN, sex="F")
    offender = make_person(personas.astana_police, "Seitkali", "Bolat", iin=OFFENDER_IIN, sex="M")
    kid = make_person(personas.astana_police, "Seitkali", "Timur", birth_date=dt.date(2017, 6, 1), sex="M")
    signal = do_register_signal(
        actor=personas.astana_officer,
        channel="call_102",
        received_at=timezone.now() - dt.timedelta(hours=6),
        region=personas.astana,
        victims=[victim],
        offenders=[offender],
        relationship="spouse",
        children=[(kid, ChildInvolvement.WITNESS)],
        forms=["physical"],
    )
    flows.issue_protective_order(
        actor=personas.astana_inspector,
        signal=signal,
        offender=offender,
        served_at=timezone.now() - dt.timedelta(hours=3),
    )
    flows.record_measure(
        actor=personas.astana_inspector,
        signal=signal,
        kind=OutcomeKind.ADMIN_PROTOCOL,
        article="73",
        part="1",
    )

    ui.sign_in(personas.astana_officer, next_path=f"/signals/{signal.pk}/")
    page = ui.page
    page.get_by_role("link", name="Printable card").click()
    expect(page).to_have_url(ui.url(f"/signals/{signal.pk}/card/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Signal card {signal.registration_number}")
    expect(page.locator(f"[data-party='offender:{offender.pk}']")).to_contain_text(
        "to Seitkali Aigerim: spouse"
    )
    expect(page.locator(f"[data-party='child:{kid.pk}']")).to_contain_text("child (witnessed the violence)")
    expect(page.get_by_role("navigation")).to_have_count(0)
    print_button = page.get_by_role("button", name="Print")
    expect(print_button).to_be_visible()
    ui.check()
    ui.screenshot("signal-card")

    # On paper: the buttons are left off, the card itself stays.
    page.emulate_media(media="print")
    expect(print_button).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    ui.check()
    ui.screenshot("signal-card-print")

    page.emulate_media(media="screen")
    page.get_by_role("link", name=f"Back to signal {signal.registration_number}").click()
    expect(page).to_have_url(ui.url(f"/signals/{signal.pk}/"))
    ui.check()
