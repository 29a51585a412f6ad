"""The offender track in the browser, as each role does it (axe-core after every page):

- the district inspector starts a referral to compulsory treatment from a signal's page and records the
  referral to the examination on the one-window page;
- the programme provider assesses a referred offender and records a session;
- the analyst's re-offending page.
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from qorgau.core.testing import Personas
from qorgau.facilities.tests.factories import load_frozen_reference
from qorgau.offenders.models import ProgrammeSession, TreatmentReferral
from qorgau.offenders.tests.factories import OffenderWorld, load_frozen_rules, make_offender_world

from .ui import Ui

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ow(personas: Personas) -> OffenderWorld:
    load_frozen_reference()
    load_frozen_rules()
    return make_offender_world(personas)


def test_inspector_starts_a_treatment_referral_from_the_signal(ui: Ui, ow: OffenderWorld) -> None:
    ui.sign_in(ow.inspector, next_path=f"/signals/{ow.signal.pk}/")
    page = ui.page
    panel = page.locator("[data-panel=offenders-track]")
    expect(panel).to_be_visible()
    ui.check()
    panel.get_by_role("link", name="Refer to compulsory treatment").click()
    expect(page.get_by_role("heading", name="Start a referral to compulsory treatment")).to_be_visible()
    ui.check()
    page.get_by_label("alcohol", exact=True).check()
    page.get_by_label("Grounds").fill("Three signals under the influence of alcohol this year.")
    page.get_by_label("the signal's report and the inspector's account").check()
    page.get_by_role("button", name="Start the referral").click()
    expect(page.locator("[data-next-step]")).to_contain_text("Astana City Police Department")
    ui.check()
    ui.screenshot("offenders-treatment")
    page.get_by_label("referred to a narcological examination").check()
    page.get_by_label("the referral to the narcological examination").check()
    page.get_by_label("the signal's report and the inspector's account").check()
    page.get_by_label("Health facility that examines").select_option(str(ow.health.pk))
    page.get_by_role("button", name="Record the step").click()
    expect(page.locator("[data-next-step]")).to_contain_text("Astana Narcological Centre")
    ui.check()
    assert TreatmentReferral.objects.get().status == "examination"


def test_provider_assesses_and_records_a_session(ui: Ui, ow: OffenderWorld) -> None:
    referral = ow.refer()
    ui.sign_in(ow.provider_user, next_path="/offenders/programmes/")
    page = ui.page
    expect(page.locator(f"[data-programme-referral='{referral.pk}']")).to_be_visible()
    ui.check()
    page.get_by_role("link", name=referral.code).click()
    ui.check()
    page.get_by_role("link", name="Intake assessment").click()
    ui.check()
    page.get_by_label("threat to harm").check()
    page.get_by_label("suitable for the programme").check()
    page.get_by_role("button", name="Record the assessment").click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "assessed")
    ui.check()
    page.get_by_role("link", name="Record a session").click()
    ui.check()
    page.get_by_label("Held on").fill(timezone.localdate().isoformat())
    page.get_by_label("attended", exact=True).check()
    page.get_by_role("button", name="Record the session").click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "started")
    ui.check()
    ui.screenshot("offenders-programme")
    assert ProgrammeSession.objects.filter(referral=referral).count() == 1


def test_analyst_sees_reoffending_and_unexecuted_decisions(ui: Ui, ow: OffenderWorld) -> None:
    ow.advance_to(ow.start(), "waiting")
    ui.sign_in(ow.analyst, next_path="/offenders/reoffending/")
    page = ui.page
    expect(page.locator("[data-tile=unexecuted]")).to_contain_text("1")
    ui.check()
    ui.screenshot("offenders-reoffending")
