"""The facility network in the browser, as each role does it (axe-core after every page):

- the facility manager changes a vacancy with one click and answers a request;
- the case worker searches vacancies for a case, reads why each result ranks where it does, requests a
  place, and sees the address only once the facility accepted;
- the administrator's register and the network manager's occupancy page.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from qorgau.core.testing import Personas
from qorgau.facilities.models import Capacity
from qorgau.facilities.services import do_accept_request
from qorgau.facilities.tests.factories import (
    ADDRESS,
    FacilityWorld,
    load_frozen_reference,
    make_facility_world,
)

from .ui import Ui

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fw(personas: Personas) -> FacilityWorld:
    load_frozen_reference()
    return make_facility_world(personas)


def test_manager_changes_a_vacancy_with_one_click_and_accepts_a_request(ui: Ui, fw: FacilityWorld) -> None:
    request = fw.request()
    ui.sign_in(fw.manager, next_path="/facilities/manage/")
    page = ui.page
    expect(page.get_by_role("heading", name="Astana Shelter")).to_be_visible()
    ui.check()
    ui.screenshot("facilities-manage")
    page.locator("[data-capacity=women]").get_by_role("button", name="One place fewer vacant").click()
    expect(page.locator("[data-capacity=women] [data-vacant]")).to_have_text("1")
    ui.check()
    assert Capacity.objects.get(facility=fw.shelter, place_type="women").vacant == 1
    page.locator(f"[data-request='{request.pk}']").get_by_role("button", name="Accept and hold").click()
    expect(page.get_by_text("Request accepted: the places are held.")).to_be_visible()
    ui.check()
    expect(page.locator(f"[data-request='{request.pk}']")).to_have_count(0)
    page.get_by_role("button", name="Admit").click()
    expect(page.get_by_text("Admitted:")).to_be_visible()
    ui.check()
    page.get_by_role("link", name="Discharge").click()
    ui.check()
    page.get_by_label("Where the person goes").select_option("relatives")
    page.get_by_label("Outcome of the stay").select_option("completed")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Discharged:")).to_be_visible()
    ui.check()


def test_case_worker_searches_requests_and_learns_the_address_once_accepted(
    ui: Ui, fw: FacilityWorld
) -> None:
    case = fw.case()
    fw.consent(fw.shelter, case)
    ui.sign_in(fw.worker, next_path=f"/facilities/search/{case.pk}/")
    page = ui.page
    expect(page.get_by_role("heading", name=f"Find a place for {case.code}")).to_be_visible()
    page.get_by_label("Distance from").select_option(str(fw.astana_city.pk))
    page.get_by_role("button", name="Search vacancies").click()
    first = page.locator(f"[data-result='{fw.shelter.pk}']")
    expect(first).to_contain_text("First: the nearest facility with enough free places and current data.")
    expect(page.locator(f"[data-result='{fw.shymkent_shelter.pk}']")).to_contain_text("Lower: farther away")
    ui.check()
    ui.screenshot("facilities-search")
    assert ADDRESS not in page.content()
    first.get_by_label("Note to the facility").fill("Tonight, with a bag only")
    first.get_by_role("button", name="Request a place").click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "requested")
    expect(page.locator("[data-address]")).to_contain_text("shown once the facility accepts")
    ui.check()
    from qorgau.facilities.models import PlacementRequest

    do_accept_request(actor=fw.manager, request=PlacementRequest.objects.get(case=case))
    page.reload()
    expect(page.locator("[data-address]")).to_contain_text(ADDRESS)
    ui.check()
    ui.screenshot("facilities-request")
    ui.goto("/facilities/requests/")
    expect(page.get_by_role("heading", name="Placement requests")).to_be_visible()
    assert ADDRESS not in page.content()


def test_administrator_register_and_network_pages(ui: Ui, fw: FacilityWorld) -> None:
    ui.sign_in(fw.sysadmin, next_path="/facilities/")
    page = ui.page
    expect(page.get_by_role("heading", name="Facilities")).to_be_visible()
    ui.check()
    ui.screenshot("facilities-register")
    assert ADDRESS not in page.content()
    page.get_by_role("link", name="Register a facility").first.click()
    ui.check()
    page.locator("#id_name").fill("Kosshy Family Support Centre")
    page.locator("#id_type").select_option("family_support")
    page.locator("#id_operator").select_option("state")
    page.locator("#id_settlement").select_option(str(fw.astana_city.pk))
    page.locator("#id_places_women").fill("3")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("registered.")).to_be_visible()
    ui.check()
    ui.goto("/facilities/network/")
    expect(page.get_by_role("heading", name="Facility network")).to_be_visible()
    ui.screenshot("facilities-network")


def _history(fw: FacilityWorld) -> None:
    import datetime as dt

    from qorgau.facilities.models import VacancyUpdate

    capacity = Capacity.objects.get(facility=fw.shelter, place_type="women")
    start = dt.datetime(2025, 1, 1, 6, tzinfo=dt.UTC)
    VacancyUpdate.objects.bulk_create(
        VacancyUpdate(
            capacity=capacity,
            kind="reported",
            beds=2,
            vacant=(day // 3) % 3,
            held=0,
            as_of=start + dt.timedelta(days=day),
        )
        for day in range(0, 360, 3)
    )


def test_occupancy_over_time_of_the_managers_facility(ui: Ui, fw: FacilityWorld) -> None:
    _history(fw)
    ui.sign_in(fw.manager, next_path="/facilities/manage/")
    page = ui.page
    page.get_by_role("link", name="Occupancy over time").click()
    expect(page.get_by_role("heading", name="Occupancy over time: Astana Shelter")).to_be_visible()
    ui.check()
    page.get_by_role("link", name="2025").click()
    expect(page.locator("tr[data-month='2025-03']")).to_be_visible()
    expect(page.get_by_role("img", name="A line of the daily occupancy")).to_be_visible()
    ui.check()
    ui.screenshot("facilities-occupancy-facility")


def test_occupancy_over_time_of_a_region(ui: Ui, fw: FacilityWorld) -> None:
    _history(fw)
    ui.sign_in(fw.sysadmin, next_path="/facilities/network/")
    page = ui.page
    page.get_by_role("link", name="Occupancy over time").click()
    expect(
        page.get_by_role("heading", name="Occupancy over time: the whole network in your scope")
    ).to_be_visible()
    ui.check()
    page.get_by_role("link", name="2025").click()  # the history's year (the default is the current one)
    ui.check()
    page.get_by_label("Region").select_option(str(fw.shelter.region_id))
    page.get_by_role("button", name="Show").click()
    expect(
        page.get_by_role("heading", name=re.compile(r"^Occupancy over time: (?!the whole)"))
    ).to_be_visible()
    expect(page.locator("tr[data-month='2025-12']")).to_be_visible()
    ui.check()
    ui.screenshot("facilities-occupancy-region")
