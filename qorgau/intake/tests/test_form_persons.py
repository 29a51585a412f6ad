"""Persons in the registration form: the likely-duplicate warning before an inline person without an IIN
is created (within the user's scope only), and search results that tell persons apart by their roles in
earlier signals the user may see, in a constant number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from qorgau.core.testing import otp_login
from qorgau.people.models import Person

from .factories import World, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_requests(settings) -> None:
    settings.LANGUAGE_CODE = "en"


HTMX = {"HX-Request": "true"}
BORN = dt.date(1990, 3, 1)  # the world's victim, Seitkali Aigerim


def create(client: Client, role: str = "victim", **fields: str) -> str:
    data = {"action": f"create:{role}", "new-surname": "Seitkali", "new-given_name": "Aigerim"}
    data |= {"new-birth_date": BORN.isoformat(), "new-sex": "F"}
    data |= {f"new-{k}": v for k, v in fields.items()}
    return client.post("/signals/new/", data, headers=HTMX).content.decode()


def test_a_likely_duplicate_is_shown_before_a_person_without_an_iin_is_created(
    client: Client, world: World
) -> None:
    otp_login(client, world.officer)
    before = Person.objects.count()
    body = create(client)
    assert Person.objects.count() == before
    assert "Persons with this name and birth date are already registered." in body
    assert f'data-duplicate="{world.victim.pk}"' in body
    assert f'value="pick:victim:{world.victim.pk}"' in body
    assert 'name="new-confirm_new"' in body

    # Picking the one it is adds the existing record.
    picked = client.post("/signals/new/", {"action": f"pick:victim:{world.victim.pk}"}, headers=HTMX)
    assert f'data-chosen="victim:{world.victim.pk}"' in picked.content.decode()

    # Confirmed to be someone else: created.
    body = create(client, confirm_new="on")
    assert Person.objects.count() == before + 1
    created = Person.objects.latest("pk")
    assert f'data-chosen="victim:{created.pk}"' in body


def test_the_warning_names_no_person_outside_the_users_scope(client: Client, world: World) -> None:
    # Shymkent's police keep a namesake born the same day: Astana's officer may not see it.
    theirs = make_person(world.shymkent_police, "Seitkali", "Aigerim", birth_date=BORN, sex="F")
    otp_login(client, world.officer)
    world.victim.birth_date = dt.date(1991, 1, 1)  # Astana's own namesake has another birth date
    world.victim.save(update_fields=["birth_date"])
    before = Person.objects.count()
    body = create(client)
    assert Person.objects.count() == before + 1  # nothing in scope matches: created at once
    assert "already registered" not in body
    assert f'data-duplicate="{theirs.pk}"' not in body


def test_an_iin_needs_no_warning(client: Client, world: World) -> None:
    from qorgau.people.iin import make_iin

    otp_login(client, world.officer)
    before = Person.objects.count()
    body = create(client, iin=make_iin(BORN, "F", serial=77))
    assert "already registered with this name" not in body.lower()
    assert Person.objects.count() == before + 1


def test_search_results_show_roles_in_earlier_signals_in_scope(client: Client, world: World) -> None:
    world.register()
    world.register()
    world.register(victims=[world.offender], offenders=[world.victim])  # roles the other way once
    world.register_elsewhere(world.shymkent_officer)  # Shymkent's signal: not in Astana's scope
    otp_login(client, world.officer)
    body = client.post("/signals/new/", {"action": "search", "find-name": "Seitkali"}, headers=HTMX)
    html = body.content.decode()
    victim_row = html.split(f'data-found="{world.victim.pk}"', 1)[1].split("</tr>", 1)[0]
    offender_row = html.split(f'data-found="{world.offender.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "victim: 2, alleged offender: 1" in victim_row
    assert "victim: 1, alleged offender: 2" in offender_row


def test_a_person_without_signals_says_so(client: Client, world: World) -> None:
    make_person(world.p.astana_police, "Omarova", "Dana")
    otp_login(client, world.officer)
    html = client.post("/signals/new/", {"action": "search", "find-name": "Omarova"}, headers=HTMX).content
    assert "none in your scope" in html.decode()


def test_the_roles_take_the_same_queries_for_one_person_or_many(client: Client, world: World) -> None:
    others = [make_person(world.p.astana_police, "Seitkali", f"Person{i}") for i in range(4)]
    for other in others:
        world.register(victims=[other])
    otp_login(client, world.officer)

    def search(name: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.post("/signals/new/", {"action": "search", "find-name": name}, headers=HTMX)
        assert response.status_code == 200
        return len(queries)

    search("Seitkali")  # warm the per-user caches
    assert search("Seitkali Aigerim") == search("Seitkali")
