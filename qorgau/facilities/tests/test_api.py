"""The facilities API: search, requests (idempotent creation, accept, decline, withdraw), the one-click
vacancy change; 401/403/404/400 and never the address."""

from __future__ import annotations

import pytest

from qorgau.core.testing import api_client

from ..models import Capacity, PlacementRequest, RequestStatus
from .factories import ADDRESS, FacilityWorld

pytestmark = pytest.mark.django_db


def test_vacancy_search_ranks_explains_and_never_holds_the_address(fw: FacilityWorld) -> None:
    client = api_client(fw.worker)
    answer = client.get(
        "/api/facilities/vacancies/search/", {"place_type": "women", "origin": str(fw.astana_city.pk)}
    )
    assert answer.status_code == 200
    assert [m["facility"]["id"] for m in answer.json()] == [fw.shelter.pk, fw.shymkent_shelter.pk]
    assert answer.json()[0]["rank"] == 1 and len(answer.json()[0]["reasons"]) >= 3
    assert ADDRESS not in answer.content.decode()
    assert (
        api_client(fw.manager).get("/api/facilities/vacancies/search/", {"place_type": "women"}).status_code
        == 403
    )
    assert api_client().get("/api/facilities/vacancies/search/", {"place_type": "women"}).status_code == 401
    assert client.get("/api/facilities/vacancies/search/", {"place_type": "castle"}).status_code == 400
    assert (
        client.get("/api/facilities/vacancies/search/", {"place_type": "women", "children": "x"}).status_code
        == 400
    )


def test_a_request_is_created_once_per_key_and_answered(fw: FacilityWorld) -> None:
    case = fw.case()
    fw.consent(fw.shelter, case)
    client = api_client(fw.worker)
    body = {
        "case": case.pk,
        "facility": fw.shelter.pk,
        "place_type": "women_children",
        "children": [{"age": 5}],
    }
    assert client.post("/api/facilities/requests/", body, format="json").status_code == 400  # no key
    first = client.post("/api/facilities/requests/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201, first.content
    again = client.post("/api/facilities/requests/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    other = client.post(
        "/api/facilities/requests/",
        {**body, "place_type": "women"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert other.status_code == 409
    assert PlacementRequest.objects.count() == 1
    pk = first.json()["id"]
    assert (
        api_client(fw.shymkent_manager)
        .post(f"/api/facilities/requests/{pk}/accept/", format="json")
        .status_code
        == 404
    )
    accepted = api_client(fw.manager).post(f"/api/facilities/requests/{pk}/accept/", format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == RequestStatus.ACCEPTED
    assert ADDRESS not in client.get(f"/api/facilities/requests/{pk}/").content.decode()
    withdrawn = client.post(
        f"/api/facilities/requests/{pk}/withdraw/", {"reason": "Safe with her sister"}, format="json"
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == RequestStatus.WITHDRAWN


def test_a_request_for_another_agencys_case_does_not_exist(fw: FacilityWorld) -> None:
    case = fw.case()
    body = {"case": case.pk, "facility": fw.shelter.pk, "place_type": "women"}
    answer = api_client(fw.cw.shymkent_worker).post(
        "/api/facilities/requests/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert answer.status_code == 400 and "case" in answer.json()


def test_decline_needs_a_reason(fw: FacilityWorld) -> None:
    request = fw.request()
    client = api_client(fw.manager)
    assert (
        client.post(f"/api/facilities/requests/{request.pk}/decline/", {}, format="json").status_code == 400
    )
    answer = client.post(
        f"/api/facilities/requests/{request.pk}/decline/", {"decline_reason": "no_capacity"}, format="json"
    )
    assert answer.status_code == 200 and answer.json()["decline_reason"] == "no_capacity"


def test_manager_steps_a_vacancy_of_their_own_facility_only(fw: FacilityWorld) -> None:
    women = Capacity.objects.get(facility=fw.shelter, place_type="women")
    client = api_client(fw.manager)
    listed = client.get("/api/facilities/capacities/")
    assert listed.status_code == 200 and {r["id"] for r in listed.json()["results"]} >= {women.pk}
    assert (
        client.post(f"/api/facilities/capacities/{women.pk}/step/", {"step": -1}, format="json").status_code
        == 200
    )
    women.refresh_from_db()
    assert women.vacant == 1
    other = Capacity.objects.get(facility=fw.shymkent_shelter, place_type="women")
    assert (
        client.post(f"/api/facilities/capacities/{other.pk}/step/", {"step": -1}, format="json").status_code
        == 404
    )
    assert api_client(fw.worker).get("/api/facilities/capacities/").status_code == 403
