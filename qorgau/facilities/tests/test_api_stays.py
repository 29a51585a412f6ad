"""The facilities API for the register, stays, waiting list, vacancy reports and occupancy
(api_stays.py and the capacities' report and history): idempotent creation, strict input, scope (another
region's object is 404), and never the address."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from qorgau.core.models import AuditEvent
from qorgau.core.testing import api_client

from ..models import Capacity, Facility, Placement, PlacementExtension, VacancyUpdate, WaitingEntry
from .factories import ADDRESS, FacilityWorld

pytestmark = pytest.mark.django_db

REGISTER = "/api/facilities/register/"


def test_an_administrator_registers_once_per_key_and_never_reads_the_address_back(fw: FacilityWorld) -> None:
    client = api_client(fw.sysadmin)
    body = {
        "name": "Kokshetau Crisis Centre",
        "type": "crisis_centre",
        "operator": "state",
        "settlement": fw.astana_city.pk,
        "languages": ["ru", "kk"],
        "address": "Abai street 12, flat 4",
        "places": {"women": 4, "women_children": 10},
    }
    assert client.post(REGISTER, body, format="json").status_code == 400  # no Idempotency-Key
    first = client.post(REGISTER, body, format="json", HTTP_IDEMPOTENCY_KEY="fac-1")
    assert first.status_code == 201, first.content
    data = first.json()
    assert data["has_address"] is True and data["languages"] == ["kk", "ru"]
    assert {c["place_type"]: c["beds"] for c in data["capacities"]} == {"women": 4, "women_children": 10}
    assert "Abai" not in first.content.decode()
    again = client.post(REGISTER, body, format="json", HTTP_IDEMPOTENCY_KEY="fac-1")
    assert again.status_code == 200 and again.json()["id"] == data["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    other = client.post(
        REGISTER, {**body, "address": "Another street 1"}, format="json", HTTP_IDEMPOTENCY_KEY="fac-1"
    )
    assert other.status_code == 409
    assert Facility.objects.filter(agency__name="Kokshetau Crisis Centre").count() == 1
    assert not any("Abai" in str(e.changes) for e in AuditEvent.objects.all())
    # Strict input: every constraint the schema states answers 400, never 500.
    for bad in (
        {**body, "name": 5},
        {**body, "type": "castle"},
        {**body, "places": {"women": -1}},
        {**body, "places": {"women": 1001}},
        {**body, "languages": ["xx"]},
        {**body, "address": "x" * 301},
        {**body, "settlement": 999999},
        {**body, "name": "Astana Shelter"},  # an agency of that name exists in the region
    ):
        assert client.post(REGISTER, bad, format="json", HTTP_IDEMPOTENCY_KEY="fac-bad").status_code == 400
    # A change: details and places; the address replaced, never shown.
    pk = data["id"]
    changed = client.patch(
        f"{REGISTER}{pk}/", {"takes_pets": True, "places": {"women": 6}, "address": "New 1"}, format="json"
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["takes_pets"] is True and "New 1" not in changed.content.decode()
    assert Capacity.objects.get(facility_id=pk, place_type="women").beds == 6
    assert api_client(fw.worker).get(REGISTER).status_code == 403
    assert (
        api_client(fw.worker).post(REGISTER, body, format="json", HTTP_IDEMPOTENCY_KEY="w").status_code == 403
    )


def test_the_staff_read_their_own_facility_only(fw: FacilityWorld) -> None:
    mine = api_client(fw.manager).get(REGISTER)
    assert [f["id"] for f in mine.json()["results"]] == [fw.shelter.pk]
    assert ADDRESS not in mine.content.decode()
    assert api_client(fw.shymkent_manager).get(f"{REGISTER}{fw.shelter.pk}/").status_code == 404
    assert api_client(fw.manager).patch(f"{REGISTER}{fw.shelter.pk}/", {}, format="json").status_code == 403


def test_admit_extend_and_discharge_with_scope_and_idempotency(fw: FacilityWorld) -> None:
    case = fw.walk_in()
    client = api_client(fw.manager)
    body = {"case": case.pk, "place_type": "women_children", "children": [{"age": 4, "sex": "F"}]}
    assert client.post("/api/facilities/placements/", body, format="json").status_code == 400
    first = client.post("/api/facilities/placements/", body, format="json", HTTP_IDEMPOTENCY_KEY="adm-1")
    assert first.status_code == 201, first.content
    pk = first.json()["id"]
    assert first.json()["places"] == 2 and ADDRESS not in first.content.decode()
    again = client.post("/api/facilities/placements/", body, format="json", HTTP_IDEMPOTENCY_KEY="adm-1")
    assert again.status_code == 200 and again.json()["id"] == pk
    assert Placement.objects.count() == 1
    women_children = Capacity.objects.get(facility=fw.shelter, place_type="women_children")
    assert women_children.vacant == women_children.beds - 2
    # The twin of another region reaches nothing.
    twin = api_client(fw.shymkent_manager)
    assert twin.get(f"/api/facilities/placements/{pk}/").status_code == 404
    assert twin.post(f"/api/facilities/placements/{pk}/discharge/", {}, format="json").status_code == 404
    assert (
        twin.post("/api/facilities/placements/", body, format="json", HTTP_IDEMPOTENCY_KEY="t").status_code
        == 400
    )  # the case "does not exist" for them
    planned = Placement.objects.get(pk=pk).planned_end
    later = (planned + dt.timedelta(days=30)).isoformat()
    url = f"/api/facilities/placements/{pk}/"
    assert client.post(f"{url}extend/", {"new_end": later}, format="json").status_code == 400  # no reason
    assert client.post(f"{url}extend/", {"new_end": later, "reason": ""}, format="json").status_code == 400
    assert client.post(f"{url}extend/", {"new_end": later, "reason": 7}, format="json").status_code == 400
    extended = client.post(f"{url}extend/", {"new_end": later, "reason": "Court hearing"}, format="json")
    assert extended.status_code == 200, extended.content
    assert extended.json()["planned_end"] == later
    assert PlacementExtension.objects.get().reason == "Court hearing"
    assert (
        client.post(
            f"{url}discharge/", {"destination": "moon", "outcome": "completed"}, format="json"
        ).status_code
        == 400
    )
    future = (timezone.now() + dt.timedelta(days=2)).isoformat()
    assert (
        client.post(
            f"{url}discharge/",
            {"destination": "relatives", "outcome": "completed", "at": future},
            format="json",
        ).status_code
        == 400
    )
    out = client.post(f"{url}discharge/", {"destination": "relatives", "outcome": "completed"}, format="json")
    assert out.status_code == 200 and out.json()["destination"] == "relatives"
    women_children.refresh_from_db()
    assert women_children.vacant == women_children.beds
    assert (
        client.post(
            f"{url}discharge/", {"destination": "relatives", "outcome": "completed"}, format="json"
        ).status_code
        == 400
    )
    assert (
        api_client(fw.worker)
        .post(f"{url}extend/", {"new_end": later, "reason": "x"}, format="json")
        .status_code
        == 403
    )


def test_waiting_list_entries_by_the_case_worker(fw: FacilityWorld) -> None:
    case = fw.case()
    client = api_client(fw.worker)
    body = {"facility": fw.shelter.pk, "case": case.pk, "place_type": "women", "urgent": True}
    first = client.post("/api/facilities/waiting/", body, format="json", HTTP_IDEMPOTENCY_KEY="w-1")
    assert first.status_code == 201, first.content
    again = client.post("/api/facilities/waiting/", body, format="json", HTTP_IDEMPOTENCY_KEY="w-1")
    assert again.status_code == 200 and WaitingEntry.objects.count() == 1
    pk = first.json()["id"]
    assert api_client(fw.manager).get("/api/facilities/waiting/").json()["results"][0]["id"] == pk
    assert api_client(fw.shymkent_manager).get(f"/api/facilities/waiting/{pk}/").status_code == 404
    assert (
        client.post(f"/api/facilities/waiting/{pk}/remove/", {"removal": "x"}, format="json").status_code
        == 400
    )
    removed = client.post(f"/api/facilities/waiting/{pk}/remove/", {"removal": "elsewhere"}, format="json")
    assert removed.status_code == 200 and removed.json()["removal"] == "elsewhere"
    assert (
        client.post(
            "/api/facilities/waiting/", {**body, "urgent": "maybe"}, format="json", HTTP_IDEMPOTENCY_KEY="w-2"
        ).status_code
        == 400
    )


def test_vacancy_reports_and_their_history(fw: FacilityWorld) -> None:
    capacity = Capacity.objects.get(facility=fw.shelter, place_type="women")
    client = api_client(fw.manager)
    url = f"/api/facilities/capacities/{capacity.pk}/"
    as_of = (timezone.now() - dt.timedelta(hours=2)).isoformat()
    answer = client.post(f"{url}report/", {"vacant": 1, "as_of": as_of}, format="json")
    assert answer.status_code == 200 and answer.json()["vacant"] == 1
    assert client.post(f"{url}report/", {"vacant": capacity.beds + 1}, format="json").status_code == 400
    assert client.post(f"{url}report/", {"vacant": -1}, format="json").status_code == 400
    old = (timezone.now() - dt.timedelta(days=5)).isoformat()
    assert client.post(f"{url}report/", {"vacant": 1, "as_of": old}, format="json").status_code == 400
    history = client.get(f"{url}history/").json()
    assert [(h["kind"], h["vacant"]) for h in history] == [("beds", capacity.beds), ("reported", 1)]
    assert len(history) == VacancyUpdate.objects.filter(capacity=capacity).count()
    assert (
        api_client(fw.shymkent_manager).post(f"{url}report/", {"vacant": 1}, format="json").status_code == 404
    )
    assert api_client(fw.shymkent_manager).get(f"{url}history/").status_code == 404


def test_occupancy_today_and_over_time(fw: FacilityWorld) -> None:
    capacity = Capacity.objects.get(facility=fw.shelter, place_type="women")
    day = dt.datetime(2025, 3, 1, 6, tzinfo=dt.UTC)
    for offset, vacant in ((0, 2), (9, 1), (19, 0)):
        VacancyUpdate.objects.create(
            capacity=capacity,
            kind="reported",
            beds=2,
            vacant=vacant,
            held=0,
            as_of=day + dt.timedelta(days=offset),
        )
    query: dict[str, Any] = {"facility": fw.shelter.pk, "start": "2025-03-01", "end": "2025-03-31"}
    days = api_client(fw.manager).get("/api/facilities/occupancy/daily/", query)
    assert days.status_code == 200, days.content
    occupied = [d["occupied"] for d in days.json()]
    assert occupied == [0] * 9 + [1] * 10 + [2] * 12
    assert {d["beds"] for d in days.json()} == {2}  # the other place type has no history before today
    assert api_client(fw.shymkent_manager).get("/api/facilities/occupancy/daily/", query).status_code == 404
    admin = api_client(fw.sysadmin)
    assert admin.get("/api/facilities/occupancy/daily/", {**query, "end": "2025-02-01"}).status_code == 400
    assert admin.get("/api/facilities/occupancy/daily/", {**query, "end": "2031-01-01"}).status_code == 400
    assert admin.get("/api/facilities/occupancy/daily/", {**query, "start": "x"}).status_code == 400
    by_region: dict[str, Any] = {"region": fw.shelter.region_id, "start": "2025-03-01", "end": "2025-03-31"}
    region = admin.get("/api/facilities/occupancy/daily/", by_region)
    assert [d["occupied"] for d in region.json()] == occupied  # the region's only history is the shelter's
    assert (
        api_client(fw.shymkent_manager).get("/api/facilities/occupancy/daily/", by_region).status_code == 404
    )
    today = admin.get("/api/facilities/occupancy/today/")
    assert today.status_code == 200
    rows = {(r["region"], r["type"]): r for r in today.json()}
    astana = rows[(fw.shelter.region.code, "crisis_centre")]
    assert astana["beds"] == sum(c.beds for c in Capacity.objects.filter(facility__region=fw.shelter.region))
    assert api_client(fw.worker).get("/api/facilities/occupancy/today/").status_code == 403
