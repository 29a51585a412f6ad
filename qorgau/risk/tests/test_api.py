"""The risk API: the same services as the pages, Idempotency-Key on creation, 401/403/404/400/409."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from qorgau.core.testing import api_client

from ..models import Assessment, Conference, ConferenceAction
from .factories import RiskWorld, answers

pytestmark = pytest.mark.django_db

URL = "/api/risk/assessments/"


def test_start_answer_and_complete_through_the_api(world: RiskWorld) -> None:
    client = api_client(world.inspector)
    signal = world.signal()
    body = {"signal": signal.pk, "victim": world.victim.pk}
    assert client.post(URL, body, format="json").status_code == 400  # no Idempotency-Key
    first = client.post(URL, body, format="json", headers={"Idempotency-Key": "ra-1"})
    assert first.status_code == 201, first.content
    again = client.post(URL, body, format="json", headers={"Idempotency-Key": "ra-1"})
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    other = client.post(
        URL, {**body, "with_victim": False}, format="json", headers={"Idempotency-Key": "ra-1"}
    )
    assert other.status_code == 409
    assert Assessment.objects.count() == 1
    pk = first.json()["id"]
    saved = client.post(f"{URL}{pk}/answers/", {"answers": {"injury": "yes"}}, format="json")
    assert saved.status_code == 200 and saved.json()["answers"] == {"injury": "yes"}
    assert client.post(f"{URL}{pk}/complete/", {"answers": {}}, format="json").status_code == 400
    version = Assessment.objects.get(pk=pk).version
    codes = {
        item.code: value
        for item, value in zip(version.items.all(), answers(version, 14).values(), strict=True)
    }
    lowered = client.post(
        f"{URL}{pk}/complete/",
        {"answers": codes, "judgement_band": "medium", "judgement_reason": "x"},
        format="json",
    )
    assert lowered.status_code == 400 and "judgement_band" in lowered.json()
    done = client.post(f"{URL}{pk}/complete/", {"answers": codes}, format="json")
    assert done.status_code == 200
    data = done.json()
    assert (data["score"], data["final_band"], data["refer"]) == (14, "high", True)
    high = next(c for c in data["criteria"] if c["code"] == "high_risk")
    assert high["met"] and "14" in high["reason"]  # in the language of the request


def test_refusals(world: RiskWorld) -> None:
    assessment = world.complete(3)
    assert api_client().get(URL).status_code == 401
    assert api_client(world.p.outsider).get(URL).status_code == 403
    assert (
        api_client(world.officer)
        .post(f"{URL}{assessment.pk}/answers/", {"answers": {}}, format="json")
        .status_code
        == 403
    )
    shymkent = api_client(world.p.shymkent_worker)
    assert shymkent.get(f"{URL}{assessment.pk}/").status_code == 404
    assert shymkent.get(URL).json()["count"] == 0
    body = {"signal": assessment.signal_id, "victim": world.victim.pk}
    refused = shymkent.post(URL, body, format="json", headers={"Idempotency-Key": "x-1"})
    assert refused.status_code == 400 and set(refused.json()) >= {"signal"}


def test_conference_flow_through_the_api(world: RiskWorld) -> None:
    referral = world.complete(20).referral
    chair = api_client(world.chair)
    body = {
        "district": world.district.pk,
        "date": timezone.localdate().isoformat(),
        "legal_mandate": "Law 214-IV",
    }
    created = chair.post("/api/risk/conferences/", body, format="json", headers={"Idempotency-Key": "c-1"})
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    agenda = chair.post(f"/api/risk/conferences/{pk}/agenda/", format="json")
    assert [row["id"] for row in agenda.json()] == [referral.pk]
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    action = chair.post(
        f"/api/risk/conferences/{pk}/actions/",
        {
            "referral": referral.pk,
            "agency": world.p.astana_police.pk,
            "description": "Visit.",
            "due_date": due,
        },
        format="json",
    )
    assert action.status_code == 201, action.content
    recorded = chair.post(
        f"/api/risk/conferences/{pk}/record/",
        {"agencies_present": [world.p.astana_police.pk], "information_shared": "Call-outs."},
        format="json",
    )
    assert recorded.status_code == 200 and recorded.json()["status"] == "held"
    inspector = api_client(world.inspector)
    assert [row["id"] for row in inspector.get("/api/risk/actions/").json()["results"]] == [
        action.json()["id"]
    ]
    assert (
        api_client(world.worker)
        .post(f"/api/risk/actions/{action.json()['id']}/complete/", {"note": "x"}, format="json")
        .status_code
        == 404
    )  # another agency's action
    done = inspector.post(
        f"/api/risk/actions/{action.json()['id']}/complete/", {"note": "Visited."}, format="json"
    )
    assert done.status_code == 200 and done.json()["completed_at"]
    assert ConferenceAction.objects.get().is_done
    assert api_client(world.p.shymkent_worker).get(f"/api/risk/conferences/{pk}/").status_code == 404
    assert Conference.objects.count() == 1


def test_instrument_versions_are_read_by_risk_roles(world: RiskWorld) -> None:
    rows = api_client(world.officer).get("/api/risk/instrument-versions/").json()["results"]
    assert rows[0]["instrument"] == "dash" and len(rows[0]["items"]) == 24
    assert api_client(world.p.outsider).get("/api/risk/instrument-versions/").status_code == 403
