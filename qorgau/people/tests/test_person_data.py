# ruff: noqa: RUF001  (Cyrillic and Kazakh Latin letters are the subject here)
"""Bad person data is refused, likely duplicates are shown before registering, lists page by key."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone, translation

from qorgau.core.models import AuditEvent
from qorgau.core.testing import DistrictFactory, Personas, api_client, otp_login
from qorgau.people.iin import make_iin
from qorgau.people.models import Person
from qorgau.people.queries import PAGE_SIZE, likely_duplicates, name_q, search_persons
from qorgau.people.services import do_create_family, do_create_person, do_update_person

from .factories import PersonFactory

BORN = datetime.date(1990, 4, 5)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def test_the_service_refuses_overlong_values_and_a_future_birth_date_all_at_once(personas: Personas) -> None:
    with pytest.raises(ValidationError) as exc:
        do_create_person(
            actor=personas.astana_officer,
            surname="Ә" * 300,
            given_name="Айгерім",
            address="к" * 1000,
            birth_date=timezone.localdate() + datetime.timedelta(days=1),
        )
    errors = exc.value.message_dict
    assert errors["surname"] == ["At most 100 characters; 300 were entered."]
    assert errors["address"] == ["At most 300 characters; 1000 were entered."]
    assert errors["birth_date"] == ["The birth date is in the future."]
    assert set(errors) == {"surname", "address", "birth_date"}
    assert not Person.objects.exists()


def test_the_limit_itself_is_accepted_and_surrounding_spaces_do_not_count(personas: Personas) -> None:
    person, created = do_create_person(
        actor=personas.astana_officer, surname=f"  {'Ә' * 100}  ", given_name="Айгерім", address="к" * 300
    )
    assert created and person.surname == "Ә" * 100 and len(person.address) == 300


def test_a_birth_date_before_1900_is_refused(personas: Personas) -> None:
    with pytest.raises(ValidationError) as exc:
        do_create_person(
            actor=personas.astana_officer,
            surname="Омарова",
            given_name="Жанар",
            birth_date=datetime.date(1890, 1, 1),
        )
    assert "before 1900" in exc.value.message_dict["birth_date"][0]


def test_an_update_is_refused_the_same_way_and_changes_nothing(personas: Personas) -> None:
    person = PersonFactory.create(agency=personas.astana_police, surname="Омарова", iin="")
    with pytest.raises(ValidationError) as exc:
        do_update_person(
            actor=personas.astana_officer,
            person=person,
            surname="О" * 101,
            birth_date=timezone.localdate() + datetime.timedelta(days=30),
        )
    assert set(exc.value.message_dict) == {"surname", "birth_date"}
    person.refresh_from_db()
    assert person.surname == "Омарова"


def test_a_family_address_is_not_cut_either(personas: Personas) -> None:
    with pytest.raises(ValidationError) as exc:
        do_create_family(actor=personas.astana_officer, region=personas.astana, address="к" * 301)
    assert "300" in exc.value.message_dict["address"][0]


def test_likely_duplicates_match_any_spelling_that_day_within_scope(personas: Personas) -> None:
    same = PersonFactory.create(
        agency=personas.astana_police, surname="Жұмабаева", given_name="Әйгерім", birth_date=BORN, iin=""
    )
    PersonFactory.create(  # another day
        agency=personas.astana_police,
        surname="Жұмабаева",
        given_name="Әйгерім",
        birth_date=BORN.replace(day=6),
    )
    PersonFactory.create(  # another agency and region: not the officer's to see
        agency=personas.shymkent_crisis, surname="Жұмабаева", given_name="Әйгерім", birth_date=BORN, iin=""
    )
    officer = personas.astana_officer
    assert likely_duplicates(officer, "ZHUMABAEVA", "AIGERIM", BORN) == [same]
    assert likely_duplicates(officer, "Жумабаева", "Айгерим", BORN) == [same]
    assert likely_duplicates(officer, "Жумабаева", "Мария", BORN) == []
    assert likely_duplicates(officer, "Жумабаева", "Айгерим", None) == []


def _form(**overrides: object) -> dict[str, object]:
    return {
        "surname": "Жумабаева",
        "given_name": "Айгерим",
        "birth_date": BORN.isoformat(),
        "sex": "F",
        "region": "",
        **overrides,
    }


def test_registering_a_likely_duplicate_warns_and_needs_a_confirmation(
    client: Client, personas: Personas
) -> None:
    existing = PersonFactory.create(
        agency=personas.astana_police,
        region=personas.astana,
        district=DistrictFactory.create(region=personas.astana),
        surname="Жұмабаева",
        given_name="Әйгерім",
        birth_date=BORN,
        iin="",
    )
    otp_login(client, personas.astana_officer)
    response = client.post("/people/new/", _form())
    body = response.content.decode()
    assert response.status_code == 200
    assert "already registered" in body
    assert f'href="/people/{existing.pk}/"' in body
    assert str(existing.district) in body
    assert 'type="checkbox" name="confirm_new"' in body
    assert Person.objects.count() == 1
    assert AuditEvent.objects.filter(action="person.search", changes__context="register:duplicates").exists()

    response = client.post("/people/new/", _form(confirm_new="on"))
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_no_warning_without_a_match_or_with_an_iin(client: Client, personas: Personas) -> None:
    otp_login(client, personas.astana_officer)
    assert client.post("/people/new/", _form()).status_code == 302  # nobody like her yet
    # The same again with an IIN: the IIN tells persons apart, the service finds its record.
    response = client.post("/people/new/", _form(iin=make_iin(BORN, "F", serial=10)))
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_the_edit_form_has_no_duplicate_confirmation(client: Client, personas: Personas) -> None:
    person = PersonFactory.create(agency=personas.astana_police, region=personas.astana)
    body = otp_login(client, personas.astana_officer).get(f"/people/{person.pk}/edit/").content.decode()
    assert "confirm_new" not in body


def test_the_list_pages_by_key_newest_first_within_scope(client: Client, personas: Personas) -> None:
    mine = [
        PersonFactory.create(agency=personas.astana_police, region=personas.astana)
        for _ in range(PAGE_SIZE + 3)
    ]
    elsewhere = PersonFactory.create(agency=personas.shymkent_crisis)
    otp_login(client, personas.astana_officer)
    first = client.get("/people/")
    ids = [p.pk for p in first.context["persons"]]
    assert ids == [p.pk for p in reversed(mine)][:PAGE_SIZE]
    next_key = first.context["next_key"]
    assert next_key == ids[-1]
    assert f'href="?after={next_key}"' in first.content.decode()
    second = client.get(f"/people/?after={next_key}")
    assert [p.pk for p in second.context["persons"]] == [p.pk for p in reversed(mine[:3])]
    assert second.context["next_key"] is None
    assert elsewhere.pk not in ids + [p.pk for p in second.context["persons"]]
    assert client.get("/people/?after=abc").context["persons"][0].pk == mine[-1].pk


def test_search_results_show_district_and_age(client: Client, personas: Personas) -> None:
    district = DistrictFactory.create(region=personas.astana)
    PersonFactory.create(
        agency=personas.astana_police,
        region=personas.astana,
        district=district,
        surname="Пак",
        given_name="Дмитрий",
    )
    body = otp_login(client, personas.astana_officer).post("/people/", {"name": "Pak"}).content.decode()
    person = Person.objects.get(surname="Пак")
    assert str(district) in body
    assert f"<td>{person.age()}</td>" in body


def test_age_counts_full_years() -> None:
    person = Person(birth_date=datetime.date(2000, 6, 15))
    assert person.age(datetime.date(2026, 6, 14)) == 25
    assert person.age(datetime.date(2026, 6, 15)) == 26
    assert Person().age() is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the word-prefix index is PostgreSQL's")
def test_the_name_search_is_answered_by_the_word_prefix_index(personas: Personas) -> None:
    PersonFactory.create_batch(20, agency=personas.astana_police)
    qs = search_persons(personas.astana_officer, name="Nursultan Alibek")
    condition = name_q("Nursultan Alibek")
    assert condition is not None
    sql, params = Person.objects.filter(condition).query.sql_with_params()  # unscoped: the index alone
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be read whole otherwise
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "person_name_key_prefixes" in plan, plan
    assert list(qs) == list(Person.objects.filter(surname="Әлібеков", given_name="Нұрсұлтан"))


def test_the_api_search_gives_district_and_age_too(personas: Personas) -> None:
    district = DistrictFactory.create(region=personas.astana)
    person = PersonFactory.create(
        agency=personas.astana_police, region=personas.astana, district=district, surname="Пак", iin=""
    )
    api = api_client(personas.astana_officer)
    rows = api.post("/api/people/persons/search/", {"name": "Пак"}, format="json").json()
    rows = rows.get("results", rows) if isinstance(rows, dict) else rows
    assert [(r["id"], r["district"], r["age"]) for r in rows] == [(person.pk, district.pk, person.age())]
