"""The audit log is append-only (Python and, on PostgreSQL, the database) and only auditors search it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connection, transaction
from django.test import Client, RequestFactory
from django.utils import timezone

from qorgau.core.audit import record
from qorgau.core.audit_views import change_rows
from qorgau.core.filters import agencies_for
from qorgau.core.models import AuditEvent, User
from qorgau.core.permissions import Scope
from qorgau.core.testing import Personas, UserFactory, otp_login, role

AUDIT_URL = "/audit/"

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only"
)


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    # The pages are checked for their English text; the default UI language is Russian.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def event(personas: Personas) -> AuditEvent:
    return record(
        actor=personas.astana_officer, action="person.view", object_type="people.person", object_id=7
    )


# --- append-only ---------------------------------------------------------------------------------


def test_saving_an_existing_event_is_refused(event: AuditEvent) -> None:
    event.action = "person.nothing_happened"
    with pytest.raises(PermissionError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).action == "person.view"


def test_deleting_an_event_is_refused(event: AuditEvent) -> None:
    with pytest.raises(PermissionError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_and_delete_are_refused(event: AuditEvent) -> None:
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "person.view"


@postgres_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditevent SET action = 'tampered' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ],
)
def test_database_refuses_raw_update_and_delete(event: AuditEvent, sql: str) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "person.view"


@postgres_only
def test_database_refuses_truncate(event: AuditEvent) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # Flush the deferred foreign-key checks of the insert above, so TRUNCATE reaches the trigger.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE core_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@postgres_only
def test_database_still_accepts_new_events(event: AuditEvent) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_auditevent (time, actor_username, action, object_type, object_id, object_repr,"
            " changes, reason, request_id) VALUES (now(), 'x', 'raw.insert', '', '', '', '{}', '', '')"
        )
    assert AuditEvent.objects.filter(action="raw.insert").exists()


# --- the auditor's search: who gets in, and what they see -----------------------------------------


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get(AUDIT_URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("persona", ["astana_officer", "outsider"])
def test_users_without_audit_view_get_403(client: Client, personas: Personas, persona: str) -> None:
    assert otp_login(client, getattr(personas, persona)).get(AUDIT_URL).status_code == 403


def test_region_auditor_does_not_see_events_of_another_region(client: Client, personas: Personas) -> None:
    astana = record(actor=personas.astana_officer, action="person.view", object_id=1)
    shymkent = record(actor=personas.shymkent_worker, action="person.view", object_id=2)
    response = otp_login(client, personas.astana_auditor).get(AUDIT_URL)
    assert response.status_code == 200
    shown = {row.event.pk for row in response.context["rows"]}
    assert astana.pk in shown
    assert shymkent.pk not in shown


def test_national_auditor_sees_every_region(client: Client, personas: Personas) -> None:
    astana = record(actor=personas.astana_officer, action="person.view", object_id=1)
    shymkent = record(actor=personas.shymkent_worker, action="person.view", object_id=2)
    response = otp_login(client, personas.national_auditor).get(AUDIT_URL)
    shown = {row.event.pk for row in response.context["rows"]}
    assert {astana.pk, shymkent.pk} <= shown


def test_filtering_by_a_user_of_another_region_does_not_widen_the_scope(
    client: Client, personas: Personas
) -> None:
    record(actor=personas.shymkent_worker, action="person.view", object_id=2)
    response = otp_login(client, personas.astana_auditor).get(AUDIT_URL, {"actor": "saule"})
    assert response.context["rows"] == []
    assert "No audit events match this search." in response.content.decode()


def test_events_are_listed_newest_first(client: Client, personas: Personas) -> None:
    old = AuditEvent.objects.create(
        actor_username="aigerim",
        actor_agency=personas.astana_police,
        action="a.old",
        time=timezone.now() - timedelta(days=2),
    )
    new = AuditEvent.objects.create(
        actor_username="aigerim", actor_agency=personas.astana_police, action="a.new"
    )
    response = otp_login(client, personas.astana_auditor).get(AUDIT_URL, {"action": "a."})
    assert [row.event.pk for row in response.context["rows"]] == [new.pk, old.pk]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"actor": "AIG"}, {"officer"}),
        ({"action": "consent."}, {"consent"}),
        ({"action": "person.view"}, {"officer"}),
        ({"object_type": "people.consent"}, {"consent"}),
        ({"object_id": "42"}, {"consent"}),
        ({"ip": "10.1."}, {"inspector"}),
    ],
)
def test_search_filters(
    client: Client, personas: Personas, params: dict[str, Any], expected: set[str]
) -> None:
    p = personas
    events = {
        "officer": AuditEvent.objects.create(
            actor_username="aigerim",
            actor_agency=p.astana_police,
            action="person.view",
            object_type="people.person",
            object_id="7",
        ),
        "consent": AuditEvent.objects.create(
            actor_username="daniyar",
            actor_agency=p.astana_police,
            action="consent.record",
            object_type="people.consent",
            object_id="42",
        ),
        "inspector": AuditEvent.objects.create(
            actor_username="daniyar", actor_agency=p.astana_police, action="signal.add", ip="10.1.2.3"
        ),
    }
    response = otp_login(client, personas.national_auditor).get(AUDIT_URL, params)
    shown = {row.event.pk for row in response.context["rows"]}
    assert shown == {events[name].pk for name in expected}


def test_search_by_agency_and_date_range(client: Client, personas: Personas) -> None:
    now = timezone.now()
    inside = AuditEvent.objects.create(
        actor_username="saule",
        actor_agency=personas.shymkent_crisis,
        action="x.y",
        time=now - timedelta(days=3),
    )
    AuditEvent.objects.create(
        actor_username="saule",
        actor_agency=personas.shymkent_crisis,
        action="x.y",
        time=now - timedelta(days=30),
    )
    AuditEvent.objects.create(
        actor_username="aigerim",
        actor_agency=personas.astana_police,
        action="x.y",
        time=now - timedelta(days=3),
    )
    day = timezone.localdate(now - timedelta(days=3)).isoformat()
    response = otp_login(client, personas.national_auditor).get(
        AUDIT_URL, {"agency": str(personas.shymkent_crisis.pk), "date_from": day, "date_to": day}
    )
    assert [row.event.pk for row in response.context["rows"]] == [inside.pk]


def test_an_invalid_date_shows_an_error_and_no_events(client: Client, personas: Personas) -> None:
    record(actor=personas.astana_officer, action="person.view", object_id=1)
    response = otp_login(client, personas.national_auditor).get(AUDIT_URL, {"date_from": "yesterday"})
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "There is a problem with what you entered" in response.content.decode()


def test_results_are_paginated(client: Client, personas: Personas) -> None:
    AuditEvent.objects.bulk_create(
        AuditEvent(actor_username="aigerim", actor_agency=personas.astana_police, action="bulk.view")
        for _ in range(55)
    )
    otp_login(client, personas.national_auditor)
    first = client.get(AUDIT_URL, {"action": "bulk."})
    second = client.get(AUDIT_URL, {"action": "bulk.", "page": "2"})
    assert len(first.context["rows"]) == 50
    assert len(second.context["rows"]) == 5


def test_searching_is_itself_audited(client: Client, personas: Personas) -> None:
    otp_login(client, personas.astana_auditor).get(AUDIT_URL, {"actor": "aig", "action": "person."})
    search = AuditEvent.objects.get(action="audit.search")
    assert search.actor == personas.astana_auditor
    assert search.changes["filters"] == {"actor": "aig", "action": "person."}


def test_htmx_request_gets_only_the_results_table(client: Client, personas: Personas) -> None:
    record(actor=personas.astana_officer, action="person.view", object_id=1)
    response = otp_login(client, personas.astana_auditor).get(AUDIT_URL, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<table" in html
    assert "<html" not in html
    assert 'role="search"' not in html


def test_full_page_shows_changes_readably(client: Client, personas: Personas) -> None:
    record(
        actor=personas.astana_officer,
        action="person.change",
        object_id=1,
        changes={"status": {"old": "registered", "new": "assigned"}},
        reason="typo",
    )
    html = otp_login(client, personas.astana_auditor).get(AUDIT_URL).content.decode()
    assert "<del>" in html and "registered" in html
    assert "<ins>" in html and "assigned" in html
    assert "typo" in html


def test_empty_state_when_nothing_is_in_scope(client: Client, personas: Personas) -> None:
    # No agency: even this auditor's own login falls outside their regions.
    auditor = cast(
        User, UserFactory(agency=None, role=role("auditor"), scope=Scope.REGIONS, regions=[personas.shymkent])
    )
    record(actor=personas.astana_officer, action="person.view", object_id=1)
    response = otp_login(client, auditor).get(AUDIT_URL)
    assert response.context["rows"] == []
    assert "No audit events in your scope yet." in response.content.decode()


def test_change_rows_read_old_and_new_values_and_plain_values() -> None:
    rows = change_rows(
        {
            "scope": {"old": "none", "new": "agency"},
            "regions": {"old": None, "new": [1, 2]},
            "filters": {"actor": "aig"},
            "page": 2,
        }
    )
    assert [(r.field, r.old, r.new, r.is_change) for r in rows] == [
        ("scope", "none", "agency", True),
        ("regions", "—", "1, 2", True),
        ("filters.actor", "", "aig", False),
        ("page", "", "2", False),
    ]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (
            "national_auditor",
            {"Astana City Police Department", "Shymkent Crisis Centre", "Ministry of Internal Affairs"},
        ),
        ("astana_auditor", {"Astana City Police Department"}),  # regions: Astana's agencies
        ("astana_officer", {"Astana City Police Department"}),  # agency scope: their own
        ("outsider", set()),
    ],
)
def test_the_agency_choices_follow_the_auditor_scope(
    personas: Personas, persona: str, expected: set[str]
) -> None:
    request = RequestFactory().get("/audit/")
    request.user = getattr(personas, persona)
    assert set(agencies_for(request).values_list("name", flat=True)) == expected
    request.user = AnonymousUser()
    assert not agencies_for(request).exists()
