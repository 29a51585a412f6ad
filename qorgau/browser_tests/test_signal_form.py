"""The duty officer's registration form in the browser: persons found, picked and created without losing
focus or scrolling, every error in one round, and Back after saving."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from qorgau.core.testing import Personas
from qorgau.intake.models import Signal
from qorgau.intake.services import do_register_signal
from qorgau.intake.tests.factories import OFFENDER_IIN, VICTIM_IIN, make_person
from qorgau.people.models import Person

from .ui import Ui

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def earlier_signal(personas: Personas, victim: Person, offender: Person) -> Signal:
    return do_register_signal(
        actor=personas.astana_officer,
        channel="call_102",
        received_at=timezone.now() - dt.timedelta(days=40),
        region=personas.astana,
        victims=[victim],
        offenders=[offender],
        relationship="spouse",
        forms=["physical"],
    )


@pytest.fixture
def offender(personas: Personas) -> Person:
    """A man the Astana police already know: one earlier signal against him."""
    offender = make_person(personas.astana_police, "Seitkali", "Bolat", iin=OFFENDER_IIN, sex="M")
    victim = make_person(personas.astana_police, "Seitkali", "Aigerim", iin=VICTIM_IIN, sex="F")
    earlier_signal(personas, victim, offender)
    return offender


def open_form(ui: Ui, personas: Personas) -> Page:
    ui.sign_in(personas.astana_officer, next_path="/signals/new/")
    page = ui.page
    expect(page.get_by_role("heading", name="Register a signal")).to_be_visible()
    return page


def search_button(page: Page) -> Locator:
    return page.locator("[role=search]").get_by_role("button", name="Search", exact=True)


def focused_id(page: Page) -> str:
    return str(page.evaluate("document.activeElement && document.activeElement.id"))


def scroll_y(page: Page) -> float:
    return float(page.evaluate("window.scrollY"))


def test_a_duty_officer_registers_a_signal_with_a_new_and_an_existing_person(
    ui: Ui, personas: Personas, offender: Person
) -> None:
    page = open_form(ui, personas)
    page.get_by_label("Channel").select_option("call_102")
    page.get_by_label("physical").check()

    # A victim the police do not know yet: created from the form.
    page.locator("summary", has_text="Create a new person").click()
    page.locator("#id_new-surname").fill("Omarova")
    page.locator("#id_new-given_name").fill("Dana")
    ui.swap(page.get_by_role("button", name="Create as victim").click)
    expect(page.locator("[data-parties=victims]")).to_contain_text("Omarova Dana")
    ui.check()

    # The offender is found by his IIN and picked: his earlier signal appears in the history panel.
    page.locator("#id_find-iin").fill(OFFENDER_IIN)
    ui.swap(search_button(page).click)
    row = page.locator(f"[data-found='{offender.pk}']")
    expect(row).to_be_visible()
    ui.check()
    ui.swap(row.get_by_role("button", name="offender").click)
    expect(page.locator("[data-parties=offenders]")).to_contain_text("Seitkali Bolat")
    history = page.locator(f"[data-history='{offender.pk}']")
    expect(history.locator("[data-flag=repeat_offender]")).to_be_visible()
    expect(history.locator("[data-history-signal]")).to_have_count(1)
    page.get_by_label("What Seitkali B. is to Omarova D.").select_option("spouse")

    # Their son saw it: a child of the signal, not a second victim.
    page.locator("summary", has_text="Create a new person").click()
    page.locator("#id_new-surname").fill("Seitkali")
    page.locator("#id_new-given_name").fill("Timur")
    ui.swap(page.get_by_role("button", name="Create as child").click)
    children = page.locator("[data-parties=children]")
    expect(children).to_contain_text("Seitkali Timur")
    expect(page.get_by_label("What Seitkali B. is to Omarova D.")).to_have_value("spouse")
    children.get_by_label("What Seitkali T. went through").select_option("witness")
    ui.check()
    ui.screenshot("signal-form-filled")

    page.get_by_role("button", name="Register the signal").click()
    expect(page).to_have_url(re.compile(r"/signals/\d+/$"))
    signal = Signal.objects.get(parties__person__surname="Omarova")
    expect(page.get_by_role("status").first).to_contain_text(
        f"Signal {signal.registration_number} is registered."
    )
    expect(page.locator(f"[data-party='offender:{offender.pk}']")).to_contain_text("to Omarova Dana: spouse")
    expect(page.locator("[data-party^='child:']")).to_contain_text("child (witnessed the violence)")
    expect(page.locator(f"[data-history='{offender.pk}'] [data-flag=repeat_offender]")).to_be_visible()
    ui.check()
    ui.screenshot("signal-registered")


def test_focus_stays_where_the_user_was_after_a_search_a_pick_and_a_create(
    ui: Ui, personas: Personas, offender: Person
) -> None:
    page = open_form(ui, personas)
    page.get_by_label("Channel").select_option("call_102")
    name = page.locator("#id_find-name")
    name.scroll_into_view_if_needed()
    before = scroll_y(page)
    assert before > 0  # the search is below the fold: a jump to Channel would scroll the page

    # Enter in the name field searches; the cursor stays in the field, the page where it was.
    name.fill("Seitkali")
    ui.swap(lambda: name.press("Enter"))
    expect(page.locator(f"[data-found='{offender.pk}']")).to_be_visible()
    expect(name).to_be_focused()
    assert scroll_y(page) == before
    expect(page.locator("#live-status")).to_have_text("2 persons found.")
    ui.check()

    # The Search button keeps focus after it searched.
    ui.swap(search_button(page).click)
    expect(page.locator(f"[data-found='{offender.pk}']")).to_be_visible()
    expect(search_button(page)).to_be_focused()

    # Picking removes the results (and the button pressed): focus goes back to the search, not to Channel,
    # and the next keystroke does not change the channel.
    ui.swap(page.locator(f"[data-found='{offender.pk}']").get_by_role("button", name="offender").click)
    expect(page.locator("[data-parties=offenders]")).to_contain_text("Seitkali Bolat")
    expect(page.locator("#live-status")).to_have_text("Seitkali B. is added as alleged offender.")
    assert focused_id(page) == "id_find-name"
    page.keyboard.press("s")
    expect(page.get_by_label("Channel")).to_have_value("call_102")
    ui.check()

    # Creating a person: focus stays in the persons' part of the form.
    page.locator("summary", has_text="Create a new person").click()
    page.locator("#id_new-surname").fill("Omarova")
    page.locator("#id_new-given_name").fill("Dana")
    ui.swap(page.get_by_role("button", name="Create as victim").click)
    expect(page.locator("[data-parties=victims]")).to_contain_text("Omarova Dana")
    expect(page.locator("#live-status")).to_have_text("Omarova D. is added as victim.")
    assert focused_id(page) == "id_find-name"
    expect(page.get_by_label("Channel")).to_have_value("call_102")
    ui.check()


def test_the_headings_of_the_form_go_in_order(ui: Ui, personas: Personas) -> None:
    open_form(ui, personas)
    # heading-order is a moderate finding for axe-core (the suite fails on serious ones): asked for here.
    assert [v["id"] for v in ui.check() if v["id"] == "heading-order"] == []


def test_saving_reports_every_missing_field_in_one_round(ui: Ui, personas: Personas) -> None:
    page = open_form(ui, personas)
    legend = page.locator("legend", has_text="Forms of violence")
    expect(legend.locator(".required-mark")).to_be_visible()

    ui.swap(page.get_by_role("button", name="Register the signal").click)
    summary = page.locator("[data-error-summary]").first
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Channel: This field is required.")
    expect(summary).to_contain_text("Forms of violence: Choose at least one form of violence.")
    expect(summary).to_contain_text("Name at least one victim.")
    ui.check()
    ui.screenshot("signal-form-errors")
    assert not Signal.objects.exists()


def test_back_after_saving_says_the_signal_is_registered(
    ui: Ui, personas: Personas, offender: Person
) -> None:
    page = open_form(ui, personas)
    page.get_by_label("Channel").select_option("line_111")
    page.get_by_label("psychological").check()
    page.locator("#id_find-iin").fill(VICTIM_IIN)
    ui.swap(search_button(page).click)
    ui.swap(page.locator("[data-found]").get_by_role("button", name="victim").click)
    expect(page.locator("[data-parties=victims]")).to_contain_text("Seitkali Aigerim")
    page.get_by_role("button", name="Register the signal").click()
    expect(page).to_have_url(re.compile(r"/signals/\d+/$"))
    ui.check()
    signal = Signal.objects.get(channel="line_111")

    page.go_back()
    expect(page.locator("[data-saved]")).to_contain_text(
        f"This form was already saved: signal {signal.registration_number} is registered."
    )
    ui.check()
    page.get_by_role("link", name=f"Open signal {signal.registration_number}").click()
    expect(page).to_have_url(ui.url(f"/signals/{signal.pk}/"))
    ui.check()
    assert Signal.objects.count() == 2


def test_creating_a_person_already_registered_without_an_iin_offers_the_record(
    ui: Ui, personas: Personas
) -> None:
    known = make_person(personas.astana_police, "Omarova", "Dana", birth_date=dt.date(1994, 5, 2), sex="F")
    page = open_form(ui, personas)
    page.locator("summary", has_text="Create a new person").click()
    page.locator("#id_new-surname").fill("Omarova")
    page.locator("#id_new-given_name").fill("Dana")
    page.locator("#id_new-birth_date").fill("1994-05-02")
    ui.swap(page.get_by_role("button", name="Create as victim").click)
    warning = page.locator("[data-duplicates]")
    expect(warning).to_contain_text("Already registered with this name and birth date:")
    expect(warning.locator(f"[data-duplicate='{known.pk}']")).to_contain_text(
        "earlier signals in your scope: none in your scope"
    )
    # No screenshot here: Playwright's screenshot styles the page inline, which the CSP reports at the
    # next swap of this same page.
    ui.check()
    ui.swap(warning.get_by_role("button", name="Add this person").click)
    expect(page.locator(f"[data-chosen='victim:{known.pk}']")).to_be_visible()
    ui.check()
    assert Person.objects.filter(surname="Omarova").count() == 1
