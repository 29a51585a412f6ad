"""Every intake write of the pages is in the API, through the same flow or service, and each answers
401 anonymous, 403 without the role's action, 404 out of scope, 400 on bad input (nothing saved)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from qorgau.core.models import AuditEvent
from qorgau.core.testing import api_client

from .. import flows
from ..models import ComplianceCheck, Outcome, ProtectiveOrder, ReconciliationDecision, Signal, SignalStatus
from .factories import World
from .test_api import make_world_inspector_elsewhere

API = "/api/intake"


@pytest.fixture(autouse=True)
def _english_requests(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


def now(**delta: float) -> str:
    return (timezone.now() + dt.timedelta(**delta)).isoformat()


@dataclass
class Setup:
    world: World
    signal: Signal
    order: ProtectiveOrder
    check: ComplianceCheck


def setup(world: World) -> Setup:
    signal = world.register(received_at=timezone.now() - dt.timedelta(hours=3))
    order, _measure = flows.issue_protective_order(
        actor=world.inspector,
        signal=signal,
        offender=world.offender,
        served_at=timezone.now() - dt.timedelta(hours=2),
    )
    other = world.register(received_at=timezone.now() - dt.timedelta(hours=3))
    return Setup(world, other, order, order.checks.order_by("due_at").first())  # type: ignore[arg-type]


@dataclass(frozen=True)
class Write:
    name: str
    path: Callable[[Setup], str]
    good: Callable[[Setup], dict[str, Any]]
    bad: dict[str, Any]
    bad_field: str
    ok: int
    done: Callable[[Setup], bool]  # the write happened
    headers: bool = False


def _signal(s: Setup, suffix: str) -> str:
    return f"{API}/signals/{s.signal.pk}/{suffix}/"


WRITES = [
    Write(
        "protective order",
        lambda s: _signal(s, "protective-orders"),
        lambda s: {"served_at": now(minutes=-30), "number": "PO-9"},
        {"served_at": "yesterday"},
        "served_at",
        201,
        lambda s: ProtectiveOrder.objects.filter(signal=s.signal, number="PO-9").exists(),
    ),
    Write(
        "legal measure",
        lambda s: _signal(s, "outcome"),
        lambda s: {"kind": "admin_protocol", "article": "73", "part": "1"},
        {"kind": "admin_protocol", "article": "seventy-three"},
        "article",
        201,
        lambda s: Outcome.objects.filter(signal=s.signal).exists(),
    ),
    Write(
        "first contact",
        lambda s: _signal(s, "first-contact"),
        lambda s: {"contacted_at": now(minutes=-5)},
        {"contacted_at": now(days=-30)},
        "first_contact_at",
        200,
        lambda s: Signal.objects.filter(pk=s.signal.pk, first_contact_at__isnull=False).exists(),
    ),
    Write(
        "victim declined",
        lambda s: _signal(s, "victim-declined"),
        lambda s: {"note": "does not want to file"},
        {"note": 5},
        "note",
        200,
        lambda s: Signal.objects.filter(pk=s.signal.pk, victim_declined=True).exists(),
    ),
    Write(
        "assignment",
        lambda s: _signal(s, "assign"),
        lambda s: {"assignee": s.world.inspector.pk},
        {"assignee": "me"},
        "assignee",
        200,
        lambda s: Signal.objects.filter(pk=s.signal.pk, assigned_to=s.world.inspector).exists(),
    ),
    Write(
        "transfer",
        lambda s: _signal(s, "transfer"),
        lambda s: {"region": s.world.p.shymkent.code, "reason": "It happened in Shymkent."},
        {"region": "KZ-99", "reason": "x"},
        "region",
        200,
        lambda s: Signal.objects.filter(pk=s.signal.pk, region=s.world.p.shymkent).exists(),
    ),
    Write(
        "reconciliation request",
        lambda s: _signal(s, "reconciliation"),
        lambda s: {"note": "the parties asked"},
        {"at": "not a date"},
        "at",
        201,
        lambda s: ReconciliationDecision.objects.filter(signal=s.signal).exists(),
    ),
    Write(
        "breach report",
        lambda s: f"{API}/protective-orders/{s.order.pk}/breach/",
        lambda s: {"received_at": now(minutes=-10), "channel": "call_102", "forms": ["psychological"]},
        {"received_at": now(minutes=-10), "channel": "pigeon"},
        "channel",
        201,
        lambda s: Signal.objects.filter(breach_of=s.order).exists(),
        headers=True,
    ),
    Write(
        "compliance check",
        lambda s: f"{API}/compliance-checks/{s.check.pk}/record/",
        lambda s: {"done_at": now(minutes=-1), "result": "complied"},
        {"done_at": now(minutes=-1), "result": "fine"},
        "result",
        200,
        lambda s: ComplianceCheck.objects.filter(pk=s.check.pk, done_at__isnull=False).exists(),
    ),
]
IDS = [w.name for w in WRITES]


def send(api: APIClient, write: Write, s: Setup, body: dict[str, Any], key: str = "breach-1") -> Any:
    headers = {"Idempotency-Key": key} if write.headers else {}
    return api.post(write.path(s), body, format="json", headers=headers)


@pytest.mark.parametrize("write", WRITES, ids=IDS)
def test_the_write_works_for_the_permitted_user_and_is_audited(world: World, write: Write) -> None:
    s = setup(world)
    before = AuditEvent.objects.count()
    response = send(api_client(world.inspector), write, s, write.good(s))
    assert response.status_code == write.ok, response.json()
    assert write.done(s)
    assert AuditEvent.objects.count() > before


@pytest.mark.parametrize("write", WRITES, ids=IDS)
def test_anonymous_gets_401(world: World, write: Write) -> None:
    s = setup(world)
    assert send(APIClient(), write, s, write.good(s)).status_code == 401
    assert not write.done(s)


@pytest.mark.parametrize("write", WRITES, ids=IDS)
def test_without_the_roles_action_403(world: World, write: Write) -> None:
    s = setup(world)
    # The Shymkent worker may only view: the action is refused before any look-up (403, not 404).
    response = send(api_client(world.shymkent_worker), write, s, write.good(s))
    assert response.status_code == 403, response.json()
    assert not write.done(s)


@pytest.mark.parametrize("write", WRITES, ids=IDS)
def test_another_regions_user_gets_404(world: World, write: Write) -> None:
    s = setup(world)
    response = send(api_client(make_world_inspector_elsewhere(world)), write, s, write.good(s))
    assert response.status_code == 404, response.json()
    assert not write.done(s)


@pytest.mark.parametrize("write", WRITES, ids=IDS)
def test_bad_input_gets_400_on_the_field_and_saves_nothing(world: World, write: Write) -> None:
    s = setup(world)
    response = send(api_client(world.inspector), write, s, write.bad)
    assert response.status_code == 400, response.json()
    assert write.bad_field in response.json(), response.json()
    assert not write.done(s)


def test_the_outcome_action_is_403_for_an_officer_without_intake_outcome(world: World) -> None:
    s = setup(world)
    for write in WRITES[:2]:
        assert send(api_client(world.officer), write, s, write.good(s)).status_code == 403


def test_an_order_through_the_api_is_a_measure_and_the_signal_stays_open(world: World) -> None:
    s = setup(world)
    response = send(api_client(world.inspector), WRITES[0], s, WRITES[0].good(s))
    order = ProtectiveOrder.objects.get(pk=response.json()["id"])
    assert response.json()["in_force"] is True and response.json()["next_check_due"]
    assert Outcome.objects.get(order=order).kind == "protective_order"
    assert Signal.objects.get(pk=s.signal.pk).status != SignalStatus.CLOSED


def test_a_breach_retry_replays_and_a_reused_key_conflicts(world: World) -> None:
    s = setup(world)
    api, write = api_client(world.inspector), WRITES[7]
    body = write.good(s)
    first = send(api, write, s, body)
    again = send(api, write, s, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.headers["Idempotent-Replayed"] == "true" and again.json()["id"] == first.json()["id"]
    other = send(api, write, s, body | {"channel": "line_111"})
    assert other.status_code == 409
    missing = api.post(write.path(s), body, format="json")
    assert missing.status_code == 400 and "idempotency_key" in missing.json()
    assert Signal.objects.filter(breach_of=s.order).count() == 1


def test_correcting_a_measure_through_the_api_keeps_the_earlier(world: World) -> None:
    s = setup(world)
    api = api_client(world.inspector)
    path = f"{API}/signals/{s.signal.pk}/outcome/"
    first = api.post(path, {"kind": "no_offence", "reason": "quarrel"}, format="json").json()
    unknown = api.post(path, {"kind": "no_offence", "reason": "x", "corrects": 999999}, format="json")
    assert unknown.status_code == 400 and "corrects" in unknown.json()
    body = {"kind": "admin_protocol", "article": "73", "part": "1", "corrects": first["id"]}
    assert api.post(path, body, format="json").status_code == 400
    second = api.post(path, body | {"correction_reason": "medical report"}, format="json")
    assert second.status_code == 201 and second.json()["corrects"] == first["id"]
    detail = api.get(f"{API}/signals/{s.signal.pk}/").json()
    kept = next(m for m in detail["outcomes"] if m["id"] == first["id"])
    assert kept["superseded_at"] is not None and kept["reason"] == "quarrel"
