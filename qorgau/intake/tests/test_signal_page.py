"""The signal's page and its actions: assignment, first contact, outcomes, orders and their checks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from qorgau.core.models import Agency, AgencyType, AuditEvent

from ..models import (
    ComplianceCheck,
    Outcome,
    OutcomeKind,
    ProtectiveOrder,
    ReconciliationDecision,
    Signal,
    SignalStatus,
)
from ..services import do_issue_protective_order, do_record_outcome
from .factories import World, give_role
from .pages import english_pages, fmt, key_of, login

__all__ = ["english_pages"]  # the autouse fixture, imported to apply here


# The signal's page and its actions


def test_detail_shows_parties_deadlines_and_is_audited(client: Client, world: World) -> None:
    signal = world.register(received_at=timezone.now() - dt.timedelta(days=20))
    body = login(client, world.officer).get(f"/signals/{signal.pk}/").content.decode()
    assert "Seitkali Aigerim" in body and "Seitkali Bolat" in body
    assert "data-overdue" in body
    assert AuditEvent.objects.filter(action="signal.view", object_id=str(signal.pk)).count() == 1
    assert "/outcome/" not in body  # the officer may not record outcomes


def test_assign_first_contact_and_victim_declined(client: Client, world: World) -> None:
    signal = world.register()
    login(client, world.officer)
    page = client.get(f"/signals/{signal.pk}/").content.decode()
    assert f'<option value="{world.inspector.pk}">' in page
    client.post(f"/signals/{signal.pk}/assign/", {"assignee": world.inspector.pk})
    client.post(f"/signals/{signal.pk}/first-contact/", {"contacted_at": fmt(timezone.now())})
    response = client.post(
        f"/signals/{signal.pk}/victim-declined/",
        {"declined_at": fmt(timezone.now()), "note": "scared"},
        follow=True,
    )
    signal.refresh_from_db()
    assert signal.assigned_to == world.inspector and signal.first_contact_at is not None
    assert signal.victim_declined and signal.status == SignalStatus.IN_PROGRESS
    assert "still needs its outcome" in response.content.decode()


def test_first_contact_before_the_signal_is_a_field_error(client: Client, world: World) -> None:
    signal = world.register()
    login(client, world.officer)
    early = fmt(signal.received_at - dt.timedelta(days=1))
    body = client.post(f"/signals/{signal.pk}/first-contact/", {"contacted_at": early}).content.decode()
    assert "cannot be before the signal was received" in body
    assert early in body


def test_actions_on_a_signal_of_another_region_are_404(client: Client, world: World) -> None:
    signal = world.register()
    # An inspector's role in Shymkent: every action is granted, so the 404 comes from scope alone.
    assert world.inspector.role is not None
    shymkent_inspector = give_role(world.shymkent_officer, world.inspector.role)
    login(client, shymkent_inspector)
    for action in ("assign", "outcome", "first-contact", "victim-declined", "reconciliation", "transfer"):
        assert client.get(f"/signals/{signal.pk}/{action}/").status_code == 404, action
        assert client.post(f"/signals/{signal.pk}/{action}/", {}).status_code == 404, action
    # Without the role's action the answer is 403 whatever the scope (deny by default).
    login(client, world.shymkent_worker)
    assert client.get(f"/signals/{signal.pk}/outcome/").status_code == 403


@pytest.mark.parametrize(
    ("kind", "fields", "expected"),
    [
        ("criminal_case", {"article": "108-1", "part": "1", "case_number": "CC-1"}, {"case_number": "CC-1"}),
        ("admin_protocol", {"article": "73", "part": "2"}, {"article": "73", "part": "2"}),
        ("no_offence", {"reason": "A quarrel without violence."}, {"reason": "A quarrel without violence."}),
    ],
)
def test_outcome_per_kind(client: Client, world: World, kind: str, fields: dict, expected: dict) -> None:
    signal = world.register()
    login(client, world.inspector)
    form = client.get(f"/signals/{signal.pk}/outcome/?kind={kind}").content.decode()
    for name in fields:
        assert f'name="{name}"' in form
    response = client.post(
        f"/signals/{signal.pk}/outcome/", {"kind": kind, "decided_at": fmt(timezone.now()), **fields}
    )
    assert response.status_code == 302
    outcome = Outcome.objects.get(signal=signal)
    assert outcome.kind == kind
    for name, value in expected.items():
        assert getattr(outcome, name) == value
    signal.refresh_from_db()
    assert signal.status == SignalStatus.CLOSED


@pytest.mark.parametrize(
    ("kind", "fields", "message"),
    [
        # The service's messages, on the fields: the form has no rules of its own.
        ("criminal_case", {"article": "108"}, "Enter the criminal case number."),
        ("admin_protocol", {"article": "73"}, "Enter the part of article 73."),
        ("no_offence", {}, "Give the reason why no offence was found."),
        ("referred", {}, "Choose the agency the signal is referred to."),
        ("special_requirements", {}, "Describe the special requirements requested."),
        ("protective_order", {}, "Choose the alleged offender the order is issued against."),
    ],
)
def test_outcome_kind_specific_fields_are_required(
    client: Client, world: World, kind: str, fields: dict, message: str
) -> None:
    signal = world.register()
    login(client, world.inspector)
    body = client.post(
        f"/signals/{signal.pk}/outcome/", {"kind": kind, "decided_at": fmt(timezone.now()), **fields}
    ).content.decode()
    assert message in body
    assert not Outcome.objects.exists()


def test_outcome_shows_only_the_fields_of_its_kind(client: Client, world: World) -> None:
    signal = world.register()
    login(client, world.inspector)
    page = client.get(f"/signals/{signal.pk}/outcome/").content.decode()
    assert 'name="article"' not in page and "Choose the outcome to see its fields." in page
    fragment = client.get(
        f"/signals/{signal.pk}/outcome/?kind=no_offence", headers={"HX-Request": "true"}
    ).content.decode()
    assert fragment.lstrip().startswith('<form id="outcome-form"')
    assert 'name="reason"' in fragment and 'name="article"' not in fragment
    # without JavaScript: "Show the fields" re-renders without errors, keeping the time typed
    body = client.post(
        f"/signals/{signal.pk}/outcome/",
        {"kind": "referred", "choose": "1", "decided_at": "2020-01-01T10:00"},
    ).content.decode()
    assert 'name="referred_agency"' in body and "2020-01-01T10:00" in body and 'role="alert"' not in body


def test_referral_outcome(client: Client, world: World) -> None:
    signal = world.register()
    agency = Agency.objects.create(name="Akimat social dept", type=AgencyType.AKIMAT, region=world.p.astana)
    login(client, world.inspector)
    client.post(
        f"/signals/{signal.pk}/outcome/",
        {"kind": "referred", "decided_at": fmt(timezone.now()), "referred_agency": agency.pk},
    )
    assert Outcome.objects.get(signal=signal).referred_agency == agency


def test_protective_order_outcome_issues_the_order_with_its_checks(client: Client, world: World) -> None:
    signal = world.register()
    login(client, world.inspector)
    response = client.post(
        f"/signals/{signal.pk}/outcome/",
        {
            "kind": "protective_order",
            "decided_at": fmt(timezone.now()),
            "served_at": fmt(timezone.now()),
            "offender": world.offender.pk,
            "order_number": "PO-77",
        },
        follow=True,
    )
    order = ProtectiveOrder.objects.get(signal=signal)
    assert order.number == "PO-77"
    assert ComplianceCheck.objects.filter(order=order).count() == 4
    assert Outcome.objects.get(signal=signal).kind == OutcomeKind.PROTECTIVE_ORDER
    body = response.content.decode()
    assert "4 compliance checks scheduled" in body
    assert body.count('data-check="') == 4


def test_a_failed_protective_order_outcome_leaves_no_order(client: Client, world: World) -> None:
    signal = world.register()
    login(client, world.inspector)
    body = client.post(
        f"/signals/{signal.pk}/outcome/",
        {
            "kind": "protective_order",
            "decided_at": fmt(signal.received_at - dt.timedelta(days=2)),
            "served_at": fmt(timezone.now()),
            "offender": world.offender.pk,
        },
    ).content.decode()
    assert "cannot be before the signal was received" in body
    assert not ProtectiveOrder.objects.exists()


def test_correcting_an_outcome_needs_a_reason(client: Client, world: World) -> None:
    signal = world.register()
    do_record_outcome(actor=world.inspector, signal=signal, kind=OutcomeKind.NO_OFFENCE, reason="x")
    login(client, world.inspector)
    data = {"kind": "admin_protocol", "decided_at": fmt(timezone.now()), "article": "73", "part": "1"}
    body = client.post(f"/signals/{signal.pk}/outcome/", data).content.decode()
    assert "give the reason for correcting it." in body
    client.post(f"/signals/{signal.pk}/outcome/", {**data, "correction_reason": "Protocol drawn up later."})
    signal.refresh_from_db()
    assert signal.outcome is not None and signal.outcome.kind == OutcomeKind.ADMIN_PROTOCOL
    page = client.get(f"/signals/{signal.pk}/").content.decode()
    assert page.count('data-superseded="1"') == 1  # the corrected version is kept, marked


def test_reconciliation_request_shows_the_decision_with_rule_and_version(
    client: Client, world: World
) -> None:
    signal = world.register(forms=["physical"])
    login(client, world.inspector)
    response = client.post(
        f"/signals/{signal.pk}/reconciliation/", {"offender": world.offender.pk, "note": "asked"}, follow=True
    )
    decision = ReconciliationDecision.objects.get()
    assert not decision.allowed
    body = response.content.decode()
    assert "2024-72-VIII" in body and decision.rule_code in body
    assert 'data-decision="refused"' in body
    assert AuditEvent.objects.filter(action="reconciliation.decide").exists()


def test_compliance_check_and_breach(client: Client, world: World) -> None:
    signal = world.register(received_at=timezone.now() - dt.timedelta(days=9))
    order = do_issue_protective_order(
        actor=world.inspector,
        signal=signal,
        offender=world.offender,
        served_at=timezone.now() - dt.timedelta(days=8),
    )
    check = order.checks.order_by("due_at")[0]
    login(client, world.inspector)
    orders_page = client.get("/signals/orders/").content.decode()
    assert f'data-order="{order.pk}"' in orders_page and f'data-check="{check.pk}"' in orders_page
    assert "Seitkali" not in orders_page
    response = client.post(
        f"/signals/orders/checks/{check.pk}/",
        {"done_at": fmt(timezone.now()), "result": "breach", "notes": "came back"},
    )
    assert response["Location"] == f"/signals/orders/{order.pk}/breach/"
    form = client.get(response["Location"]).content.decode()
    key = key_of(form)
    data = {
        "received_at": fmt(timezone.now()),
        "channel": "call_102",
        "account": "He came back.",
        "idempotency_key": key,
    }
    client.post(f"/signals/orders/{order.pk}/breach/", data)
    client.post(f"/signals/orders/{order.pk}/breach/", data)
    breach = Signal.objects.get(breach_of=order)
    assert client.get("/signals/orders/").content.decode().count(f'data-breach="{breach.pk}"') == 1


def test_a_check_needs_notes_unless_complied(client: Client, world: World) -> None:
    signal = world.register()
    order = do_issue_protective_order(
        actor=world.inspector, signal=signal, offender=world.offender, served_at=timezone.now()
    )
    check = order.checks.all()[0]
    login(client, world.inspector)
    body = client.post(
        f"/signals/orders/checks/{check.pk}/", {"done_at": fmt(timezone.now()), "result": "not_reached"}
    ).content.decode()
    assert "Describe what was found." in body
