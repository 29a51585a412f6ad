"""The audit log as the record's owner needs it: denied reads, failed logins of their staff, no names."""

from __future__ import annotations

import datetime as dt
import json

from django.test import Client
from django.utils import timezone

from qorgau.core.models import AuditEvent
from qorgau.core.permissions import Scope
from qorgau.core.testing import Personas, UserFactory, api_client, otp_login, role
from qorgau.people.models import ConsentPurpose, Person
from qorgau.people.services import do_create_family, do_create_person, do_record_consent, do_update_person
from qorgau.people.tests.factories import PersonFactory


def agency_auditor(agency: object) -> object:
    return UserFactory.create(agency=agency, role=role("auditor"), scope=Scope.AGENCY)


def test_a_refused_read_of_an_existing_record_is_on_the_owners_log(
    client: Client, personas: Personas
) -> None:
    person = PersonFactory.create(agency=personas.astana_police)
    otp_login(client, personas.shymkent_worker)
    assert client.get(f"/people/{person.pk}/").status_code == 404
    assert client.get(f"/people/{person.pk}/edit/").status_code == 404
    assert api_client(personas.shymkent_worker).get(f"/api/people/persons/{person.pk}/").status_code == 404
    assert client.get(f"/people/{person.pk + 1000}/").status_code == 404  # does not exist: nothing to log

    owners = AuditEvent.objects.visible_to(agency_auditor(personas.astana_police))
    denied = owners.filter(action="person.denied")
    assert denied.count() == 3
    assert {e.object_id for e in denied} == {str(person.pk)}
    assert {e.actor_id for e in denied} == {personas.shymkent_worker.pk}


def test_failed_logins_and_lockouts_are_on_the_accounts_agency_log(
    client: Client, personas: Personas
) -> None:
    for _ in range(5):
        client.post("/accounts/login/", {"username": "aigerim", "password": "wrong password here"})
    owners = AuditEvent.objects.visible_to(agency_auditor(personas.astana_police))
    assert owners.filter(action="auth.login_failed", actor_username="aigerim").count() >= 4
    assert owners.filter(action="auth.locked_out", actor_username="aigerim").exists()
    others = AuditEvent.objects.visible_to(agency_auditor(personas.shymkent_crisis))
    assert not others.filter(actor_username="aigerim").exists()


def test_no_audit_row_holds_a_name_phone_or_address(client: Client, personas: Personas) -> None:
    officer = personas.astana_officer
    names = ["Әлібекова", "Нұрсұлу", "Серікқызы", "ALIBEKOVA", "+77015554433", "Абай даңғылы 12"]
    person, _ = do_create_person(
        actor=officer,
        surname=names[0],
        given_name=names[1],
        patronymic=names[2],
        surname_latin=names[3],
        phone=names[4],
        address=names[5],
        birth_date=dt.date(1993, 6, 1),
    )
    do_update_person(actor=officer, person=person, given_name="Нұрсұлу-Айым", address="Кенесары 5")
    do_create_family(actor=officer, region=personas.astana, address="Кенесары 5", members=[(person, "head")])
    do_record_consent(
        actor=officer,
        person=person,
        purpose=ConsentPurpose.REFERRAL,
        receiving_agency=personas.shymkent_crisis,
        granted_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    otp_login(client, officer).get(f"/people/{person.pk}/")
    client.post("/people/", {"name": names[0]})
    api_client(officer).get(f"/api/people/persons/{person.pk}/")

    rows = list(AuditEvent.objects.all())
    assert len(rows) >= 7
    for event in rows:
        text = " ".join([event.object_repr, json.dumps(event.changes, ensure_ascii=False), event.reason])
        for value in [*names, "Нұрсұлу-Айым", "Кенесары", "1993-06-01"]:
            assert value not in text, (event.action, value)
    views = [e for e in rows if e.action == "person.view"]
    assert views and all(e.object_repr == Person.objects.get(pk=person.pk).code for e in views)
