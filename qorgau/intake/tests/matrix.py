"""Scope cases of every intake route, pages and API (see qorgau/core/testing_matrix.py).

The signals, the order and its checks live in Astana: registered by the Astana duty officer, orders issued
by the Astana district inspector (shipped default roles). The permitted user's Shymkent twin holds the same
role in Shymkent, so its 404 is about scope, not a missing action.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from qorgau.core.testing import DistrictFactory
from qorgau.core.testing_matrix import Case, World, builds
from qorgau.intake.models import ComplianceCheck, Outcome, ProtectiveOrder, ReconciliationDecision, Signal
from qorgau.intake.services import do_assign_signal, do_issue_protective_order, do_register_signal

OFFICER, INSPECTOR = "astana_officer", "astana_inspector"


def moment(delta: dt.timedelta = dt.timedelta(0)) -> str:
    return (timezone.localtime() + delta).strftime("%Y-%m-%dT%H:%M")


@builds("district")
def _district(w: World) -> Any:
    return DistrictFactory.create(region=w.p.astana, code="KZ71-ESIL", name_en="Yesil")


def _register(w: World, hours: int) -> Signal:
    return do_register_signal(
        actor=w.user(OFFICER),
        channel="call_102",
        received_at=timezone.now() - dt.timedelta(hours=hours),
        region=w.p.astana,
        district=w["district"],
        victims=[w["person"]],
        offenders=[w["offender"]],
        relationship="spouse",
        forms=["psychological"],
    )


@builds("signal")
def _signal(w: World) -> Signal:
    return _register(w, hours=1)


@builds("assigned")
def _assigned(w: World) -> Signal:
    signal = w["signal"]
    do_assign_signal(actor=w.user(OFFICER), signal=signal, assignee=w.user(INSPECTOR))
    return signal


@builds("order")
def _order(w: World) -> ProtectiveOrder:
    signal = _register(w, hours=3)
    return do_issue_protective_order(
        actor=w.user(INSPECTOR),
        signal=signal,
        offender=w["offender"],
        served_at=timezone.now() - dt.timedelta(hours=1),
    )


@builds("check")
def _check(w: World) -> ComplianceCheck:
    check = w["order"].checks.order_by("due_at").first()
    assert check is not None
    return check


def pk(name: str) -> Any:
    return lambda w: {"pk": w[name].pk}


def number(name: str) -> Any:
    return lambda w: w[name].registration_number


def api_row(name: str) -> Any:
    return lambda w: f'"id":{w[name].pk},'


def signal_form(w: World) -> dict[str, Any]:
    return {
        "action": "save",
        "channel": "call_102",
        "received_at": moment(-dt.timedelta(minutes=30)),
        "region": w.p.astana.pk,
        "district": w["district"].pk,
        "victims": [w["person"].pk],
        "offenders": [w["offender"].pk],
        "relationship": "spouse",
        "violence_forms": ["physical"],
        "account": "Neighbours heard shouting.",
        "idempotency_key": "matrix-1",
    }


def signal_body(w: World) -> dict[str, Any]:
    return {
        "channel": "call_102",
        "received_at": (timezone.now() - dt.timedelta(minutes=30)).isoformat(),
        "region": "KZ-71",
        "victims": [{"person": w["person"].pk}],
        "offenders": [{"person": w["offender"].pk}],
        "relationship": "spouse",
        "forms": ["physical"],
    }


def outcome_recorded(w: World, response: Any) -> None:
    assert Outcome.objects.filter(signal=w["signal"]).exists()


def decided(w: World, response: Any) -> None:
    assert ReconciliationDecision.objects.filter(signal=w["signal"]).exists()


def order_issued(w: World, response: Any) -> None:
    assert ProtectiveOrder.objects.filter(signal=w["signal"]).exists()
    assert Outcome.objects.filter(signal=w["signal"], order__isnull=False).exists()


def handed_over(w: World, response: Any) -> None:
    assert Signal.objects.get(pk=w["signal"].pk).region == w.p.shymkent


EXPORT = "the export is a file of the twin's own scope, without Astana's rows"
CREATE = (
    "a new signal of Astana's persons: out of the twin's scope they 'do not exist', refused with a field "
    "error, nothing written"
)
HAND_OVER = {"region": "KZ-79", "reason": "The family moved to Shymkent."}

CASES = [
    # --- pages ---
    Case("intake:signal_list", "GET", OFFICER, 200, shows=number("signal")),
    Case(
        "intake:signal_create",
        "GET",
        OFFICER,
        302,
        other_region=None,
        why="the first load redirects to the form's own URL with its idempotency key (Back names the signal)",
    ),
    Case("intake:signal_create", "POST", OFFICER, 302, data=signal_form, other_region=200, why=CREATE),
    Case("intake:inspector_queue", "GET", INSPECTOR, 200, shows=number("assigned")),
    Case("intake:signal_export", "GET", INSPECTOR, 200, other_region=200, shows=number("signal"), why=EXPORT),
    Case(
        "intake:person_history",
        "GET",
        OFFICER,
        200,
        data=lambda w: {"victims": w["person"].pk},
        other_region=200,
        shows=number("signal"),
        why="persons by id: out of scope the panel is empty",
    ),
    Case(
        "intake:person_history",
        "POST",
        OFFICER,
        200,
        data=lambda w: {"victims": w["person"].pk},
        other_region=200,
        shows=number("signal"),
        why="persons by id: out of scope the panel is empty",
    ),
    Case(
        "intake:district_options",
        "GET",
        OFFICER,
        200,
        data=lambda w: {"region": w["district"].region_id},
        no_role=200,
        other_region=None,
        why="districts are public reference data (the options of a select)",
    ),
    Case("intake:signal_detail", "GET", OFFICER, 200, kwargs=pk("signal")),
    Case("intake:signal_card", "GET", OFFICER, 200, kwargs=pk("signal"), shows=number("signal")),
    Case("intake:outcome_create", "GET", INSPECTOR, 200, kwargs=pk("signal")),
    Case(
        "intake:outcome_create",
        "POST",
        INSPECTOR,
        302,
        kwargs=pk("signal"),
        data=lambda w: {"kind": "admin_protocol", "decided_at": moment(), "article": "73", "part": "1"},
        check=outcome_recorded,
    ),
    Case("intake:signal_assign", "GET", OFFICER, 200, kwargs=pk("signal")),
    Case(
        "intake:signal_assign",
        "POST",
        OFFICER,
        302,
        kwargs=pk("signal"),
        data=lambda w: {"assignee": w.user(INSPECTOR).pk},
    ),
    Case("intake:first_contact", "GET", OFFICER, 200, kwargs=pk("signal")),
    Case(
        "intake:first_contact",
        "POST",
        OFFICER,
        302,
        kwargs=pk("signal"),
        data=lambda w: {"contacted_at": moment()},
    ),
    Case("intake:signal_transfer", "GET", OFFICER, 200, kwargs=pk("signal")),
    Case(
        "intake:signal_transfer",
        "POST",
        OFFICER,
        302,
        kwargs=pk("signal"),
        data=lambda w: {"region": w.p.shymkent.pk, "reason": HAND_OVER["reason"]},
        check=handed_over,
    ),
    Case("intake:victim_declined", "GET", OFFICER, 200, kwargs=pk("signal")),
    Case(
        "intake:victim_declined",
        "POST",
        OFFICER,
        302,
        kwargs=pk("signal"),
        data=lambda w: {"declined_at": moment(), "note": "She refused a statement."},
    ),
    Case("intake:reconciliation_request", "GET", INSPECTOR, 200, kwargs=pk("signal")),
    Case(
        "intake:reconciliation_request",
        "POST",
        INSPECTOR,
        302,
        kwargs=pk("signal"),
        data=lambda w: {"offender": w["offender"].pk, "note": "Both parties asked."},
        check=decided,
    ),
    Case("intake:order_list", "GET", OFFICER, 200, shows=lambda w: w["order"].signal.registration_number),
    Case("intake:breach_report", "GET", OFFICER, 200, kwargs=pk("order")),
    Case(
        "intake:breach_report",
        "POST",
        OFFICER,
        302,
        kwargs=pk("order"),
        data=lambda w: {
            "received_at": moment(),
            "channel": "call_102",
            "violence_forms": ["psychological"],
            "account": "He came back to the flat.",
            "idempotency_key": "matrix-breach",
        },
    ),
    Case("intake:compliance_check", "GET", OFFICER, 200, kwargs=pk("check")),
    Case(
        "intake:compliance_check",
        "POST",
        OFFICER,
        302,
        kwargs=pk("check"),
        data=lambda w: {"done_at": moment(), "result": "complied"},
    ),
    # --- API ---
    Case("signal-list", "GET", OFFICER, 200, shows=api_row("signal")),
    Case(
        "signal-list",
        "POST",
        OFFICER,
        201,
        data=signal_body,
        headers={"Idempotency-Key": "matrix-api-1"},
        other_region=400,
        why=CREATE,
    ),
    Case("signal-detail", "GET", OFFICER, 200, kwargs=pk("signal")),
    Case(
        "signal-outcome",
        "POST",
        INSPECTOR,
        201,
        kwargs=pk("signal"),
        data=lambda w: {"kind": "admin_protocol", "article": "73", "part": "1"},
        check=outcome_recorded,
    ),
    Case(
        "signal-reconciliation",
        "POST",
        INSPECTOR,
        201,
        kwargs=pk("signal"),
        data=lambda w: {"offender": w["offender"].pk},
        check=decided,
    ),
    Case(
        "signal-transfer",
        "POST",
        OFFICER,
        200,
        kwargs=pk("signal"),
        data=lambda w: HAND_OVER,
        check=handed_over,
    ),
    Case(
        "signal-protective-orders",
        "POST",
        INSPECTOR,
        201,
        kwargs=pk("signal"),
        data=lambda w: {"offender": w["offender"].pk, "served_at": timezone.now().isoformat()},
        check=order_issued,
    ),
    Case(
        "signal-first-contact",
        "POST",
        OFFICER,
        200,
        kwargs=pk("signal"),
        data=lambda w: {"contacted_at": timezone.now().isoformat()},
    ),
    Case(
        "signal-victim-declined",
        "POST",
        OFFICER,
        200,
        kwargs=pk("signal"),
        data=lambda w: {"note": "She refused a statement."},
    ),
    Case(
        "signal-assign",
        "POST",
        OFFICER,
        200,
        kwargs=pk("signal"),
        data=lambda w: {"assignee": w.user(INSPECTOR).pk},
    ),
    Case("protective-order-list", "GET", OFFICER, 200, shows=api_row("order")),
    Case("protective-order-detail", "GET", OFFICER, 200, kwargs=pk("order")),
    Case(
        "protective-order-breach",
        "POST",
        OFFICER,
        201,
        kwargs=pk("order"),
        data=lambda w: {"received_at": timezone.now().isoformat(), "channel": "call_102"},
        headers={"Idempotency-Key": "matrix-api-breach"},
    ),
    Case("compliance-check-detail", "GET", OFFICER, 200, kwargs=pk("check")),
    Case(
        "compliance-check-record",
        "POST",
        OFFICER,
        200,
        kwargs=pk("check"),
        data=lambda w: {"done_at": timezone.now().isoformat(), "result": "complied"},
    ),
]

EXEMPT: dict[str, str] = {}
