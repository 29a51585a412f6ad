"""The intake API: scope matrix, idempotent registration, atomicity, outcomes, reconciliation, queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qorgau.core.models import AgencyType, AuditEvent
from qorgau.core.testing import AgencyFactory, Personas, ScopeMatrix, api_client
from qorgau.people.iin import make_iin
from qorgau.people.models import Person
from qorgau.people.tests.factories import PersonFactory

from ..models import DECISIVE_KINDS, Outcome, OutcomeKind, ProtectiveOrder, Signal, SignalParty, SignalStatus
from ..services import do_issue_protective_order, do_record_outcome
from .factories import World, make_person, make_world

SIGNALS = "/api/intake/signals/"
ORDERS = "/api/intake/protective-orders/"
NEW_IIN = make_iin(dt.date(1992, 5, 17), "F", serial=11)


@pytest.fixture(autouse=True)
def _english_requests(settings: Any) -> None:
    # Messages are asserted in English; requests otherwise get the default language (Russian).
    settings.LANGUAGE_CODE = "en"


def url(signal: Signal, suffix: str = "") -> str:
    return f"{SIGNALS}{signal.pk}/{suffix}"


def payload(world: World, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "channel": "call_102",
        "received_at": (timezone.now() - dt.timedelta(minutes=30)).isoformat(),
        "region": "KZ-71",
        "district": world.astana_district.code,
        "address": "Abay avenue 10, flat 5",
        "victims": [{"person": world.victim.pk}],
        "offenders": [{"person": world.offender.pk}],
        "relationship": "spouse",
        "forms": ["physical"],
        "injuries": True,
        "account": "Neighbours heard shouting.",
    }
    return body | overrides


def post(api: Any, body: dict[str, Any], key: str | None = "key-1") -> Any:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return api.post(SIGNALS, body, format="json", headers=headers)


class TestSignalApiScope(ScopeMatrix):
    api_list_url = SIGNALS

    def make_object(self, personas: Personas) -> Signal:
        return make_world(personas).register()

    def api_detail_url(self, obj: Signal) -> str:
        return url(obj)


class TestProtectiveOrderApiScope(ScopeMatrix):
    api_list_url = ORDERS

    def make_object(self, personas: Personas) -> ProtectiveOrder:
        world = make_world(personas)
        signal = world.register(received_at=timezone.now() - dt.timedelta(hours=2))
        return do_issue_protective_order(
            actor=world.inspector, signal=signal, offender=world.offender, served_at=timezone.now()
        )

    def api_detail_url(self, obj: ProtectiveOrder) -> str:
        return f"{ORDERS}{obj.pk}/"


# --- registering ------------------------------------------------------------------------------------------


def test_it_registers_a_signal_with_a_number_and_an_inline_new_person(world: World) -> None:
    body = payload(
        world,
        witnesses=[{"new_person": {"iin": NEW_IIN, "surname": "Kim", "given_name": "Yelena"}}],
    )
    response = post(api_client(world.officer), body)

    assert response.status_code == 201, response.json()
    data = response.json()
    year = timezone.localdate().year
    assert data["registration_number"] == f"KZ-71-{year}-000001"
    assert data["status"] == SignalStatus.REGISTERED and data["region"] == "KZ-71"
    assert data["forms"] == ["physical"] and data["injuries"] is True
    witness = Person.objects.get(surname="Kim")
    assert witness.agency == world.officer.agency and witness.reveal_iin() == NEW_IIN
    roles = {(p["role"], p["person"]["id"]) for p in data["parties"]}
    assert roles == {("victim", world.victim.pk), ("offender", world.offender.pk), ("witness", witness.pk)}
    assert NEW_IIN not in response.content.decode()
    signal = Signal.objects.get()
    assert signal.idempotency_key == "key-1" and signal.channel == "call_102"
    assert AuditEvent.objects.filter(action="signal.register", object_id=str(signal.pk)).count() == 1


def test_a_retry_with_the_same_key_returns_the_same_signal_and_creates_nothing(world: World) -> None:
    api = api_client(world.officer)
    # A new person without an IIN: a retry must match them, not register them a second time.
    body = payload(world, witnesses=[{"new_person": {"surname": "Kim", "given_name": "Yelena"}}])
    first = post(api, body, key="3f1c2a9e-retry")
    persons = Person.objects.count()
    second = post(api, body, key="3f1c2a9e-retry")

    assert first.status_code == 201, first.json()
    assert second.status_code == 200, second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert second.json() == first.json()
    assert Signal.objects.count() == 1
    assert Person.objects.count() == persons
    assert AuditEvent.objects.filter(action="signal.register_replay").count() == 1


def test_a_retry_with_an_inline_iin_person_replays(world: World) -> None:
    api = api_client(world.officer)
    body = payload(world, victims=[{"new_person": {"iin": NEW_IIN, "surname": "Omarova", "given_name": "D"}}])
    first, second = post(api, body, key="k-iin"), post(api, body, key="k-iin")
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["id"] == first.json()["id"]
    assert Person.objects.filter(surname="Omarova").count() == 1


def test_the_same_key_with_a_different_request_is_a_conflict(world: World) -> None:
    api = api_client(world.officer)
    assert post(api, payload(world), key="k-2").status_code == 201
    other = post(api, payload(world, forms=["psychological"]), key="k-2")
    inline = post(
        api, payload(world, witnesses=[{"new_person": {"surname": "New", "given_name": "Person"}}]), key="k-2"
    )

    assert other.status_code == 409
    assert "already used for a different signal" in other.json()["idempotency_key"][0]
    assert inline.status_code == 409
    assert Signal.objects.count() == 1
    assert not Person.objects.filter(surname="New").exists()


def test_the_same_key_in_another_agency_is_another_signal(world: World) -> None:
    shymkent_victim = make_person(world.shymkent_police, "Omarova", "Dana")
    body = payload(world, region="KZ-79", district=None, victims=[{"person": shymkent_victim.pk}])
    body |= {"offenders": [], "relationship": ""}
    assert post(api_client(world.officer), payload(world), key="shared").status_code == 201
    assert post(api_client(world.shymkent_officer), body, key="shared").status_code == 201
    assert Signal.objects.count() == 2


@pytest.mark.parametrize(("key", "message"), [(None, "Send an Idempotency-Key"), ("a b", "visible ASCII")])
def test_a_missing_or_malformed_key_is_a_400(world: World, key: str | None, message: str) -> None:
    response = post(api_client(world.officer), payload(world), key=key)
    assert response.status_code == 400
    assert message in response.json()["idempotency_key"][0]
    assert not Signal.objects.exists()


def test_invalid_input_is_a_400_with_field_messages_and_nothing_saved(world: World) -> None:
    api = api_client(world.officer)
    signals, persons, parties = Signal.objects.count(), Person.objects.count(), SignalParty.objects.count()
    # The inline person is valid and created first; the signal then fails: the person must not remain.
    service_level = post(
        api,
        payload(world, forms=[], witnesses=[{"new_person": {"surname": "Kim", "given_name": "Yelena"}}]),
    )
    shape_level = post(
        api,
        payload(
            world,
            channel="pigeon",
            victims=[
                {"person": world.victim.pk},
                {"new_person": {"iin": "123", "surname": "A", "given_name": "B"}},
                {"person": world.victim.pk, "new_person": {"surname": "A", "given_name": "B"}},
            ],
        ),
    )
    future = post(api, payload(world, received_at=(timezone.now() + dt.timedelta(days=1)).isoformat()))

    assert service_level.status_code == 400
    assert service_level.json()["forms"] == ["Choose at least one form of violence."]
    assert shape_level.status_code == 400
    errors = shape_level.json()
    assert "channel" in errors
    # Errors of list items are keyed by the item's index; valid items have none.
    assert set(errors["victims"]) == {"1", "2"}
    assert "iin" in errors["victims"]["1"]["new_person"]
    assert errors["victims"]["2"]["non_field_errors"]
    assert future.status_code == 400 and "future" in future.json()["received_at"][0]
    assert (Signal.objects.count(), Person.objects.count(), SignalParty.objects.count()) == (
        signals,
        persons,
        parties,
    )


def test_a_person_outside_scope_does_not_exist(world: World) -> None:
    stranger = make_person(world.shymkent_police, "Seitkali", "Hidden")
    response = post(api_client(world.officer), payload(world, victims=[{"person": stranger.pk}]))

    assert response.status_code == 400
    assert "does not exist" in response.json()["victims"]["0"]["person"][0]
    assert "Hidden" not in response.content.decode()
    assert not Signal.objects.exists()


def test_an_inline_iin_of_another_agency_answers_as_a_new_person(world: World) -> None:
    hidden = PersonFactory.create(
        agency=world.shymkent_police,
        surname="Seitkali",
        given_name="Hidden",
        iin=NEW_IIN,
        phone="+77001112233",
    )
    body = payload(world, victims=[{"new_person": {"iin": NEW_IIN, "surname": "X", "given_name": "Y"}}])
    response = post(api_client(world.officer), body)

    assert response.status_code == 201
    text = response.content.decode()
    assert "Hidden" not in text and "+77001112233" not in text
    party = SignalParty.objects.get(signal_id=response.json()["id"], role="victim")
    # The officer's own record of what they typed, linked to the Shymkent one: no second identity.
    assert (party.person.surname, party.person.linked_to_id) == ("X", hidden.pk)
    linked = AuditEvent.objects.get(action="person.identity_linked")
    assert (linked.object_id, linked.subject_agency_id) == (str(hidden.pk), world.shymkent_police.pk)


def test_registering_needs_the_add_action(world: World) -> None:
    assert post(api_client(world.shymkent_worker), payload(world)).status_code == 403
    assert post(api_client(world.p.outsider), payload(world)).status_code == 403
    assert post(api_client(), payload(world)).status_code == 401


# --- reading ----------------------------------------------------------------------------------------------


def test_the_list_carries_no_names_and_the_retrieve_does_and_is_audited(world: World) -> None:
    signal = world.register(address="Abay avenue 10", account="He hit her.")
    api = api_client(world.officer)
    listed = api.get(SIGNALS)
    body = listed.content.decode()

    assert listed.status_code == 200
    row = listed.json()["results"][0]
    assert row["registration_number"] == signal.registration_number
    assert "parties" not in row and "address" not in row and "account" not in row
    for secret in ("Seitkali", "Aigerim", "Bolat", "Abay avenue", "He hit her"):
        assert secret not in body

    detail = api.get(url(signal))
    assert detail.status_code == 200
    names = {p["person"]["given_name"] for p in detail.json()["parties"]}
    assert names == {"Aigerim", "Bolat"}
    assert AuditEvent.objects.filter(action="signal.view", object_id=str(signal.pk)).count() == 1


def test_the_list_filters(world: World) -> None:
    now = timezone.now()
    old = world.register(received_at=now - dt.timedelta(days=40), channel="line_111", forms=["physical"])
    recent = world.register(received_at=now - dt.timedelta(hours=1), district=world.astana_district)
    closed = world.register(received_at=now - dt.timedelta(days=3))
    do_record_outcome(actor=world.inspector, signal=closed, kind=OutcomeKind.NO_OFFENCE, reason="quarrel")
    api = api_client(world.officer)

    def ids(**params: Any) -> set[int]:
        response = api.get(SIGNALS, params)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids() == {old.pk, recent.pk, closed.pk}
    assert ids(region="KZ-71") == {old.pk, recent.pk, closed.pk}
    assert ids(district=world.astana_district.code) == {recent.pk}
    assert ids(channel="line_111") == {old.pk}
    assert ids(status="closed") == {closed.pk}
    assert ids(outcome="no_offence") == {closed.pk}
    assert ids(form="physical") == {old.pk}
    assert ids(overdue="true") == {old.pk}
    assert ids(overdue="false") == {recent.pk, closed.pk}
    since = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    assert ids(received_after=since) == {recent.pk, closed.pk}
    assert ids(received_before=since) == {old.pk}
    assert api.get(SIGNALS, {"region": "KZ-XX"}).status_code == 400


def test_list_query_count_does_not_grow_with_rows(world: World) -> None:
    api = api_client(world.officer)
    for _ in range(3):
        world.register()
    with CaptureQueriesContext(connection) as few:
        assert api.get(SIGNALS).status_code == 200
    for _ in range(27):
        world.register()
    with CaptureQueriesContext(connection) as many:
        response = api.get(SIGNALS)
    assert response.json()["count"] == 30
    assert len(many) == len(few)


def test_order_list_query_count_does_not_grow_and_shows_checks_due(world: World) -> None:
    def issue() -> ProtectiveOrder:
        signal = world.register(received_at=timezone.now() - dt.timedelta(hours=2))
        return do_issue_protective_order(
            actor=world.inspector, signal=signal, offender=world.offender, served_at=timezone.now()
        )

    api = api_client(world.inspector)
    for _ in range(3):
        issue()
    with CaptureQueriesContext(connection) as few:
        assert api.get(ORDERS, {"in_force": "true"}).status_code == 200
    for _ in range(27):
        issue()
    with CaptureQueriesContext(connection) as many:
        response = api.get(ORDERS, {"in_force": "true"})
    assert response.json()["count"] == 30
    assert len(many) == len(few)
    row = response.json()["results"][0]
    assert row["in_force"] is True and row["checks_overdue"] == 0 and row["next_check_due"]
    next_week = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    assert api.get(ORDERS, {"check_due_before": next_week}).json()["count"] == 30
    assert api.get(ORDERS, {"check_due_before": timezone.localdate().isoformat()}).json()["count"] == 0


# --- outcomes ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "criminal_case", "article": "108-1", "case_number": "241500031000123"}, None),
        ({"kind": "criminal_case", "article": "108-1"}, "case_number"),
        ({"kind": "admin_protocol", "article": "73", "part": "1"}, None),
        ({"kind": "admin_protocol", "article": "73"}, "part"),
        ({"kind": "admin_protocol"}, "article"),
        ({"kind": "protective_order"}, "offender"),
        ({"kind": "protective_order", "offender": "the offender"}, "served_at"),
        ({"kind": "special_requirements", "details": "no contact with the victim"}, None),
        ({"kind": "special_requirements"}, "details"),
        ({"kind": "referred", "referred_agency": "other"}, None),
        ({"kind": "referred"}, "referred_agency"),
        ({"kind": "no_offence", "reason": "a verbal quarrel, no offence"}, None),
        ({"kind": "no_offence"}, "reason"),
        ({"kind": "victim_declined"}, "kind"),
    ],
)
def test_it_records_an_outcome_of_each_kind(world: World, body: dict[str, Any], field: str | None) -> None:
    signal = world.register()
    if body.get("referred_agency") == "other":
        body = body | {"referred_agency": AgencyFactory.create(type=AgencyType.CRISIS_CENTRE).pk}
    if body.get("offender") == "the offender":
        body = body | {"offender": world.offender.pk}
    response = api_client(world.inspector).post(url(signal, "outcome/"), body, format="json")
    signal.refresh_from_db()

    if field is None:
        assert response.status_code == 201, response.json()
        assert response.json()["kind"] == body["kind"]
        if body["kind"] in DECISIVE_KINDS:
            assert response.json()["is_decisive"] is True
            assert signal.status == SignalStatus.CLOSED and signal.outcome_id == response.json()["id"]
        else:  # a protective measure accompanies the outcome: the signal stays open
            assert response.json()["is_decisive"] is False
            assert signal.status == SignalStatus.IN_PROGRESS and signal.outcome_id is None
    else:
        assert response.status_code == 400
        assert field in response.json(), response.json()
        assert signal.status == SignalStatus.REGISTERED and signal.outcome_id is None
        assert not Outcome.objects.filter(signal=signal).exists()
        assert not ProtectiveOrder.objects.filter(signal=signal).exists()


def test_an_order_and_a_protocol_are_both_recorded_for_one_incident(world: World) -> None:
    signal = world.register(received_at=timezone.now() - dt.timedelta(hours=2))
    api = api_client(world.inspector)
    order = {
        "kind": "protective_order",
        "offender": world.offender.pk,
        "served_at": timezone.now().isoformat(),
    }
    first = api.post(url(signal, "outcome/"), order, format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["order"] == ProtectiveOrder.objects.get(signal=signal).pk
    assert Signal.objects.get(pk=signal.pk).status != SignalStatus.CLOSED
    protocol = {"kind": "admin_protocol", "article": "73", "part": "1", "case_number": "AP-1"}
    second = api.post(url(signal, "outcome/"), protocol, format="json")
    assert second.status_code == 201, second.json()
    detail = api.get(url(signal)).json()
    assert detail["status"] == "closed" and detail["outcome_kind"] == "admin_protocol"
    assert sorted(m["kind"] for m in detail["outcomes"]) == ["admin_protocol", "protective_order"]


def test_correcting_an_outcome_needs_a_reason(world: World) -> None:
    signal = world.register()
    api = api_client(world.inspector)
    first = {"kind": "no_offence", "reason": "quarrel"}
    assert api.post(url(signal, "outcome/"), first, format="json").status_code == 201
    body = {"kind": "admin_protocol", "article": "73", "part": "1"}
    refused = api.post(url(signal, "outcome/"), body, format="json")
    assert refused.status_code == 400 and "correction_reason" in refused.json()
    body["correction_reason"] = "new witness statement"
    assert api.post(url(signal, "outcome/"), body, format="json").status_code == 201


def test_an_outcome_needs_the_outcome_action_and_scope(world: World) -> None:
    signal = world.register()
    body = {"kind": "no_offence", "reason": "quarrel"}
    assert api_client(world.officer).post(url(signal, "outcome/"), body, format="json").status_code == 403
    shymkent = make_world_inspector_elsewhere(world)
    assert api_client(shymkent).post(url(signal, "outcome/"), body, format="json").status_code == 404
    assert not Signal.objects.get(pk=signal.pk).outcome_id


def make_world_inspector_elsewhere(world: World) -> Any:
    from qorgau.core.permissions import Scope

    from .factories import INSPECTOR_ACTIONS, make_role, new_user

    return new_user(
        username="shymkent_inspector",
        agency=world.shymkent_police,
        role=make_role("test_intake_inspector", INSPECTOR_ACTIONS),
        scope=Scope.AGENCY,
    )


# --- reconciliation ---------------------------------------------------------------------------------------


def test_reconciliation_is_refused_citing_rule_and_version(world: World) -> None:
    signal = world.register(forms=["physical", "psychological"])
    response = api_client(world.inspector).post(url(signal, "reconciliation/"), {}, format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["allowed"] is False
    assert data["rule_set"] == "2024-72-VIII" and data["rule_code"] == "physical-violence"
    assert data["rule_title"]
    assert "2024-72-VIII" in data["explanation"] and "physical-violence" in data["explanation"]
    assert data["offender"] == world.offender.pk
    assert AuditEvent.objects.filter(action="reconciliation.decide").count() == 1


def test_reconciliation_applies_the_law_of_the_day_asked(world: World) -> None:
    signal = world.register(forms=["psychological"])
    api = api_client(world.inspector)
    body = {"offender": world.offender.pk, "at": "2024-01-10", "note": "the parties asked"}
    response = api.post(url(signal, "reconciliation/"), body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["allowed"] is True
    assert response.json()["rule_set"] == "pre-2024" and response.json()["law_date"] == "2024-01-10"


def test_reconciliation_input_errors_and_permission(world: World) -> None:
    signal = world.register()
    api = api_client(world.inspector)
    victim = api.post(url(signal, "reconciliation/"), {"offender": world.victim.pk}, format="json")
    assert victim.status_code == 400 and "offender" in victim.json()
    no_offender = world.register(offenders=[], relationship="")
    missing = api.post(url(no_offender, "reconciliation/"), {}, format="json")
    assert missing.status_code == 400 and "offender" in missing.json()
    assert (
        api_client(world.officer).post(url(signal, "reconciliation/"), {}, format="json").status_code == 403
    )


# --- schema -----------------------------------------------------------------------------------------------


def test_the_schema_documents_the_idempotency_header(world: World) -> None:
    response = api_client(world.officer).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    create = paths["/api/intake/signals/"]["post"]
    header = next(p for p in create["parameters"] if p["name"] == "Idempotency-Key")
    assert header["in"] == "header" and header["required"] is True
    assert {"200", "201", "400", "409"} <= set(create["responses"])
    assert "Idempotent-Replayed" in create["responses"]["200"]["headers"]
    assert "/api/intake/signals/{id}/outcome/" in paths
    assert "/api/intake/signals/{id}/reconciliation/" in paths
    assert "/api/intake/protective-orders/" in paths
