"""The home page per role: each persona sees the work queues of its own role, filled from its scope."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import cast

import pytest
from django.test import Client
from django.utils import timezone, translation

from qorgau.core.audit import record
from qorgau.core.home import fill, queues_for
from qorgau.core.models import AuditEvent, Role, User
from qorgau.core.permissions import Scope
from qorgau.core.testing import Personas, UserFactory, otp_login
from qorgau.people.models import Consent, ConsentPurpose, Person

pytestmark = pytest.mark.django_db

EN = {"Accept-Language": "en"}


@pytest.fixture(autouse=True)
def english() -> object:
    with translation.override("en"):
        yield


def make_user(**fields: object) -> User:
    return cast(User, UserFactory(**fields))


def queue_keys(html: str) -> list[str]:
    return re.findall(r'data-queue="([^"]+)"', html)


def queue_section(html: str, key: str) -> str:
    match = re.search(rf'<section[^>]*data-queue="{key}".*?</section>', html, re.S)
    assert match, f"queue {key} is not on the page"
    return match.group(0)


def home(client: Client) -> str:
    response = client.get("/", headers=EN)
    assert response.status_code == 200
    return response.content.decode()


def person(
    personas: Personas,
    *,
    by: User,
    days_ago: int = 0,
    surname: str = "Nurlanova",
    given_name: str = "Aigerim",
) -> Person:
    return Person.objects.create(
        surname=surname,
        given_name=given_name,
        agency=personas.astana_police,
        region=personas.astana,
        created_by=by,
        created_at=timezone.now() - timedelta(days=days_ago),
    )


def consent(
    personas: Personas, subject: Person, *, expires_in: timedelta, withdrawn: bool = False
) -> Consent:
    now = timezone.now()
    return Consent.objects.create(
        person=subject,
        purpose=ConsentPurpose.SHELTER,
        receiving_agency=personas.shymkent_crisis,
        granted_at=now - timedelta(days=30),
        expires_at=now + expires_in,
        withdrawn_at=now if withdrawn else None,
        recording_agency=personas.astana_police,
        recorded_by=personas.astana_officer,
    )


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_officer_sees_signal_and_people_queues_and_no_audit_queues(
    client: Client, personas: Personas
) -> None:
    html = home(otp_login(client, personas.astana_officer))
    assert queue_keys(html) == [
        "intake-overdue",
        "intake-overdue-by-region",
        "people-recent",
        "consents-expiring",
    ]


def test_empty_queues_say_what_will_appear_there(client: Client, personas: Personas) -> None:
    html = home(otp_login(client, personas.astana_officer))
    recent = queue_section(html, "people-recent")
    assert "Persons I registered recently" in recent
    assert "Persons you register will appear here for 14 days." in recent
    assert re.search(r"data-queue-count>\s*<span[^>]*>Count:</span> 0\s*<", recent)
    assert "Consents in your scope that expire within 14 days will appear here." in queue_section(
        html, "consents-expiring"
    )


def test_recent_persons_lists_only_my_registrations_of_the_last_14_days(
    client: Client, personas: Personas
) -> None:
    mine = person(personas, by=personas.astana_officer, surname="Zhaksylykova", given_name="Bota")
    person(personas, by=personas.astana_officer, days_ago=20, surname="Old")
    person(personas, by=personas.astana_inspector, surname="Colleague")
    html = home(otp_login(client, personas.astana_officer))
    recent = queue_section(html, "people-recent")
    assert re.search(r"data-queue-count>\s*<span[^>]*>Count:</span> 1\s*<", recent)
    # Names stay masked in the list: surname and initial, linked to the (audited) detail page.
    assert f'<a href="/people/{mine.pk}/">Zhaksylykova B., born' in recent
    assert "Bota" not in recent
    assert "Old" not in recent
    assert "Colleague" not in recent


def test_recent_persons_shows_ten_and_counts_all(personas: Personas) -> None:
    for n in range(12):
        person(personas, by=personas.astana_officer, surname=f"S{n}")
    (queue,) = [q for q in queues_for(personas.astana_officer) if q.key == "people-recent"]
    filled = fill(queue, personas.astana_officer)
    assert filled.count == 12
    assert len(filled.items) == 10


def test_consents_expiring_within_14_days_not_withdrawn(client: Client, personas: Personas) -> None:
    subject = person(personas, by=personas.astana_officer, surname="Abenova", given_name="Dana")
    consent(personas, subject, expires_in=timedelta(days=5))
    consent(personas, subject, expires_in=timedelta(days=30))
    consent(personas, subject, expires_in=timedelta(days=3), withdrawn=True)
    html = home(otp_login(client, personas.astana_officer))
    expiring = queue_section(html, "consents-expiring")
    assert re.search(r"data-queue-count>\s*<span[^>]*>Count:</span> 1\s*<", expiring)
    assert "Abenova D.: placement in a crisis centre or shelter, Shymkent Crisis Centre" in expiring


def test_consents_of_another_agency_are_not_in_my_queue(client: Client, personas: Personas) -> None:
    subject = person(personas, by=personas.astana_officer)
    consent(personas, subject, expires_in=timedelta(days=5))
    html = home(otp_login(client, personas.shymkent_worker))
    expiring = queue_section(html, "consents-expiring")
    assert re.search(r"data-queue-count>\s*<span[^>]*>Count:</span> 0\s*<", expiring)


def test_auditor_sees_failed_logins_and_lockouts_only(client: Client, personas: Personas) -> None:
    record(actor=None, action="auth.login_failed", username="mallory")
    record(actor=None, action="auth.locked_out", username="mallory")
    html = home(otp_login(client, personas.national_auditor))
    assert queue_keys(html) == ["audit-failed-logins", "audit-lockouts", "audit-iin-lookups"]
    failed = queue_section(html, "audit-failed-logins")
    assert "Failed logins in the last 24 hours" in failed
    assert "mallory" in failed
    assert 'href="/audit/?action=auth.login_failed"' in failed
    assert "mallory" in queue_section(html, "audit-lockouts")


def test_failed_logins_older_than_a_day_are_not_listed(personas: Personas) -> None:
    record(actor=None, action="auth.login_failed", username="recent")
    AuditEvent.objects.create(
        action="auth.login_failed", actor_username="old", time=timezone.now() - timedelta(days=2)
    )
    (queue,) = [q for q in queues_for(personas.national_auditor) if q.key == "audit-failed-logins"]
    texts = [item.text for item in fill(queue, personas.national_auditor).items]
    assert any("recent" in text for text in texts)
    assert not any(" old" in text for text in texts)


def test_administrator_sees_users_without_a_second_factor(client: Client, personas: Personas) -> None:
    html = home(otp_login(client, personas.sysadmin))
    assert "users-without-2fa" in queue_keys(html)
    users = queue_section(html, "users-without-2fa")
    assert "aigerim" in users
    # otp_login gave the administrator a confirmed device.
    assert "root_admin" not in users


def test_agency_administrator_sees_only_own_agency_users(personas: Personas) -> None:
    admin = make_user(
        username="agency_admin",
        agency=personas.astana_police,
        role=Role.objects.get(slug="agency_admin"),
        scope=Scope.AGENCY,
    )
    (queue,) = [q for q in queues_for(admin) if q.key == "users-without-2fa"]
    texts = " ".join(item.text for item in fill(queue, admin).items)
    assert "aigerim" in texts
    assert "saule" not in texts


def test_user_without_role_or_scope_is_told_to_ask_the_administrator(
    client: Client, personas: Personas
) -> None:
    html = home(otp_login(client, personas.outsider))
    assert "Your account has no role or scope yet; ask your agency administrator." in html
    assert queue_keys(html) == []


def test_role_without_scope_sees_no_queue(client: Client, personas: Personas) -> None:
    no_scope = make_user(
        username="noscope",
        agency=personas.astana_police,
        role=Role.objects.get(slug="duty_officer"),
        scope=Scope.NONE,
    )
    html = home(otp_login(client, no_scope))
    assert "Your account has no role or scope yet; ask your agency administrator." in html
    assert queue_keys(html) == []


def test_role_without_queues_gets_an_empty_state(client: Client, personas: Personas) -> None:
    analyst = make_user(
        username="analyst",
        agency=personas.astana_police,
        role=Role.objects.get(slug="analyst"),
        scope=Scope.REGIONS,
        regions=[personas.astana],
    )
    html = home(otp_login(client, analyst))
    assert "Your role has no work queues yet." in html
    assert "no role or scope" not in html


def test_a_queue_refreshes_as_an_htmx_fragment(client: Client, personas: Personas) -> None:
    person(personas, by=personas.astana_officer)
    response = otp_login(client, personas.astana_officer).get(
        "/home/queues/people-recent/", headers={**EN, "HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<section")
    assert "<html" not in html
    assert 'hx-get="/home/queues/people-recent/"' in html
    assert "Nurlanova A." in html


def test_a_queue_of_another_role_is_404(client: Client, personas: Personas) -> None:
    otp_login(client, personas.national_auditor)
    assert client.get("/home/queues/people-recent/", HTTP_HX_REQUEST="true").status_code == 404
    assert client.get("/home/queues/no-such-queue/", HTTP_HX_REQUEST="true").status_code == 404


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (Scope.REGIONS, {"saule"}),  # the Shymkent crisis centre's worker, not Astana's staff
        (Scope.OWN, set()),  # an administrator's own scope reaches no account
    ],
)
def test_users_without_a_second_factor_follow_the_administrator_scope(
    personas: Personas, scope: str, expected: set[str]
) -> None:
    admin = make_user(
        username="regional_admin",
        agency=personas.astana_police,
        role=Role.objects.get(slug="agency_admin"),
        scope=scope,
        regions=[personas.shymkent],
    )
    make_user(username="left", agency=personas.shymkent_crisis, is_active=False)
    admin = User.objects.get(pk=admin.pk)
    (queue,) = [q for q in queues_for(admin) if q.key == "users-without-2fa"]
    assert {item.text.split(" · ")[0] for item in fill(queue, admin).items} == expected
