"""The shared Idempotency-Key helpers (qorgau/core/api/idempotency.py): parsing, answers, the 409 mapping."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.utils import translation
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from qorgau.core.api import idempotency
from qorgau.core.api.exceptions import exception_handler
from qorgau.core.idempotency import IdempotencyConflict, fingerprint, once
from qorgau.core.models import AuditEvent, IdempotencyRecord, User
from qorgau.core.permissions import Scope
from qorgau.core.testing import Personas, UserFactory, role
from qorgau.people.models import Person
from qorgau.people.tests.factories import PersonFactory


def request_with(**headers: str) -> Request:
    return Request(APIRequestFactory().post("/api/x/", **{f"HTTP_{k}": v for k, v in headers.items()}))


def test_the_key_is_read_and_stripped() -> None:
    assert idempotency.key_from(request_with(IDEMPOTENCY_KEY="  k-1 ")) == "k-1"


@pytest.mark.parametrize("key", ["", "   ", "a b", "ключ", "x" * 65])
def test_a_missing_or_malformed_key_is_a_400_on_the_key_field(key: str) -> None:
    with pytest.raises(serializers.ValidationError) as exc:
        idempotency.key_from(request_with(IDEMPOTENCY_KEY=key))
    assert list(exc.value.detail) == ["idempotency_key"]


def test_a_missing_key_message_can_name_the_record() -> None:
    with pytest.raises(serializers.ValidationError) as exc:
        idempotency.key_from(request_with(), missing="Send a key for the case.")
    assert exc.value.detail == {"idempotency_key": ["Send a key for the case."]}


def test_a_replay_answers_200_with_the_header_and_a_first_request_201() -> None:
    first, again = (
        idempotency.respond({"id": 1}, replayed=False),
        idempotency.respond({"id": 1}, replayed=True),
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert again[idempotency.REPLAYED_HEADER] == "true"
    assert idempotency.REPLAYED_HEADER not in first


def test_a_conflict_raised_by_a_service_answers_409_on_the_key_field() -> None:
    with translation.override("en"):
        response = exception_handler(IdempotencyConflict(), {})
    assert response is not None and response.status_code == 409
    assert response.data == {
        "idempotency_key": ["This idempotency key was already used for a different request."]
    }
    named = exception_handler(IdempotencyConflict("Used for another case."), {})
    assert named is not None and named.data == {"idempotency_key": ["Used for another case."]}


def test_the_fingerprint_ignores_the_order_of_keys_but_not_values() -> None:
    assert fingerprint({"a": 1, "b": [2, 3]}) == fingerprint({"b": [2, 3], "a": 1})
    assert fingerprint({"a": 1}) != fingerprint({"a": 2})


def test_the_schema_parameters_name_both_headers() -> None:
    names = [p.name for p in idempotency.parameters("case")]
    assert names == [idempotency.HEADER, idempotency.REPLAYED_HEADER]


# --- the store (core.IdempotencyRecord) through `once` -------------------------------------------------


def run(
    personas: Personas,
    *,
    actor: User | None = None,
    key: str | None = "k",
    payload: dict[str, int] | None = None,
    operation: str = "tests.create",
    made: list[Person] | None = None,
) -> tuple[Person, bool]:
    def create() -> Person:
        person = PersonFactory.create(agency=personas.astana_police, region=personas.astana)
        if made is not None:
            made.append(person)
        return person

    return once(
        actor=actor or personas.astana_officer,
        operation=operation,
        key=key,
        payload={"a": 1} if payload is None else payload,
        model=Person,
        create=create,
    )


@pytest.mark.django_db
def test_once_creates_once_and_replays_the_same_request(personas: Personas) -> None:
    made: list[Person] = []
    first, replayed_first = run(personas, made=made)
    again, replayed_again = run(personas, made=made)
    assert (replayed_first, replayed_again) == (False, True)
    assert again.pk == first.pk and len(made) == 1
    assert AuditEvent.objects.filter(action="idempotency.replay").count() == 1
    # The same key of another operation is another request.
    other, replayed = run(personas, operation="tests.other")
    assert not replayed and other.pk != first.pk


@pytest.mark.django_db
def test_once_refuses_another_request_with_the_key_and_hides_it_from_others(personas: Personas) -> None:
    run(personas)
    with pytest.raises(IdempotencyConflict):
        run(personas, payload={"a": 2})
    # A user of the same agency who cannot see the record learns nothing from the key.
    blind = UserFactory.create(agency=personas.astana_police, role=role("duty_officer"), scope=Scope.NONE)
    with pytest.raises(Http404):
        run(personas, actor=blind)
    # Another agency's key space is its own.
    assert run(personas, actor=personas.shymkent_worker)[1] is False
    assert IdempotencyRecord.objects.count() == 2


@pytest.mark.django_db
def test_once_without_a_key_just_creates(personas: Personas) -> None:
    assert run(personas, key=None)[1] is False
    assert run(personas, key="")[1] is False
    assert not IdempotencyRecord.objects.exists()
