# ruff: noqa: RUF001  (Cyrillic and Kazakh Latin letters are the subject here)
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from qorgau.core.models import AuditEvent
from qorgau.core.testing import Personas, ScopeMatrix, api_client
from qorgau.people.models import Person

from .factories import FamilyFactory, FamilyMemberFactory, PersonFactory

IIN = "900101300017"
OTHER_IIN = "900101300027"  # the same birth date and sex, another serial


@pytest.fixture(autouse=True)
def _english(settings):
    # Assertions read English messages; the UI default is Russian and its catalogue grows meanwhile.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


PERSONS = "/api/people/persons/"
FAMILIES = "/api/people/families/"


class TestPersonApiScope(ScopeMatrix):
    api_list_url = PERSONS

    def make_object(self, personas: Personas) -> Person:
        return PersonFactory.create(agency=personas.astana_police, region=personas.astana)

    def api_detail_url(self, obj: Person) -> str:
        return f"{PERSONS}{obj.pk}/"


class TestFamilyApiScope(ScopeMatrix):
    api_list_url = FAMILIES

    def make_object(self, personas: Personas):
        return FamilyFactory.create(agency=personas.astana_police, region=personas.astana)

    def api_detail_url(self, obj) -> str:
        return f"{FAMILIES}{obj.pk}/"


def test_create_returns_201_then_200_with_the_same_person(personas: Personas) -> None:
    api = api_client(personas.astana_officer)
    payload = {"iin": IIN, "surname": "Әлібеков", "given_name": "Нұрсұлтан"}
    first = api.post(PERSONS, payload, format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["iin_masked"].endswith("0017")
    second = api.post(PERSONS, {**payload, "surname": "Alibekov"}, format="json")
    assert second.status_code == 200
    assert second.json()["id"] == first.json()["id"]
    assert Person.objects.count() == 1


def test_bad_iin_is_a_400_on_the_iin_field(personas: Personas) -> None:
    response = api_client(personas.astana_officer).post(
        PERSONS, {"iin": "900101300018", "surname": "A", "given_name": "B"}, format="json"
    )
    assert response.status_code == 400
    assert "check digit" in response.json()["iin"][0]


def test_iin_of_another_agency_answers_exactly_as_a_free_iin(personas: Personas) -> None:
    PersonFactory.create(agency=personas.shymkent_crisis, iin=IIN, surname="Сейтқали")
    client = api_client(personas.astana_officer)
    known = client.post(PERSONS, {"iin": IIN, "surname": "A", "given_name": "B"}, format="json")
    free = client.post(PERSONS, {"iin": OTHER_IIN, "surname": "A", "given_name": "B"}, format="json")
    assert known.status_code == free.status_code == 201
    assert "Сейтқали" not in known.content.decode()
    ignore = {"id", "iin_masked", "created_at", "updated_at", "birth_date", "sex"}
    strip = lambda body: {k: v for k, v in body.items() if k not in ignore}  # noqa: E731
    assert strip(known.json()) == strip(free.json())


def test_list_never_contains_the_iin_or_full_names(personas: Personas) -> None:
    PersonFactory.create(agency=personas.astana_police, iin=IIN, surname="Әлібеков", given_name="Нұрсұлтан")
    response = api_client(personas.astana_officer).get(PERSONS)
    body = response.content.decode()
    assert response.status_code == 200
    assert IIN not in body
    assert "Нұрсұлтан" not in body
    row = response.json()["results"][0]
    assert row["display_name"] == "Әлібеков Н."
    assert row["iin_masked"] == "••••••••0017"


def test_retrieve_shows_the_iin_only_to_roles_allowed_and_is_audited(personas: Personas) -> None:
    person = PersonFactory.create(agency=personas.astana_police, iin=IIN)
    response = api_client(personas.astana_officer).get(f"{PERSONS}{person.pk}/")
    assert response.json()["iin"] == IIN
    assert AuditEvent.objects.filter(action="person.view", object_id=str(person.pk)).count() == 1
    chair = api_client(personas.astana_chair).get(f"{PERSONS}{person.pk}/")  # people.view without view_iin
    assert chair.status_code == 200
    assert chair.json()["iin"] is None
    assert IIN not in chair.content.decode()


def test_search_is_a_post_and_crosses_scripts(personas: Personas) -> None:
    person = PersonFactory.create(
        agency=personas.astana_police,
        iin=IIN,
        surname="Әлібеков",
        given_name="Нұрсұлтан",
        birth_date=datetime.date(1990, 1, 1),
        sex="M",
    )
    PersonFactory.create(agency=personas.astana_police, surname="Иванова", given_name="Мария")
    api = api_client(personas.astana_officer)
    assert api.get(f"{PERSONS}search/").status_code == 405
    by_name = api.post(f"{PERSONS}search/", {"name": "NURSULTAN ALIBEKOV", "birth_year": 1990}, format="json")
    assert [r["id"] for r in by_name.json()["results"]] == [person.pk]
    by_iin = api.post(f"{PERSONS}search/", {"iin": IIN}, format="json")
    assert [r["id"] for r in by_iin.json()["results"]] == [person.pk]
    assert IIN not in by_iin.content.decode()
    bad = api.post(f"{PERSONS}search/", {"iin": "123"}, format="json")
    assert bad.status_code == 400 and "iin" in bad.json()


def test_search_needs_only_the_view_action(personas: Personas) -> None:
    assert api_client(personas.astana_chair).post(f"{PERSONS}search/", {}, format="json").status_code == 200
    assert api_client(personas.outsider).post(f"{PERSONS}search/", {}, format="json").status_code == 403


def test_partial_update_goes_through_the_service(personas: Personas) -> None:
    person = PersonFactory.create(
        agency=personas.astana_police, iin="", birth_date=datetime.date(1990, 1, 1), sex="M"
    )
    api = api_client(personas.astana_officer)
    response = api.patch(f"{PERSONS}{person.pk}/", {"phone": "+7 701 000 00 00", "iin": IIN}, format="json")
    assert response.status_code == 200, response.json()
    person.refresh_from_db()
    assert person.phone == "+7 701 000 00 00"
    assert person.reveal_iin() == IIN
    event = AuditEvent.objects.get(action="person.change")
    assert IIN not in str(event.changes)
    assert (
        api_client(personas.astana_chair).patch(f"{PERSONS}{person.pk}/", {"phone": "1"}).status_code == 403
    )
    other = PersonFactory.create(agency=personas.shymkent_crisis)
    assert api.patch(f"{PERSONS}{other.pk}/", {"phone": "1"}, format="json").status_code == 404


def test_family_create_and_add_member(personas: Personas) -> None:
    api = api_client(personas.astana_officer)
    head = PersonFactory.create(agency=personas.astana_police)
    child = PersonFactory.create(agency=personas.astana_police)
    stranger = PersonFactory.create(agency=personas.shymkent_crisis)
    response = api.post(
        FAMILIES,
        {
            "region": personas.astana.pk,
            "address": "Abay 1",
            "members": [{"person": head.pk, "relationship": "head"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    family = response.json()
    assert family["code"].startswith("FAM-")
    assert family["members"] == [{"person": head.pk, "relationship": "head"}]
    refused = api.post(
        FAMILIES,
        {"region": personas.astana.pk, "members": [{"person": stranger.pk, "relationship": "head"}]},
        format="json",
    )
    assert refused.status_code == 400
    added = api.post(
        f"{FAMILIES}{family['id']}/members/", {"person": child.pk, "relationship": "child"}, format="json"
    )
    assert added.status_code == 200, added.json()
    assert len(added.json()["members"]) == 2


@pytest.mark.parametrize(("url", "make"), [(PERSONS, "persons"), (FAMILIES, "families")])
def test_list_query_count_does_not_grow_with_rows(personas: Personas, url: str, make: str) -> None:
    def create(n: int) -> None:
        for _ in range(n):
            if make == "persons":
                PersonFactory.create(agency=personas.astana_police)
            else:
                FamilyMemberFactory.create(family=FamilyFactory.create(agency=personas.astana_police))

    api = api_client(personas.astana_officer)
    create(3)
    with CaptureQueriesContext(connection) as few:
        assert api.get(url).status_code == 200
    create(27)
    with CaptureQueriesContext(connection) as many:
        response = api.get(url)
    assert response.json()["count"] == 30
    assert len(many) == len(few)


def test_schema_describes_the_people_endpoints(personas: Personas) -> None:
    response = api_client(personas.astana_officer).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/people/persons/search/" in paths
    assert "post" in paths["/api/people/persons/"]
