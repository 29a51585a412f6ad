"""Flows of the agency administrator (the accounts of their agency) and of the duty officer who opens a
party of his signal (the person page with its signals)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from qorgau.core.models import User
from qorgau.core.permissions import Scope
from qorgau.core.testing import Personas, UserFactory, role

from .test_roles import open_signal, registered
from .ui import Ui

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agency_administrator_creates_an_account_and_hands_over_its_enrolment_code(
    ui: Ui, personas: Personas
) -> None:
    admin = UserFactory.create(
        username="asel_admin", agency=personas.astana_police, role=role("agency_admin"), scope=Scope.AGENCY
    )
    ui.sign_in(admin)
    page = ui.page
    expect(page.get_by_role("link", name="Administration")).to_have_count(0)  # the site would answer 403
    page.get_by_role("link", name="Accounts", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accounts of my agency")
    ui.check()
    page.get_by_role("link", name="New account").click()
    ui.check()
    page.get_by_label("Username").fill("new.officer")
    page.get_by_label("First name").fill("Aruzhan")
    page.get_by_label("Last name").fill("Sadykova")
    page.get_by_label("Role").select_option(label="Duty officer")
    page.get_by_label("Scope").select_option(Scope.AGENCY.value)
    page.get_by_label("Initial password").fill("short")
    page.get_by_role("button", name="Create the account").click()
    ui.check()  # the password is refused; what was typed stays
    expect(page.get_by_label("Username")).to_have_value("new.officer")
    page.get_by_label("Initial password").fill("a-long-and-unusual-passphrase-7")
    page.get_by_role("button", name="Create the account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Account new.officer created")
    expect(page.locator("[data-enrolment-code]")).to_have_text(re.compile(r"^[a-z0-9]{4}(-[a-z0-9]{4})+$"))
    ui.check()
    assert User.objects.get(username="new.officer").agency_id == personas.astana_police.pk
    page.get_by_role("link", name="Back to the accounts").click()
    expect(page.locator('[data-account="new.officer"]')).to_be_visible()
    ui.check()


def test_a_duty_officer_opens_a_party_of_his_signal_and_sees_the_persons_signals(
    ui: Ui, personas: Personas
) -> None:
    signal = registered(personas, ["psychological"], "k-person-page")
    ui.sign_in(personas.astana_officer)
    page = open_signal(ui, signal)
    page.get_by_role("link", name=re.compile("Seitkali Bolat")).first.click()
    panel = page.locator('[data-panel="intake-history"]')
    expect(panel).to_contain_text(signal.registration_number)
    ui.check()
