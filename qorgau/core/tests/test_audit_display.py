"""The audit log as an auditor reads it: field labels, readable values, folded change sets, links to the
objects the auditor may open (plain text otherwise), never a name; a focusable scroll container; bounded
suggestions."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from qorgau.core.audit import record
from qorgau.core.audit_display import COLLAPSE_AFTER, change_rows, vocabulary
from qorgau.core.models import AuditEvent, Role, User
from qorgau.core.permissions import Scope
from qorgau.core.testing import DistrictFactory, Personas, UserFactory, otp_login
from qorgau.intake.models import Signal
from qorgau.intake.services import do_register_signal, do_transfer_signal
from qorgau.people.models import Person
from qorgau.people.services import do_create_person

AUDIT = "/audit/"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def person(p: Personas, given: str) -> Person:
    found, _ = do_create_person(actor=p.astana_officer, surname="Seitkali", given_name=given, region=p.astana)
    return found


def register(p: Personas) -> Signal:
    district = DistrictFactory.create(region=p.astana, code="KZ71-ESIL", name_en="Yesil")
    return do_register_signal(
        actor=p.astana_officer,
        channel="call_102",
        received_at=timezone.now() - dt.timedelta(hours=1),
        region=p.astana,
        district=district,
        victims=[person(p, "Aigerim")],
        offenders=[person(p, "Bolat")],
        relationship="spouse",
        forms=["physical", "psychological"],
    )


def page(client: Client, user: User, **params: str) -> str:
    return otp_login(client, user).get(AUDIT, params).content.decode()


def event_html(html: str, event: AuditEvent) -> str:
    match = re.search(rf'<tr data-event="{event.pk}">(.*?)</tr>', html, flags=re.S)
    assert match, f"event {event.pk} not on the page"
    return match.group(1)


def test_changes_show_field_labels_and_readable_values_never_names(
    client: Client, personas: Personas
) -> None:
    signal = register(personas)
    event = AuditEvent.objects.get(action="signal.register", object_id=str(signal.pk))
    row = event_html(page(client, personas.astana_auditor, action="signal.register"), event)

    victim, offender = (signal.parties.get(role=r).person for r in ("victim", "offender"))
    assert "District" in row and "Yesil" in row  # the district's name, not its id
    assert f"→ {signal.district_id}<" not in row.replace("</ins>", "<")
    assert "Victims" in row and victim.code in row and offender.code in row  # codes, not ids
    assert "Forms of violence" in row and "physical, psychological" in row
    assert "relationship to the victim" in row.lower() and "spouse" in row
    assert "Channel" in row and "call_102" not in row  # the choice's label
    assert "Seitkali" not in row and "Aigerim" not in row and "Bolat" not in row
    assert 'title="district"' in row  # the stored field name stays at hand for the auditor


def test_a_long_change_set_is_folded_a_short_one_is_not(client: Client, personas: Personas) -> None:
    signal = register(personas)
    long = AuditEvent.objects.get(action="signal.register", object_id=str(signal.pk))
    short = record(
        actor=personas.astana_officer,
        action="signal.assign",
        obj=signal,
        changes={"status": {"old": "registered", "new": "assigned"}},
    )
    html = page(client, personas.astana_auditor)
    assert len(long.changes) > COLLAPSE_AFTER
    assert "<details" in event_html(html, long) and "fields changed</summary>" in event_html(html, long)
    assert "<details" not in event_html(html, short)
    assert "Status" in event_html(html, short) and "assigned" in event_html(html, short)


def test_the_object_is_a_link_only_while_the_auditor_may_see_it(client: Client, personas: Personas) -> None:
    signal = register(personas)
    event = AuditEvent.objects.get(action="signal.register", object_id=str(signal.pk))
    # An Astana auditor whose role also opens signals; the shipped auditor "sees no case files".
    reader = Role.objects.create(
        slug="audit_reader", name="Audit reader", actions=["audit.view", "intake.view"]
    )
    both = UserFactory.create(
        agency=personas.astana_police, role=reader, scope=Scope.REGIONS, regions=[personas.astana]
    )
    link = f'<a href="/signals/{signal.pk}/" data-object-link>{signal.registration_number}</a>'

    assert link in event_html(page(client, both), event)
    shipped = event_html(page(Client(), personas.astana_auditor), event)
    assert "data-object-link" not in shipped and signal.registration_number in shipped

    # Handed over to Shymkent: the Astana officer's event stays in the Astana log, the signal leaves scope.
    do_transfer_signal(actor=personas.astana_officer, signal=signal, region=personas.shymkent, reason="moved")
    after = event_html(page(Client(), both), event)
    assert "data-object-link" not in after and signal.registration_number in after


def test_the_scrollable_table_is_focusable_and_named(client: Client, personas: Personas) -> None:
    register(personas)
    html = page(client, personas.astana_auditor)
    container = re.search(r'<div class="table-responsive"[^>]*>', html)
    assert container and 'tabindex="0"' in container.group(0) and 'role="region"' in container.group(0)
    assert 'aria-labelledby="audit-table-caption"' in container.group(0)
    assert '<caption id="audit-table-caption"' in html


def test_suggestions_walk_the_index_instead_of_a_distinct_over_the_log(
    client: Client, personas: Personas
) -> None:
    register(personas)
    otp_login(client, personas.astana_auditor)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(AUDIT).content.decode()
    assert not [q["sql"] for q in queries if "DISTINCT" in q["sql"].upper()]
    assert '<option value="signal.register">' in html and '<option value="intake.signal">' in html
    expected = sorted(set(AuditEvent.objects.values_list("action", flat=True)))
    assert vocabulary("action", 200) == expected
    assert vocabulary("action", 2) == expected[:2]
    assert "" not in vocabulary("object_type", 200)


def test_change_rows_of_an_unknown_type_stay_plain() -> None:
    rows = change_rows({"scope": {"old": "none", "new": "agency"}, "page": 2, "done": True}, "nothing.here")
    assert [(r.label, r.old, r.new, r.is_change) for r in rows] == [
        ("Scope", "none", "agency", True),
        ("Page", "", "2", False),
        ("Done", "", "yes", False),
    ]


def test_identifying_values_are_refused_before_they_reach_the_log(personas: Personas) -> None:
    before = AuditEvent.objects.count()
    for changes in (
        {"surname": {"old": "Seitkali", "new": "Omarova"}},
        {"address": "Abay 10"},
        {"iin": {"old": None, "new": "900301400010"}},
    ):
        with pytest.raises(ValueError, match="identifying values"):
            record(actor=personas.astana_officer, action="person.change", object_id=1, changes=changes)
    assert AuditEvent.objects.count() == before
    record(actor=personas.astana_officer, action="person.change", object_id=1, changes={"surname": "changed"})
    assert AuditEvent.objects.count() == before + 1
