"""The prevention register: services (validation, audit, scope), pages and the API (strict input,
idempotency, other region -> 404)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from qorgau.core.models import AuditEvent
from qorgau.core.testing import Personas, api_client, otp_login

from ..models import Activity
from ..services import do_change_activity, do_record_activity
from .factories import activity, activity_values, prevention_worker

API = "/api/portal/activities/"


def body(p: Personas, **overrides: object) -> dict[str, object]:
    values = activity_values(p, **overrides)
    values["region"] = values["region"].pk
    values["starts_on"] = values["starts_on"].isoformat()
    values["ends_on"] = values["ends_on"].isoformat()
    return values


@pytest.mark.django_db
def test_recording_an_activity_is_audited_and_coded(personas: Personas) -> None:
    worker = prevention_worker(personas)
    a = activity(worker, personas)
    assert a.code == "PA-71-2026-00001"
    assert activity(worker, personas).code == "PA-71-2026-00002"
    event = AuditEvent.objects.filter(action="activity.add", object_id=str(a.pk)).get()
    assert event.changes["reach"] == {"old": None, "new": 240}
    assert event.changes["region"] == {"old": None, "new": personas.astana.pk}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_on": dt.date(2026, 3, 1)}, "ends_on"),
        ({"ends_on": dt.date(2027, 6, 1)}, "ends_on"),
        ({"reach": -1}, "reach"),
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"kind": "party"}, "kind"),
        ({"starts_on": dt.date(1, 1, 1), "ends_on": dt.date(1, 1, 1)}, "starts_on"),
        ({"starts_on": dt.date(2030, 1, 1), "ends_on": dt.date(2030, 1, 1)}, "starts_on"),
    ],
)
def test_bad_values_are_refused_on_their_field(personas: Personas, overrides: dict, field: str) -> None:
    worker = prevention_worker(personas)
    with pytest.raises(ValidationError) as exc:
        activity(worker, personas, **overrides)
    assert field in exc.value.message_dict
    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_a_worker_records_only_in_their_region_and_corrects_only_their_scope(personas: Personas) -> None:
    worker = prevention_worker(personas)
    with pytest.raises(ValidationError) as exc:
        activity(worker, personas, region=personas.shymkent)
    assert "region" in exc.value.message_dict
    a = activity(worker, personas)
    twin = prevention_worker(personas, "twin", region=personas.shymkent)
    with pytest.raises(PermissionDenied):
        do_change_activity(actor=twin, activity=a, reach=5)
    changed = do_change_activity(actor=worker, activity=a, reach=300)
    assert changed.reach == 300
    event = AuditEvent.objects.get(action="activity.change")
    assert event.changes == {"reach": {"old": 240, "new": 300}}
    with pytest.raises(PermissionDenied):
        do_record_activity(actor=personas.astana_officer, **activity_values(personas))


@pytest.mark.django_db
def test_pages_list_record_and_correct(personas: Personas) -> None:
    worker = prevention_worker(personas)
    client = otp_login(Client(HTTP_ACCEPT_LANGUAGE="en"), worker)
    data = body(personas, title="Parents evening")
    data["district"] = ""
    response = client.post("/prevention/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    a = Activity.objects.get()
    assert a.title == "Parents evening"
    listing = client.get("/prevention/").content.decode()
    assert a.code in listing and "Parents evening" in listing
    bad = client.post(f"/prevention/{a.pk}/edit/", {**data, "ends_on": "2026-01-01"})
    assert bad.status_code == 200
    assert "The activity cannot end before it starts." in bad.content.decode()
    assert client.post(f"/prevention/{a.pk}/edit/", {**data, "reach": 999}).status_code == 302
    assert Activity.objects.get().reach == 999
    twin = otp_login(Client(), prevention_worker(personas, "twin", region=personas.shymkent))
    assert twin.get(f"/prevention/{a.pk}/").status_code == 404
    assert twin.get(f"/prevention/{a.pk}/evaluation/").status_code == 404
    assert a.code not in twin.get("/prevention/").content.decode()


@pytest.mark.django_db
def test_api_create_is_idempotent_and_strict(personas: Personas) -> None:
    worker = prevention_worker(personas)
    client = api_client(worker)
    assert client.post(API, body(personas), format="json").status_code == 400  # no key
    first = client.post(API, body(personas), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201, first.json()
    again = client.post(API, body(personas), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    conflict = client.post(API, body(personas, reach=1), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert conflict.status_code == 409
    assert Activity.objects.count() == 1
    for bad in ({"title": 5}, {"reach": -3}, {"reach_unit": "likes"}, {"starts_on": 20260101}):
        response = client.post(API, body(personas) | bad, format="json", HTTP_IDEMPOTENCY_KEY=f"b-{bad}")
        assert response.status_code == 400, (bad, response.json())
    other = client.post(
        API, body(personas, region=personas.shymkent), format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert other.status_code == 400 and "region" in other.json()


@pytest.mark.django_db
def test_api_scope_other_region_is_404(personas: Personas) -> None:
    worker = prevention_worker(personas)
    a = activity(worker, personas)
    twin = api_client(prevention_worker(personas, "twin", region=personas.shymkent))
    assert twin.get(f"{API}{a.pk}/").status_code == 404
    assert twin.patch(f"{API}{a.pk}/", {"reach": 1}, format="json").status_code == 404
    assert twin.get(f"{API}{a.pk}/evaluation/").status_code == 404
    assert twin.get(API).json()["count"] == 0
    own = api_client(worker)
    assert own.get(API).json()["count"] == 1
    patched = own.patch(f"{API}{a.pk}/", {"reach": 500}, format="json")
    assert patched.status_code == 200 and patched.json()["reach"] == 500
    assert api_client().get(API).status_code == 401
    assert api_client(personas.astana_officer).get(API).status_code == 403
