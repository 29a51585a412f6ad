# ruff: noqa: RUF001  (Cyrillic and Kazakh Latin letters are the subject here)
import datetime

from qorgau.core.testing import Personas
from qorgau.people.queries import search_persons

from .factories import PersonFactory


def _people(personas: Personas):
    agency = personas.astana_police
    return {
        "cyr": PersonFactory.create(
            agency=agency, surname="Әлібеков", given_name="Нұрсұлтан", birth_date=datetime.date(1990, 1, 1)
        ),
        "lat": PersonFactory.create(
            agency=agency,
            surname="",
            given_name="",
            surname_latin="ZHUMABAEVA",
            given_name_latin="AIGERIM",
            birth_date=datetime.date(1985, 5, 5),
        ),
        "other": PersonFactory.create(
            agency=agency, surname="Иванова", given_name="Мария", birth_date=datetime.date(1990, 3, 3)
        ),
        "elsewhere": PersonFactory.create(
            agency=personas.shymkent_crisis, surname="Әлібеков", given_name="Нұрсұлтан", iin="061211600012"
        ),
    }


def test_latin_query_finds_a_cyrillic_spelling(personas: Personas) -> None:
    people = _people(personas)
    for query in ("Nursultan Alibekov", "NURSULTAN", "Nūrsūltan Älıbekov", "alibek"):
        assert list(search_persons(personas.astana_officer, name=query)) == [people["cyr"]], query


def test_cyrillic_query_finds_a_latin_spelling(personas: Personas) -> None:
    people = _people(personas)
    for query in ("Жұмабаева Әйгерім", "жумабаева", "АЙГЕРИМ"):
        assert list(search_persons(personas.astana_officer, name=query)) == [people["lat"]], query


def test_words_match_from_their_start_only(personas: Personas) -> None:
    _people(personas)
    assert not search_persons(personas.astana_officer, name="sultan").exists()


def test_birth_year_narrows_the_search(personas: Personas) -> None:
    people = _people(personas)
    assert set(search_persons(personas.astana_officer, birth_year=1990)) == {people["cyr"], people["other"]}
    assert list(search_persons(personas.astana_officer, name="Мария", birth_year=1990)) == [people["other"]]
    assert not search_persons(personas.astana_officer, name="Мария", birth_year=1991).exists()


def test_iin_matches_exactly_and_only_in_scope(personas: Personas) -> None:
    people = _people(personas)
    known = PersonFactory.create(agency=personas.astana_police, iin="900101300017")
    assert list(search_persons(personas.astana_officer, iin="900101300017")) == [known]
    assert not search_persons(personas.astana_officer, iin="061211600012").exists()
    assert list(search_persons(personas.shymkent_worker, iin="061211600012")) == [people["elsewhere"]]


def test_search_sees_nothing_outside_scope(personas: Personas) -> None:
    _people(personas)
    assert not search_persons(personas.outsider, name="Nursultan").exists()
    assert [p.agency for p in search_persons(personas.shymkent_worker, name="Nursultan")] == [
        personas.shymkent_crisis
    ]


def test_whole_word_matches_come_first(personas: Personas) -> None:
    agency = personas.astana_police
    # "Иван" starts "Иванович" too: Алексей Иванович matches the query, after Иван Иванович.
    other = PersonFactory.create(agency=agency, surname="Петров", given_name="Алексей", patronymic="Иванович")
    wanted = PersonFactory.create(agency=agency, surname="Петров", given_name="Иван", patronymic="Иванович")
    assert list(search_persons(personas.astana_officer, name="Петров Иван Иванович")) == [wanted, other]
    assert list(search_persons(personas.astana_officer, name="Петров")) == [other, wanted]  # ties: by name
