"""Signing in as a person does: the password, then the code of an authenticator app."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from qorgau.core.testing import Personas

from .ui import Ui

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_duty_officer_signs_in_in_two_steps(ui: Ui, personas: Personas) -> None:
    ui.sign_in(personas.astana_officer)
    page = ui.page
    expect(page).to_have_url(ui.url("/"))
    expect(page.locator("[data-shell=identity]")).to_contain_text("Astana City Police Department")
    ui.screenshot("home-duty-officer")
