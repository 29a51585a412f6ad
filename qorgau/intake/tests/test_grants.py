"""Grants (core/grants.py) on the example target, a signal: shared with the Shymkent crisis centre, it is
visible on the list, the page and the API while the grant is active, and answers 404 the moment the grant
is revoked or expires. The grant model and the engine live in core; signals only declare `grant=""`."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from qorgau.core.grants import do_grant_access, do_revoke_grant, grant_sections, grants_on
from qorgau.core.models import AuditEvent, Grant
from qorgau.core.permissions import Scope
from qorgau.core.testing import api_client, otp_login

from ..home import overdue_signals
from ..models import ProtectiveOrder, Signal, SignalParty
from ..queries import overdue_by_region
from ..services import do_issue_protective_order
from .factories import VIEWER_ACTIONS, World, make_role, new_user

SIGNALS_API = "/api/intake/signals/"


def share(world: World, signal: Signal, **kw) -> Grant:
    kw.setdefault("agency", world.p.shymkent_crisis)
    kw.setdefault("purpose", "referral")
    kw.setdefault("sections", ["summary"])
    kw.setdefault("expires_at", timezone.now() + dt.timedelta(days=30))
    kw.setdefault("reason", "Referred for psychological help")
    return do_grant_access(actor=world.officer, obj=signal, **kw)


def expire(grant: Grant) -> None:
    """As if the grant's time ran out a second ago (the times move together: expiry stays after granting)."""
    now = timezone.now()
    Grant.objects.filter(pk=grant.pk).update(
        granted_at=now - dt.timedelta(days=2), expires_at=now - dt.timedelta(seconds=1)
    )


def sees(client: Client, api, signal: Signal) -> dict[str, int | bool]:
    """What the list page, the signal page, the API list and the API detail answer for `signal`."""
    api_list = api.get(SIGNALS_API).json()
    return {
        "list": signal.registration_number in client.get("/signals/").content.decode(),
        "detail": client.get(f"/signals/{signal.pk}/").status_code,
        "api_list": signal.pk in [row["id"] for row in api_list["results"]],
        "api_detail": api.get(f"{SIGNALS_API}{signal.pk}/").status_code,
    }


VISIBLE = {"list": True, "detail": 200, "api_list": True, "api_detail": 200}
HIDDEN = {"list": False, "detail": 404, "api_list": False, "api_detail": 404}


def test_a_shared_signal_is_visible_while_the_grant_is_active_and_404_once_revoked(
    client: Client, world: World
) -> None:
    signal = world.register()
    worker = world.shymkent_worker
    otp_login(client, worker)
    api = api_client(worker)
    assert sees(client, api, signal) == HIDDEN

    grant = share(world, signal)
    assert sees(client, api, signal) == VISIBLE

    do_revoke_grant(actor=world.officer, grant=grant, reason="The victim moved to another city")
    assert sees(client, api, signal) == HIDDEN  # the same sessions, the next request: nothing cached


def test_a_shared_signal_is_404_the_moment_the_grant_expires(client: Client, world: World) -> None:
    signal = world.register()
    otp_login(client, world.shymkent_worker)
    api = api_client(world.shymkent_worker)
    grant = share(world, signal)
    assert sees(client, api, signal) == VISIBLE
    expire(grant)
    assert sees(client, api, signal) == HIDDEN


def test_a_grant_to_one_agency_does_not_leak_to_a_third(world: World) -> None:
    signal = world.register()
    share(world, signal)
    assert Signal.objects.visible_to(world.shymkent_worker).filter(pk=signal.pk).exists()
    assert not Signal.objects.visible_to(world.shymkent_officer).filter(pk=signal.pk).exists()


def test_a_grant_to_a_user_opens_to_that_user_only(world: World) -> None:
    signal = world.register()
    colleague = new_user(
        agency=world.p.shymkent_crisis, role=world.shymkent_worker.role, scope=Scope.AGENCY, username="aliya"
    )
    share(world, signal, agency=None, user=world.shymkent_worker)
    assert Signal.objects.visible_to(world.shymkent_worker).filter(pk=signal.pk).exists()
    assert not Signal.objects.visible_to(colleague).filter(pk=signal.pk).exists()


def test_an_agency_grant_opens_nothing_to_own_scope_staff_a_grant_naming_them_does(world: World) -> None:
    signal = world.register()
    psychologist = new_user(
        agency=world.p.shymkent_crisis, role=world.shymkent_worker.role, scope=Scope.OWN, username="dana"
    )
    share(world, signal)
    assert not Signal.objects.visible_to(psychologist).filter(pk=signal.pk).exists()
    share(world, signal, agency=None, user=psychologist)
    assert Signal.objects.visible_to(psychologist).filter(pk=signal.pk).exists()


def test_a_grant_opens_nothing_without_the_role_action_or_without_a_scope(world: World) -> None:
    signal = world.register()
    no_role = new_user(agency=world.p.shymkent_crisis, role=None, scope=Scope.AGENCY, username="no_role")
    no_scope = new_user(
        agency=world.p.shymkent_crisis, role=world.shymkent_worker.role, scope=Scope.NONE, username="no_scope"
    )
    share(world, signal)
    share(world, signal, agency=None, user=no_scope)
    assert not Signal.objects.visible_to(no_role).exists()
    assert not Signal.objects.visible_to(no_scope).exists()
    assert grant_sections(no_role, signal) == frozenset()
    assert grant_sections(no_scope, signal) == frozenset()


def test_a_view_grant_does_not_allow_change(client: Client, world: World) -> None:
    signal = world.register()
    officer = world.shymkent_officer  # Shymkent police, whose role may change signals of its own scope
    share(world, signal, agency=world.shymkent_police)
    assert Signal.objects.visible_to(officer, "view").filter(pk=signal.pk).exists()
    assert not Signal.objects.visible_to(officer, "change").filter(pk=signal.pk).exists()
    otp_login(client, officer)
    assert client.get(f"/signals/{signal.pk}/").status_code == 200
    assert client.post(f"/signals/{signal.pk}/assign/", {"assignee": ""}).status_code == 404

    share(world, signal, agency=world.shymkent_police, actions=["view", "change"])
    assert Signal.objects.visible_to(officer, "change").filter(pk=signal.pk).exists()
    assert not Signal.objects.visible_to(officer, "outcome").filter(pk=signal.pk).exists()


def test_rows_reached_through_the_signal_follow_its_grant(world: World) -> None:
    signal = world.register()
    order = do_issue_protective_order(
        actor=world.inspector,
        signal=signal,
        offender=world.offender,
        victims=[world.victim],
        served_at=timezone.now() - dt.timedelta(minutes=5),
    )
    worker = world.shymkent_worker
    assert not SignalParty.objects.visible_to(worker).exists()
    grant = share(world, signal)
    assert set(SignalParty.objects.visible_to(worker).values_list("signal", flat=True)) == {signal.pk}
    assert list(ProtectiveOrder.objects.visible_to(worker)) == [order]
    do_revoke_grant(actor=world.officer, grant=grant, reason="Done")
    assert not SignalParty.objects.visible_to(worker).exists()
    assert not ProtectiveOrder.objects.visible_to(worker).exists()


def test_national_scope_still_sees_everything_when_grants_exist(world: World) -> None:
    astana = world.register()
    elsewhere = world.register_elsewhere(world.shymkent_officer)
    share(world, astana)
    national = new_user(
        agency=world.p.shymkent_crisis,
        role=make_role("test_national_viewer", VIEWER_ACTIONS),
        scope=Scope.NATIONAL,
        username="national",
    )
    assert set(Signal.objects.visible_to(national)) == {astana, elsewhere}


def test_grant_sections(world: World) -> None:
    signal = world.register()
    worker = world.shymkent_worker
    assert grant_sections(world.officer, signal) is None  # the owner sees every section
    assert grant_sections(worker, signal) == frozenset()
    first = share(world, signal, sections=["summary", "safety_plan"])
    share(world, signal, agency=None, user=worker, sections=["services"])
    share(world, signal, agency=world.shymkent_police, sections=["legal"])  # another agency's
    assert grant_sections(worker, signal) == frozenset({"summary", "safety_plan", "services"})
    party = SignalParty.objects.filter(signal=signal).first()
    assert party is not None and grant_sections(worker, party) == frozenset(
        {"summary", "safety_plan", "services"}
    )
    do_revoke_grant(actor=world.officer, grant=first, reason="Done")
    assert grant_sections(worker, signal) == frozenset({"services"})
    assert grant_sections(world.shymkent_officer, signal) == frozenset({"legal"})


def test_sharing_and_revoking_are_audited_for_the_owner(world: World) -> None:
    signal = world.register()
    grant = share(world, signal)
    do_revoke_grant(actor=world.officer, grant=grant, reason="The victim moved")
    rows = AuditEvent.objects.filter(action__startswith="grant.").order_by("id")
    assert [row.action for row in rows] == ["grant.add", "grant.revoke"]
    added, revoked = rows
    assert (added.object_type, added.object_id) == ("core.grant", str(grant.pk))
    assert (added.subject_agency_id, added.subject_region_id) == (world.p.astana_police.pk, world.p.astana.pk)
    assert added.changes["target"] == f"intake.signal#{signal.pk}"
    assert added.changes["agency"] == world.p.shymkent_crisis.pk
    assert added.changes["sections"] == ["summary"] and added.changes["actions"] == ["view"]
    assert added.reason == "Referred for psychological help" and revoked.reason == "The victim moved"
    # The Astana auditor sees both (the record is Astana's), the Shymkent crisis centre's staff do not.
    assert set(AuditEvent.objects.visible_to(world.p.astana_auditor).filter(action__startswith="grant.")) == {
        added,
        revoked,
    }
    assert list(grants_on(signal)) == [grant]


def test_only_who_may_change_the_record_by_their_own_scope_shares_it(world: World) -> None:
    signal = world.register()
    with pytest.raises(PermissionDenied):  # the crisis centre's role may not change signals
        do_grant_access(
            actor=world.shymkent_worker,
            obj=signal,
            agency=world.shymkent_police,
            purpose="referral",
            expires_at=timezone.now() + dt.timedelta(days=1),
            reason="x",
        )
    share(world, signal, agency=world.shymkent_police, actions=["view", "change"])
    with pytest.raises(PermissionDenied):  # the police it was shared with may change it, not share it
        do_grant_access(
            actor=world.shymkent_officer,
            obj=signal,
            agency=world.p.shymkent_crisis,
            purpose="referral",
            expires_at=timezone.now() + dt.timedelta(days=1),
            reason="Passing it on",
        )
    grant = share(world, signal)
    with pytest.raises(PermissionDenied):
        do_revoke_grant(actor=world.shymkent_officer, grant=grant, reason="No")
    assert not AuditEvent.objects.filter(actor=world.shymkent_officer, action__startswith="grant.").exists()


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"agency": None}, None),  # no grantee
        ({"user": "worker"}, None),  # both an agency and a user
        ({"purpose": "Referral!"}, "purpose"),
        ({"sections": ["Safety plan"]}, "sections"),
        ({"actions": ["change"]}, "actions"),  # not even view
        ({"actions": ["view", "fly"]}, "actions"),
        ({"expires_at": "past"}, "expires_at"),
        ({"reason": "  "}, "reason"),
    ],
)
def test_invalid_grants_are_refused(world: World, kw: dict, field: str | None) -> None:
    signal = world.register()
    if kw.get("user") == "worker":
        kw["user"] = world.shymkent_worker
    if kw.get("expires_at") == "past":
        kw["expires_at"] = timezone.now() - dt.timedelta(minutes=1)
    with pytest.raises(ValidationError) as raised:
        share(world, signal, **kw)
    if field is not None:
        assert field in raised.value.message_dict
    assert not Grant.objects.exists()


def test_a_grant_is_revoked_once(world: World) -> None:
    grant = share(world, world.register())
    do_revoke_grant(actor=world.officer, grant=grant, reason="Done")
    with pytest.raises(ValidationError):
        do_revoke_grant(actor=world.officer, grant=grant, reason="Again")


@pytest.mark.parametrize(
    "fields",
    [
        {"agency": "crisis", "user": "worker"},  # two grantees
        {"agency": None, "user": None},  # none
        {"expires_at": "before"},  # expiry not after granting
        {"purpose": ""},
        {"revoked_at": "now"},  # revoked without saying by whom
    ],
)
def test_the_database_refuses_malformed_grants(world: World, fields: dict) -> None:
    signal = world.register()
    now = timezone.now()
    values = {
        "content_type": ContentType.objects.get_for_model(Signal),
        "object_id": signal.pk,
        "agency": world.p.shymkent_crisis,
        "user": None,
        "purpose": "referral",
        "actions": {"view": True},
        "reason": "x",
        "granted_by": world.officer,
        "granted_at": now,
        "expires_at": now + dt.timedelta(days=1),
    }
    lookup = {"crisis": world.p.shymkent_crisis, "worker": world.shymkent_worker}
    for key, value in fields.items():
        values[key] = lookup.get(value, value) if isinstance(value, str) else value
    if fields.get("expires_at") == "before":
        values["expires_at"] = now - dt.timedelta(seconds=1)
    if fields.get("revoked_at") == "now":
        values["revoked_at"] = now
    with pytest.raises(IntegrityError), transaction.atomic():
        Grant.objects.create(**values)


def test_grants_are_read_in_the_same_query(world: World, django_assert_num_queries) -> None:
    signal = world.register()
    share(world, signal)
    worker = world.shymkent_worker
    assert worker.can("intake.view")  # the role is loaded once per user object, not per query
    with django_assert_num_queries(1):
        assert list(Signal.objects.visible_to(worker)) == [signal]


def test_a_shared_signal_stays_out_of_the_grantee_deadline_queue_and_counts(world: World) -> None:
    # Its deadlines are the owner's work: the grantee reads it, it does not land in their queues.
    late = world.register(received_at=timezone.now() - dt.timedelta(days=40))
    share(world, late, agency=world.shymkent_police)
    officer = world.shymkent_officer
    assert Signal.objects.visible_to(officer).filter(pk=late.pk).exists()
    assert not overdue_signals(officer).filter(pk=late.pk).exists()
    assert overdue_by_region(officer) == {}
    assert overdue_signals(world.officer).filter(pk=late.pk).exists()
    assert overdue_by_region(world.officer) == {world.p.astana.pk: 1}
