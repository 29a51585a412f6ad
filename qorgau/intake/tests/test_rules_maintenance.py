"""Maintaining the legal rules (intake/services/rules.py, intake/admin.py): a new version when the next law
comes, never an edit; periods that never overlap, refused by the database itself."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from qorgau.core.models import AuditEvent
from qorgau.core.permissions import Scope
from qorgau.core.testing import Personas, UserFactory, otp_login, role

from ..models import DeadlineKind, DeadlineRule, LegalRuleSet, ReconciliationRule, RuleTopic
from ..reconciliation import decide_reconciliation
from ..services.rules import (
    current_rules,
    do_add_deadline_version,
    do_add_rule_set_version,
    do_withdraw_version,
)
from .factories import World

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
RECONCILIATION = RuleTopic.RECONCILIATION


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


def in_force() -> LegalRuleSet:
    return LegalRuleSet.effective(RECONCILIATION, TODAY())


def add_version(personas: Personas, **kw: Any) -> LegalRuleSet:
    kw.setdefault("topic", RECONCILIATION)
    kw.setdefault("code", "2027-new-law")
    kw.setdefault("title", "Reconciliation under the next law")
    kw.setdefault("effective_from", TODAY() + dt.timedelta(days=30))
    kw.setdefault("rules", current_rules(in_force()))
    return do_add_rule_set_version(actor=personas.sysadmin, **kw)


def test_a_new_version_follows_the_one_in_force_which_ends_the_day_it_starts(personas: Personas) -> None:
    before = in_force()
    rules = current_rules(before)
    repeated = next(rule for rule in rules if rule["kind"] == "repeated_violence")
    repeated["params"]["lookback_days"] = 730  # the next law looks back two years
    start = TODAY() + dt.timedelta(days=30)
    new = add_version(personas, rules=rules, effective_from=start)
    before.refresh_from_db()
    assert before.effective_to == start
    assert LegalRuleSet.effective(RECONCILIATION, start - dt.timedelta(days=1)) == before
    assert LegalRuleSet.effective(RECONCILIATION, start) == new
    assert current_rules(new) == rules
    event = AuditEvent.objects.get(action="legalruleset.add")
    assert event.actor == personas.sysadmin and event.changes["follows"] == before.code


def test_decisions_keep_the_version_they_applied(world: World) -> None:
    signal = world.register()
    first = decide_reconciliation(signal, world.offender, timezone.now())
    add_version(world.p, effective_from=TODAY())  # in force from today: the next decision takes it
    second = decide_reconciliation(signal, world.offender, timezone.now())
    assert first.rule_set != second.rule_set
    assert second.rule_set.code == "2027-new-law"


def test_every_error_of_a_version_is_given_at_once(personas: Personas) -> None:
    with pytest.raises(ValidationError) as exc:
        add_version(
            personas,
            code=in_force().code,
            title="",
            effective_from=TODAY() - dt.timedelta(days=1),
            rules=[{"code": "x", "kind": "no-such-test", "title": "X"}],
        )
    errors = exc.value.message_dict
    assert set(errors) == {"code", "title", "effective_from", "rules"}
    assert "past" in errors["effective_from"][0]


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ([], "at least one rule"),
        ("not a list", "at least one rule"),
        ([{"code": "a", "kind": "child_cruelty", "title": "A", "params": {"minor_age": "18"}}], "minor_age"),
        (
            [{"code": "a", "kind": "child_cruelty", "title": "A", "params": {"minor_age": 400}}],
            "from 1 to 25",
        ),
        ([{"code": "a", "kind": "child_cruelty", "title": "A", "params": {"minor_age": True}}], "minor_age"),
        ([{"code": "a", "kind": "physical_violence", "title": "A", "params": {"x": 1}}], "no parameter x"),
        ([{"code": "a", "kind": "physical_violence", "title": "A", "colour": "red"}], "unknown fields"),
        ([{"code": "a", "kind": "physical_violence", "title": ""}], "title"),
        (
            [
                {"code": "a", "kind": "physical_violence", "title": "A"},
                {"code": "a", "kind": "child_cruelty", "title": "B"},
            ],
            "given twice",
        ),
    ],
)
def test_bad_rules_are_refused_with_a_clear_message(personas: Personas, rules: Any, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        add_version(personas, rules=rules)
    assert message in exc.value.message_dict["rules"][0]
    assert not LegalRuleSet.objects.filter(code="2027-new-law").exists()


def test_a_version_must_start_after_the_one_in_force(personas: Personas) -> None:
    add_version(personas, effective_from=TODAY() + dt.timedelta(days=30))
    with pytest.raises(ValidationError) as exc:
        add_version(personas, code="another", effective_from=TODAY() + dt.timedelta(days=10))
    assert "after the version in force" in exc.value.message_dict["effective_from"][0]


def test_only_system_administrators_maintain_rules(personas: Personas) -> None:
    agency_admin = UserFactory.create(
        username="asel_admin", agency=personas.astana_police, role=role("agency_admin"), scope=Scope.AGENCY
    )
    for actor in (personas.astana_officer, agency_admin):
        with pytest.raises(PermissionDenied):
            do_add_rule_set_version(
                actor=actor,
                topic=RECONCILIATION,
                code="x",
                title="x",
                effective_from=TODAY(),
                rules=current_rules(in_force()),
            )


def test_the_database_refuses_overlapping_versions_whoever_writes(personas: Personas) -> None:
    current = in_force()
    with pytest.raises(IntegrityError), transaction.atomic():
        LegalRuleSet.objects.create(
            topic=RECONCILIATION, code="sneaked-in", title="x", effective_from=TODAY() + dt.timedelta(days=5)
        )
    rule = DeadlineRule.effective(DeadlineKind.FIRST_CONTACT, TODAY())
    with pytest.raises(IntegrityError), transaction.atomic():
        DeadlineRule.objects.create(
            kind=rule.kind, value=1, unit=rule.unit, effective_from=TODAY() + dt.timedelta(days=5)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        # Reopening an ended version over its successor is an overlap too.
        earlier = LegalRuleSet.objects.filter(topic=RECONCILIATION).exclude(pk=current.pk).first()
        assert earlier is not None
        LegalRuleSet.objects.filter(pk=earlier.pk).update(effective_to=None)
    # Adjacent periods are not an overlap: [from, to) ends the day the next one starts.
    LegalRuleSet.objects.filter(pk=current.pk).update(effective_to=TODAY() + dt.timedelta(days=5))
    LegalRuleSet.objects.create(
        topic=RECONCILIATION, code="adjacent", title="x", effective_from=TODAY() + dt.timedelta(days=5)
    )


def test_signals_registered_from_the_first_day_take_the_new_time_limit(world: World) -> None:
    old = DeadlineRule.effective(DeadlineKind.FIRST_CONTACT, TODAY())
    earlier = world.register(received_at=timezone.now() - dt.timedelta(days=2))
    new = do_add_deadline_version(
        actor=world.p.sysadmin,
        kind=DeadlineKind.FIRST_CONTACT,
        value=2,
        unit="hours",
        effective_from=TODAY(),
        source="Test law",
    )
    later = world.register(received_at=timezone.now() - dt.timedelta(minutes=5))
    assert earlier.first_contact_rule == old
    assert later.first_contact_rule == new
    assert later.first_contact_due == later.received_at + dt.timedelta(hours=2)


def test_a_time_limit_is_refused_with_every_error(personas: Personas) -> None:
    with pytest.raises(ValidationError) as exc:
        do_add_deadline_version(
            actor=personas.sysadmin,
            kind=DeadlineKind.OUTCOME,
            value=0,
            unit="weeks",
            effective_from=TODAY() - dt.timedelta(days=3),
        )
    assert set(exc.value.message_dict) == {"value", "unit", "effective_from"}


def test_a_future_version_may_be_withdrawn_and_the_one_before_applies_again(personas: Personas) -> None:
    before = in_force()
    new = add_version(personas)
    with pytest.raises(ValidationError):
        do_withdraw_version(actor=personas.sysadmin, version=new, reason="")
    do_withdraw_version(actor=personas.sysadmin, version=new, reason="The law was postponed")
    before.refresh_from_db()
    assert before.effective_to is None
    assert not LegalRuleSet.objects.filter(pk=new.pk).exists()
    assert not ReconciliationRule.objects.filter(rule_set_id=new.pk).exists()
    assert AuditEvent.objects.filter(action="legalruleset.withdraw").exists()


def test_a_version_in_force_is_never_withdrawn(personas: Personas) -> None:
    with pytest.raises(ValidationError) as exc:
        do_withdraw_version(actor=personas.sysadmin, version=in_force(), reason="Mistake")
    assert "in force" in exc.value.message_dict["effective_from"][0]


# --- the administration ---------------------------------------------------------------------------------


def test_the_add_page_starts_from_the_rules_in_force_and_saves_through_the_service(
    client: Client, personas: Personas
) -> None:
    otp_login(client, personas.sysadmin)
    page = client.get("/admin/intake/legalruleset/add/")
    assert page.status_code == 200
    assert current_rules(in_force())[0]["code"] in page.content.decode()

    start = TODAY() + dt.timedelta(days=60)
    response = client.post(
        "/admin/intake/legalruleset/add/",
        {
            "topic": RECONCILIATION,
            "code": "2027-admin",
            "title": "Added in the administration",
            "effective_from": start.isoformat(),
            "source": "",
            "notes": "",
            "rules": json.dumps(current_rules(in_force())),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    new = LegalRuleSet.objects.get(code="2027-admin")
    assert new.effective_from == start
    assert AuditEvent.objects.filter(action="legalruleset.add", actor=personas.sysadmin).exists()


def test_the_add_page_shows_the_services_errors_and_keeps_what_was_typed(
    client: Client, personas: Personas
) -> None:
    otp_login(client, personas.sysadmin)
    response = client.post(
        "/admin/intake/legalruleset/add/",
        {
            "topic": RECONCILIATION,
            "code": "kept-code",
            "title": "Kept",
            "effective_from": (TODAY() - dt.timedelta(days=1)).isoformat(),
            "rules": '[{"code": "a", "kind": "nothing", "title": "A"}]',
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "cannot start in the past" in page and "the test must be one of" in page
    assert "kept-code" in page


def test_saved_versions_are_read_only_in_the_administration(client: Client, personas: Personas) -> None:
    otp_login(client, personas.sysadmin)
    version = in_force()
    page = client.get(f"/admin/intake/legalruleset/{version.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    response = client.post(f"/admin/intake/legalruleset/{version.pk}/change/", {"title": "edited"})
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.title != "edited"
    assert client.post(f"/admin/intake/legalruleset/{version.pk}/delete/").status_code == 403


def test_agency_administrators_read_rules_but_do_not_add(client: Client, personas: Personas) -> None:
    agency_admin = UserFactory.create(
        username="asel_admin",
        agency=personas.astana_police,
        role=role("agency_admin"),
        scope=Scope.AGENCY,
        is_staff=True,
    )
    otp_login(client, agency_admin)
    assert client.get("/admin/intake/legalruleset/").status_code == 200
    assert client.get("/admin/intake/legalruleset/add/").status_code == 403
    assert client.get("/admin/intake/deadlinerule/add/").status_code == 403


def test_a_future_version_is_withdrawn_from_its_page(client: Client, personas: Personas) -> None:
    new = add_version(personas)
    otp_login(client, personas.sysadmin)
    page = client.get(f"/admin/intake/legalruleset/{new.pk}/change/").content.decode()
    assert f"/admin/intake/legalruleset/{new.pk}/withdraw/" in page
    response = client.post(f"/admin/intake/legalruleset/{new.pk}/withdraw/", {"reason": "Postponed"})
    assert response.status_code == 302
    assert not LegalRuleSet.objects.filter(pk=new.pk).exists()
