"""The pages: the register, the manager's page, the search and requests, the network; and the secret
address on every page (only the staff's page and an accepted request's own page show it)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from qorgau.core.testing import otp_login

from ..models import Capacity, Facility, PlacementRequest, RequestStatus
from ..services import do_accept_request, do_admit
from .factories import ADDRESS, FacilityWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client: Client) -> Client:
    client.cookies["django_language"] = "en"  # the messages asserted are the English ones
    return client


def page(client: Client, user: object, url: str) -> str:
    response = otp_login(client, user).get(url)  # type: ignore[arg-type]
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_administrator_registers_a_facility_and_never_reads_its_address(
    client: Client, fw: FacilityWorld
) -> None:
    otp_login(client, fw.sysadmin)
    data = {
        "name": "Aqtobe Crisis Centre",
        "type": "crisis_centre",
        "operator": "state",
        "settlement": fw.astana_city.pk,
        "opening_mode": "24h",
        "teenage_son_max_age": 17,
        "address": "Secret street 9",
        "languages": ["kk", "ru"],
        **{f"places_{code}": 0 for code in ("women", "men", "minors", "disability")},
        "places_women_children": 6,
    }
    response = client.post(reverse("facilities:facility_create"), data)
    assert response.status_code == 302
    facility = Facility.objects.get(agency__name="Aqtobe Crisis Centre")
    assert Capacity.objects.get(facility=facility).beds == 6
    listing = client.get(reverse("facilities:facility_list")).content.decode()
    detail = client.get(reverse("facilities:facility_detail", args=[facility.pk])).content.decode()
    assert "Aqtobe Crisis Centre" in listing
    for html in (listing, detail):
        assert "Secret street" not in html


def test_manager_changes_one_vacancy_per_click_and_sees_the_address(
    client: Client, fw: FacilityWorld
) -> None:
    html = page(client, fw.manager, reverse("facilities:manage"))
    assert ADDRESS in html
    women = Capacity.objects.get(facility=fw.shelter, place_type="women")
    response = client.post(reverse("facilities:vacancy_step", args=[women.pk]), {"step": "-1"})
    assert response.status_code == 302
    women.refresh_from_db()
    assert women.vacant == 1
    other = Capacity.objects.get(facility=fw.shymkent_shelter, place_type="women")
    assert client.post(reverse("facilities:vacancy_step", args=[other.pk]), {"step": "-1"}).status_code == 404


def test_the_search_page_ranks_explains_and_requests_without_the_address(
    client: Client, fw: FacilityWorld
) -> None:
    case = fw.case()
    fw.consent(fw.shelter, case)
    url = reverse("facilities:search", args=[case.pk])
    html = page(client, fw.worker, f"{url}?place_type=women&origin={fw.astana_city.pk}&types=crisis_centre")
    assert "Astana Shelter" in html and "nearest" in html
    assert ADDRESS not in html
    response = client.post(
        reverse("facilities:request_create", args=[case.pk, fw.shelter.pk]),
        {"place_type": "women", "children": "", "note": "Tonight"},
    )
    assert response.status_code == 302
    request = PlacementRequest.objects.get(case=case)
    detail = client.get(reverse("facilities:request_detail", args=[request.pk])).content.decode()
    assert ADDRESS not in detail and "shown once the facility accepts" in detail
    do_accept_request(actor=fw.manager, request=request)
    detail = client.get(reverse("facilities:request_detail", args=[request.pk])).content.decode()
    assert ADDRESS in detail
    listing = client.get(reverse("facilities:request_list")).content.decode()
    assert request.code in listing and ADDRESS not in listing


def test_the_manager_accepts_admits_and_discharges_on_the_page(client: Client, fw: FacilityWorld) -> None:
    request = fw.request(children=[3])
    otp_login(client, fw.manager)
    assert (
        client.post(reverse("facilities:request_answer", args=[request.pk]), {"answer": "accept"}).status_code
        == 302
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED
    assert client.post(reverse("facilities:request_admit", args=[request.pk])).status_code == 302
    placement = request.placement
    response = client.post(
        reverse("facilities:discharge", args=[placement.pk]),
        {"destination": "relatives", "outcome": "completed"},
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.discharged_at is not None


def test_decline_on_the_page_needs_a_reason(client: Client, fw: FacilityWorld) -> None:
    request = fw.request()
    otp_login(client, fw.manager)
    client.post(
        reverse("facilities:request_answer", args=[request.pk]),
        {"answer": "decline", "reason": "no_capacity"},
    )
    request.refresh_from_db()
    assert request.decline_reason == "no_capacity"


def test_network_page_counts_without_addresses(client: Client, fw: FacilityWorld) -> None:
    do_admit(actor=fw.manager, facility=fw.shelter, case=fw.walk_in(), place_type="women")
    html = page(client, fw.sysadmin, reverse("facilities:network"))
    assert "5 of 6 vacant" in html  # women 2 + women with children 4, one taken
    assert ADDRESS not in html


def test_the_case_page_panel_and_home_queues_never_show_the_address(
    client: Client, fw: FacilityWorld
) -> None:
    request = fw.request()
    do_accept_request(actor=fw.manager, request=request)
    for user in (fw.worker, fw.manager):
        html = page(client, user, reverse("core:home"))
        assert ADDRESS not in html
    assert request.code in page(client, fw.manager, reverse("core:home"))


def test_the_case_panel_lists_requests_and_stays_without_the_address(fw: FacilityWorld) -> None:
    from django.template.loader import render_to_string

    from qorgau.core.panels import panels_for

    request = fw.request()
    do_accept_request(actor=fw.manager, request=request)
    panels = [p for p in panels_for(fw.worker, request.case) if p.key == "facilities-placements"]
    assert len(panels) == 1
    html = render_to_string(panels[0].template, panels[0].context)
    assert request.code in html and ADDRESS not in html
    assert [p for p in panels_for(fw.cw.p.outsider, request.case) if p.key == "facilities-placements"] == []


def test_the_scheduled_task_lapses_holds(fw: FacilityWorld) -> None:
    import datetime as dt

    from django.utils import timezone

    from ..models import BedHold
    from ..tasks import lapse_requests_and_holds

    request = fw.request()
    do_accept_request(actor=fw.manager, request=request)
    BedHold.objects.filter(request=request).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert lapse_requests_and_holds.call() == [request.code]
    assert Capacity.objects.get(facility=fw.shelter, place_type="women").held == 0
