"""Victim cases in the browser, as a crisis centre's case worker and a legal-aid NGO's work them: a case
opened from a signal, its safety plan, a service by a qualified specialist (an expired one refused with its
message), a referral accepted by the other agency, closing with an outcome; the self-referral and the
specialists pages. Every page is checked with axe-core."""

from __future__ import annotations

import datetime as dt
import importlib
import re

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from qorgau.cases.models import Case, Referral, ReferralStatus, Specialist
from qorgau.cases.services import (
    do_add_qualification,
    do_add_specialist,
    do_assign_service,
    do_close_case,
    do_open_case,
    do_refer_case,
    do_request_transfer,
)
from qorgau.core.models import AgencyType, User
from qorgau.core.permissions import Scope
from qorgau.core.testing import AgencyFactory, Personas, UserFactory, role
from qorgau.intake.services import do_register_signal
from qorgau.people.services import do_create_person

from .ui import Ui

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class World:
    def __init__(self, personas: Personas) -> None:
        # The live server's database is flushed after each test: the purposes (a data migration) go too.
        importlib.import_module("qorgau.cases.migrations.0002_referral_purposes").seed(apps, None)
        astana = personas.astana
        self.centre = AgencyFactory.create(
            name="Astana Crisis Centre", type=AgencyType.CRISIS_CENTRE, region=astana
        )
        self.ngo = AgencyFactory.create(name="Astana Legal Aid", type=AgencyType.NGO, region=astana)
        self.worker = self.user("zhanna", self.centre, "Zhanna", "Abenova")
        self.support = self.user("madina", self.ngo, "Madina", "Kairatova")
        self.victim, _ = do_create_person(
            actor=self.worker,
            surname="Seitkali",
            given_name="Aigerim",
            sex="F",
            birth_date=dt.date(1990, 3, 1),
        )
        today = timezone.localdate()
        self.lawyer = self.specialist("Aliya Serikova", "legal", today + dt.timedelta(days=300))
        self.expired = self.specialist("Nurlan Bekov", "legal", today - dt.timedelta(days=10))

    @staticmethod
    def user(username: str, agency: object, first: str, last: str) -> User:
        user = UserFactory.create(
            username=username,
            agency=agency,
            role=role("case_worker"),
            scope=Scope.AGENCY,
            first_name=first,
            last_name=last,
        )
        return User.objects.get(pk=user.pk)

    def specialist(self, name: str, kind: str, valid_until: dt.date) -> Specialist:
        specialist = do_add_specialist(actor=self.worker, full_name=name)
        do_add_qualification(
            actor=self.worker,
            specialist=specialist,
            kind=kind,
            document_number="LIC-0042",
            issuer="Ministry of Justice",
            valid_until=valid_until,
        )
        return specialist


@pytest.fixture
def world(personas: Personas) -> World:
    return World(personas)


def click(ui: Ui, page: Page, name: str, *, role_name: str = "link") -> None:
    page.get_by_role(role_name, name=name, exact=True).first.click()  # type: ignore[arg-type]
    page.wait_for_load_state("load")
    ui.check()


def test_a_case_worker_opens_a_case_from_a_signal_and_works_it_to_closure(ui: Ui, world: World) -> None:
    signal = do_register_signal(
        actor=world.worker,
        channel="call_102",
        received_at=timezone.now() - dt.timedelta(hours=3),
        region=world.centre.region,
        victims=[world.victim],
        forms=["physical"],
    )
    ui.sign_in(world.worker, next_path=f"/signals/{signal.pk}/")
    page = ui.page
    expect(page.locator("[data-panel=cases-open]")).to_be_visible()
    click(ui, page, "Open a case for the victim")
    click(ui, page, "Open the case", role_name="button")
    case = Case.objects.get(signal=signal)
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    expect(page.locator("[data-victim]")).to_contain_text("Seitkali Aigerim")
    ui.screenshot("case-detail-opened")

    # The safety plan: nothing typed is lost when the review date is missing.
    click(ui, page, "Make the safety plan")
    page.get_by_label("Safe place to go").fill("Her sister's flat on Abay street")
    page.get_by_label("Code word").fill("sunflower")
    click(ui, page, "Save as a new version", role_name="button")
    expect(page.locator("[data-error-summary]")).to_be_visible()
    expect(page.get_by_label("Code word")).to_have_value("sunflower")
    page.get_by_label("Review due").fill((timezone.localdate() + dt.timedelta(days=14)).isoformat())
    click(ui, page, "Save as a new version", role_name="button")
    expect(page.locator("[data-plan-version]")).to_contain_text("sunflower")

    # A service: the expired specialist is refused with the reason; the qualified one gets it.
    click(ui, page, "Assign a service")
    page.get_by_label("Service type").select_option("legal")
    page.get_by_label("Specialist").select_option(label="Nurlan Bekov")
    click(ui, page, "Assign the service", role_name="button")
    expect(page.locator("[data-error-summary]")).to_contain_text("expired on")
    ui.screenshot("case-service-expired")
    page.get_by_label("Specialist").select_option(label="Aliya Serikova")
    click(ui, page, "Assign the service", role_name="button")
    expect(page.locator("[data-service]")).to_contain_text("Aliya Serikova")
    expect(page.locator("[data-state]").first).to_have_attribute("data-state", "services")

    # Closing needs an outcome.
    click(ui, page, "Close the case")
    page.get_by_label("Reason for closing").fill("She is safe with her family in Kostanay.")
    click(ui, page, "Close the case", role_name="button")
    expect(page.locator("[data-error-summary]")).to_be_visible()
    expect(page.get_by_label("Reason for closing")).to_have_value("She is safe with her family in Kostanay.")
    page.get_by_label("Outcome").select_option("moved_away")
    click(ui, page, "Close the case", role_name="button")
    expect(page.locator("[data-closed]")).to_contain_text("Kostanay")
    expect(page.locator("[data-event=close]")).to_be_visible()
    ui.screenshot("case-detail-closed")
    # The same page in Kazakh.
    page.get_by_role("button", name="Қазақша").click()
    page.wait_for_load_state("load")
    ui.check()
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    ui.screenshot("case-detail-kk")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    ui.check()
    ui.goto("/cases/?state=closed")
    expect(page.locator(f"[data-case='{case.pk}']")).to_be_visible()
    expect(page.locator(".case-table")).not_to_contain_text("Aigerim")
    ui.screenshot("case-list")


def test_a_referral_is_made_with_a_mandate_and_accepted_by_the_other_agency(ui: Ui, world: World) -> None:
    case = do_open_case(actor=world.worker, victim=world.victim)
    ui.sign_in(world.worker, next_path=f"/cases/{case.pk}/")
    page = ui.page
    click(ui, page, "Refer")
    page.get_by_label("Refer to").select_option(label=f"{world.ngo}")
    page.get_by_label("Purpose").select_option(label="Legal help")
    page.get_by_label("What is asked").fill("Divorce and alimony")
    click(ui, page, "Refer", role_name="button")
    # Without consent or a mandate the referral is refused, with its reason, and nothing typed is lost.
    expect(page.locator("[data-error-summary]")).to_contain_text("no consent in force")
    expect(page.get_by_label("What is asked")).to_have_value("Divorce and alimony")
    ui.screenshot("referral-refused")
    page.get_by_label("Legal mandate").fill("Law on the prevention of domestic violence, art. 15")
    page.get_by_label("Reason for relying on the mandate").fill("Immediate danger to her life")
    click(ui, page, "Refer", role_name="button")
    referral = Referral.objects.get(case=case)
    expect(page.locator(f"[data-referral='{referral.pk}']")).to_contain_text("requested")

    # The other agency: the referral waits on its home page, it accepts, and then sees the case.
    page.context.clear_cookies()
    ui.sign_in(world.support)
    expect(page.locator("#queue-cases-referrals-waiting")).to_contain_text(referral.code)
    ui.screenshot("home-referrals-waiting")
    page.get_by_role("link", name=re.compile(referral.code)).first.click()
    page.wait_for_load_state("load")
    ui.check()
    expect(page.locator("dl")).not_to_contain_text("Aigerim")
    click(ui, page, "Accept")
    click(ui, page, "Accept", role_name="button")
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    expect(page.locator("[data-shared]")).to_be_visible()
    expect(page.locator("[data-victim]")).to_contain_text("Aigerim")  # legal aid opens identity
    expect(page.locator("[data-section=safety_plan]")).to_have_count(0)
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.ACCEPTED
    ui.screenshot("case-detail-referred")
    ui.goto("/cases/referrals/")


def test_a_self_referral_and_the_specialists_page(ui: Ui, world: World) -> None:
    ui.sign_in(world.worker, next_path="/cases/new/")
    page = ui.page
    page.locator("#id_find-name").fill("Seitkali")
    click(ui, page, "Search", role_name="button")
    expect(page.locator("#person-found")).to_contain_text("Seitkali")
    ui.screenshot("case-open-found")
    page.locator("#person-found").get_by_role("button").first.click()
    page.wait_for_load_state("load")
    ui.check()
    case = Case.objects.get(victim=world.victim)
    assert case.opened_via == "self_referral"
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))

    ui.goto("/cases/specialists/")
    expect(page.locator(".specialist-table")).to_contain_text("expired")
    click(ui, page, "Add a specialist")
    page.get_by_label("Full name").fill("Gulmira Akhmetova")
    click(ui, page, "Add the specialist", role_name="button")
    page.get_by_label("Service type").select_option("psychological")
    page.get_by_label("Document number").fill("PSY-7")
    page.get_by_label("Issued by").fill("Astana Medical University")
    page.get_by_label("Valid until").fill((timezone.localdate() + dt.timedelta(days=365)).isoformat())
    click(ui, page, "Record the qualification", role_name="button")
    expect(page.locator(".specialist-table")).to_contain_text("PSY-7")
    ui.screenshot("specialists")


def test_the_other_case_pages_pass_the_accessibility_check(ui: Ui, world: World) -> None:
    """The forms not walked through above, each opened and checked (they share the case form's layout)."""
    case = do_open_case(actor=world.worker, victim=world.victim)
    service = do_assign_service(actor=world.worker, case=case, type="legal", specialist=world.lawyer)
    referral = do_refer_case(actor=world.worker, case=case, to_agency=world.ngo, purpose="consultation")
    transfer = do_request_transfer(actor=world.worker, case=case, to_agency=world.ngo, reason="She moved")
    other, _ = do_create_person(actor=world.worker, surname="Omarova", given_name="Zhanar", sex="F")
    closed = do_close_case(
        actor=world.worker, case=do_open_case(actor=world.worker, victim=other), outcome="safe", reason="Safe"
    )
    ui.sign_in(world.worker)
    for path in (
        f"/cases/{case.pk}/assessment/",
        f"/cases/{case.pk}/goals/new/",
        f"/cases/{case.pk}/children/new/",
        f"/cases/{case.pk}/assign/",
        f"/cases/{case.pk}/transfer/",
        f"/cases/services/{service.pk}/sessions/new/",
        f"/cases/{closed.pk}/reopen/",
        f"/cases/referrals/{referral.pk}/",
        f"/cases/referrals/{referral.pk}/revoke/",
        f"/cases/specialists/{world.lawyer.pk}/",
    ):
        ui.goto(path)
    page = ui.page
    page.context.clear_cookies()
    ui.sign_in(world.support)
    for path in (
        "/cases/referrals/",
        f"/cases/referrals/{referral.pk}/decline/",
        f"/cases/transfers/{transfer.pk}/accept/",
        f"/cases/transfers/{transfer.pk}/decline/",
    ):
        ui.goto(path)
    ui.goto(f"/cases/referrals/{referral.pk}/accept/")
    click(ui, page, "Accept", role_name="button")
    ui.goto(f"/cases/referrals/{referral.pk}/complete/")
    expect(page.get_by_role("heading", name=re.compile("Complete the referral"))).to_be_visible()
