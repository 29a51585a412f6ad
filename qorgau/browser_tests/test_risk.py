"""Risk identification in the browser: the district inspector assesses a victim of a signal (a draft saved
and finished later, the result with its level and each conference criterion); the conference chair
schedules the district's conference, lists the referral on the agenda and assigns an action."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from qorgau.core.testing import DistrictFactory, Personas
from qorgau.intake.services import do_register_signal
from qorgau.intake.tests.factories import make_person
from qorgau.risk.services import do_save_assessment, do_start_assessment
from qorgau.risk.tests.factories import answers, load_dash_default

from .ui import Ui

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signal(personas: Personas):  # type: ignore[no-untyped-def]
    load_dash_default()  # the flush between transactional tests empties the migration's rows
    district = DistrictFactory.create(region=personas.astana, code="KZ71-ESIL", name_en="Yesil")
    victim = make_person(personas.astana_police, "Omarova", "Dana", sex="F")
    signal = do_register_signal(
        actor=personas.astana_officer,
        channel="call_102",
        received_at=timezone.now() - dt.timedelta(hours=2),
        region=personas.astana,
        district=district,
        victims=[victim],
        forms=["physical"],
    )
    return signal, victim, district


def test_an_inspector_saves_a_draft_assessment_and_completes_it(ui: Ui, personas: Personas) -> None:
    signal, victim, _district = _signal(personas)
    ui.sign_in(personas.astana_inspector)
    page = ui.goto(f"/signals/{signal.pk}/")
    ui.check()
    panel = page.locator("[data-panel=risk-assessments]")
    expect(panel).to_contain_text("Risk assessments")
    panel.get_by_role("link", name="Assess the risk with the victim").click()
    ui.check()
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.locator("[data-question]")).to_have_count(24)
    ui.check()
    ui.screenshot("risk-assessment-form")

    for n in range(1, 11):
        page.locator(f'[data-question="{n}"] input[value="yes"]').check()
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("The draft is saved; you can finish it later.")).to_be_visible()
    ui.check()
    expect(page.locator('[data-question="10"] input[value="yes"]')).to_be_checked()

    for n in range(11, 25):
        value = "yes" if n <= 14 else ("dont_know" if n <= 18 else "no")
        page.locator(f'[data-question="{n}"] input[value="{value}"]').check()
    page.get_by_role("button", name="Complete the assessment").click()
    ui.check()
    result = page.locator("[data-result]")
    expect(result).to_contain_text('14 "yes" answers of 24 questions.')
    expect(result.locator("[data-level=high]").first).to_be_visible()
    expect(page.locator('[data-criterion=high_risk][data-met="yes"]')).to_contain_text(
        "at or above the threshold of 14"
    )
    expect(page.locator('[data-criterion=escalation][data-met="no"]')).to_be_visible()
    expect(page.locator("[data-referred]")).to_be_visible()
    ui.screenshot("risk-assessment-result")

    page.get_by_role("link", name="Risk assessments", exact=True).click()
    ui.check()
    expect(page.locator("[data-assessment]")).to_have_count(1)
    expect(page.locator("[data-assessment]")).not_to_contain_text(victim.surname)  # no names in lists


def test_the_chair_builds_the_agenda_and_assigns_an_action(ui: Ui, personas: Personas) -> None:
    signal, victim, district = _signal(personas)
    draft = do_start_assessment(actor=personas.astana_inspector, victim=victim, signal=signal)
    done = do_save_assessment(
        actor=personas.astana_inspector, assessment=draft, answers=answers(draft.version, 16), complete=True
    )
    ui.sign_in(personas.astana_chair)
    page = ui.page
    page.get_by_role("link", name="Risk conferences", exact=True).click()
    ui.check()
    page.get_by_role("link", name="Referrals waiting").click()
    ui.check()
    expect(page.locator("[data-referral]")).to_contain_text(done.referral.code)
    page.go_back()
    ui.check()
    page.get_by_role("link", name="Schedule a conference").click()
    ui.check()
    page.get_by_label("District").select_option(str(district.pk))
    page.locator("#id_date").fill(timezone.localdate().isoformat())
    page.get_by_label("Legal mandate for sharing information").fill("Law No. 214-IV, art. 9")
    page.get_by_role("button", name="Schedule").click()
    ui.check()
    page.get_by_role("button", name="List 1 waiting referral on the agenda").click()
    ui.check()
    expect(page.locator("[data-agenda]")).to_contain_text(done.referral.code)
    page.get_by_role("link", name="Assign an action").click()
    ui.check()
    page.locator("#id_agency").select_option(str(personas.astana_police.pk))
    page.locator("#id_description").fill("Visit the family with the district inspector.")
    page.locator("#id_due_date").fill((timezone.localdate() + dt.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Assign").click()
    ui.check()
    expect(page.locator("[data-action]")).to_contain_text("Visit the family")
    ui.screenshot("risk-conference-agenda")
    page.get_by_role("link", name="Keep the meeting record").click()
    ui.check()
    page.get_by_label(str(personas.astana_police)).check()
    page.get_by_label("Information shared under the conference's mandate").fill("Two call-outs this month.")
    page.get_by_role("button", name="Save the record").click()
    ui.check()
    expect(page.get_by_text("The meeting record is kept.")).to_be_visible()
    ui.screenshot("risk-conference-record")
