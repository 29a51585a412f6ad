"""IIN look-ups: audited for the owner, flagged and limited per user, the same for known and unknown IINs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from qorgau.core.models import AuditEvent
from qorgau.core.permissions import Scope
from qorgau.core.ratelimit import RateLimited
from qorgau.core.testing import Personas, UserFactory, api_client, otp_login, role
from qorgau.people.iin import make_iin
from qorgau.people.lookups import find_persons
from qorgau.people.services import do_create_person

from .factories import PersonFactory

IINS = [make_iin(dt.date(1985, 1, 1 + i), "F", serial=30 + i) for i in range(6)]


@pytest.fixture
def tight_limit(settings: Any) -> None:
    settings.IIN_LOOKUP_FLAG = 2
    settings.IIN_LOOKUP_LIMIT = 3


def agency_auditor(agency: Any) -> Any:
    return UserFactory.create(agency=agency, role=role("auditor"), scope=Scope.AGENCY)


def test_a_search_by_iin_of_another_agencys_person_lands_with_its_auditor(personas: Personas) -> None:
    theirs = PersonFactory.create(agency=personas.shymkent_crisis, iin=IINS[0], surname="Омарова")
    assert find_persons(personas.astana_officer, iin=IINS[0]) == []
    seen = AuditEvent.objects.visible_to(agency_auditor(personas.shymkent_crisis))
    lookup = seen.get(action="person.iin_lookup")
    assert (lookup.object_id, lookup.actor_id) == (str(theirs.pk), personas.astana_officer.pk)
    search = AuditEvent.objects.get(action="person.search")
    assert search.changes["by"] == ["iin"] and search.changes["results"] == 0
    assert IINS[0] not in str(search.changes) + str(lookup.changes)
    assert lookup.changes["iin_ref"] == search.changes["iin_ref"]  # an auditor can join the two


def test_a_name_search_is_audited_without_the_name(personas: Personas) -> None:
    mine = PersonFactory.create(agency=personas.astana_police, surname="Жумабаева", given_name="Айгуль")
    assert find_persons(personas.astana_officer, name="жумабаева") == [mine]
    event = AuditEvent.objects.get(action="person.search")
    assert event.changes["by"] == ["name"] and event.changes["ids"] == [mine.pk]
    assert "умабаев" not in str(event.changes).lower() and "zhumabaeva" not in str(event.changes).lower()


def test_many_different_iins_are_flagged_then_refused_known_or_not(
    personas: Personas, tight_limit: None
) -> None:
    PersonFactory.create(agency=personas.shymkent_crisis, iin=IINS[3])
    officer = personas.astana_officer
    find_persons(officer, iin=IINS[0])
    assert not AuditEvent.objects.filter(action="person.iin_lookup_flagged").exists()
    find_persons(officer, iin=IINS[1])
    flagged = AuditEvent.objects.visible_to(personas.astana_auditor).get(action="person.iin_lookup_flagged")
    assert flagged.actor == officer
    find_persons(officer, iin=IINS[2])
    find_persons(officer, iin=IINS[0])  # the same IIN again is not another look-up
    # Past the limit, a known and an unknown IIN are refused alike (no oracle in the refusal).
    with pytest.raises(RateLimited) as known:
        find_persons(officer, iin=IINS[3])
    with pytest.raises(RateLimited) as unknown:
        do_create_person(actor=officer, iin=IINS[4], surname="A", given_name="B")
    assert known.value.message == unknown.value.message and known.value.retry_after > 0
    assert AuditEvent.objects.filter(action="person.iin_lookup_refused").count() == 1
    # Another user is not affected.
    find_persons(personas.astana_inspector, iin=IINS[4])


def test_the_api_answers_429_with_retry_after(personas: Personas, tight_limit: None) -> None:
    api = api_client(personas.astana_officer)
    for iin in IINS[:3]:
        assert api.post("/api/people/persons/search/", {"iin": iin}, format="json").status_code == 200
    response = api.post("/api/people/persons/search/", {"iin": IINS[3]}, format="json")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    create = api.post(
        "/api/people/persons/", {"iin": IINS[4], "surname": "A", "given_name": "B"}, format="json"
    )
    assert create.status_code == 429


def test_the_search_page_says_to_wait(client: Client, personas: Personas, tight_limit: None) -> None:
    otp_login(client, personas.astana_officer)
    for iin in IINS[:3]:
        client.post("/people/", {"iin": iin})
    body = client.post("/people/", {"iin": IINS[3]}, headers={"Accept-Language": "en"}).content.decode()
    assert "different IINs within the last hour" in body


def test_page_and_api_searches_are_audited(client: Client, personas: Personas) -> None:
    PersonFactory.create(agency=personas.astana_police, surname="Ким")
    otp_login(client, personas.astana_officer).post("/people/", {"name": "Ким"})
    api_client(personas.astana_officer).post("/api/people/persons/search/", {"name": "Ким"}, format="json")
    contexts = sorted(e.changes["context"] for e in AuditEvent.objects.filter(action="person.search"))
    assert contexts == ["api", "search"]


def test_persons_and_families_are_created_only_where_one_works(personas: Personas) -> None:
    api = api_client(personas.astana_officer)
    person = api.post(
        "/api/people/persons/",
        {"surname": "A", "given_name": "B", "region": personas.shymkent.pk},
        format="json",
    )
    assert person.status_code == 400 and "region" in person.json()
    family = api.post("/api/people/families/", {"region": personas.shymkent.pk}, format="json")
    assert family.status_code == 400 and "region" in family.json()
    assert api.post("/api/people/families/", {"region": personas.astana.pk}, format="json").status_code == 201


def test_the_auditors_home_lists_flagged_users(client: Client, personas: Personas, tight_limit: None) -> None:
    for iin in IINS[:2]:
        find_persons(personas.astana_officer, iin=iin)
    html = otp_login(client, personas.astana_auditor).get("/", headers={"Accept-Language": "en"})
    body = html.content.decode()
    assert 'data-queue="audit-iin-lookups"' in body
    assert "aigerim: 2 different IINs within an hour" in body


def test_the_schema_documents_429_where_iins_are_looked_up(personas: Personas) -> None:
    schema = api_client(personas.astana_officer).get("/api/schema/", {"format": "json"}).json()
    limited = {
        (path, method)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "429" in operation.get("responses", {})
    }
    assert limited == {
        ("/api/people/persons/", "post"),
        ("/api/people/persons/{id}/", "patch"),
        ("/api/people/persons/search/", "post"),
        ("/api/intake/signals/", "post"),
    }
