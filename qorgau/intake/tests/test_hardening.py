"""Issue 6 in intake: no oracle through registration, writes only where one works, hand-over, replays."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from qorgau.core.grants import do_grant_access
from qorgau.core.models import AuditEvent
from qorgau.core.permissions import Scope
from qorgau.core.testing import api_client, otp_login, role
from qorgau.people.iin import make_iin
from qorgau.people.models import Person
from qorgau.people.tests.factories import PersonFactory

from ..models import Signal, SignalParty
from ..services import do_assign_signal, do_transfer_signal
from .factories import World, make_role, new_user

SIGNALS = "/api/intake/signals/"
KNOWN_IIN = make_iin(dt.date(1991, 4, 2), "F", serial=21)
FREE_IIN = make_iin(dt.date(1991, 4, 2), "F", serial=22)


@pytest.fixture(autouse=True)
def _english_requests(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


def body(world: World, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "channel": "call_102",
        "received_at": (timezone.now() - dt.timedelta(minutes=30)).isoformat(),
        "region": "KZ-71",
        "victims": [{"person": world.victim.pk}],
        "forms": ["physical"],
    }
    return data | overrides


def post(api: Any, data: dict[str, Any], key: str) -> Any:
    return api.post(SIGNALS, data, format="json", headers={"Idempotency-Key": key})


def auditor_of(world: World, agency: Any) -> Any:
    return new_user(agency=agency, role=role("auditor"), scope=Scope.AGENCY)


def comparable(response: Any) -> dict[str, Any]:
    """A registration answer without what differs between any two registrations."""
    data = copy.deepcopy(response.json())
    for key in (
        "id",
        "registration_number",
        "registered_at",
        "received_at",
        "outcome_due",
        "first_contact_due",
    ):
        data.pop(key, None)
    data["parties"] = [
        {k: v for k, v in p.items() if k != "person"} | {"person": sorted(p["person"])}
        for p in data["parties"]
    ]
    return data


def test_an_iin_known_elsewhere_answers_as_an_unknown_one(world: World) -> None:
    PersonFactory.create(agency=world.shymkent_police, iin=KNOWN_IIN, surname="Secret", phone="+77019998877")
    api = api_client(world.officer)

    def register(iin: str, key: str) -> Any:
        victim = {"new_person": {"iin": iin, "surname": "Typed", "given_name": "Name"}}
        return post(api, body(world, victims=[victim]), key)

    known, free = register(KNOWN_IIN, "k-known"), register(FREE_IIN, "k-free")
    assert known.status_code == free.status_code == 201
    assert comparable(known) == comparable(free)
    assert "Secret" not in known.content.decode() and "+77019998877" not in known.content.decode()
    # Nothing more to read afterwards either: the party is the officer's own record of what was typed.
    party = SignalParty.objects.get(signal_id=known.json()["id"])
    assert party.person.surname == "Typed" and party.person.agency_id == world.officer.agency_id
    assert Person.objects.filter(iin_hash=party.person.iin_hash, linked_to__isnull=True).count() == 1


def test_a_failed_registration_keeps_the_lookup_for_the_owners_auditor(world: World) -> None:
    hidden = PersonFactory.create(agency=world.shymkent_police, iin=KNOWN_IIN)
    victim = {"new_person": {"iin": KNOWN_IIN, "surname": "Typed", "given_name": "Name"}}
    response = post(api_client(world.officer), body(world, victims=[victim], forms=[]), "k-bad")
    assert response.status_code == 400 and not Signal.objects.exists()
    seen = AuditEvent.objects.visible_to(auditor_of(world, world.shymkent_police))
    lookup = seen.get(action="person.iin_lookup")
    assert lookup.object_id == str(hidden.pk) and lookup.actor_id == world.officer.pk
    assert KNOWN_IIN not in str(lookup.changes)


def test_signals_are_registered_only_where_the_actor_works(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        world.register(region=world.p.shymkent)
    assert "regions where you work" in exc.value.message_dict["region"][0]
    response = post(api_client(world.officer), body(world, region="KZ-79"), "k-region")
    assert response.status_code == 400 and "region" in response.json()
    assert not Signal.objects.exists()


def test_the_form_offers_only_the_regions_where_the_user_works(client: Client, world: World) -> None:
    page = otp_login(client, world.officer).get("/signals/new/", follow=True).content.decode()
    assert f'value="{world.p.astana.pk}"' in page
    assert f'value="{world.p.shymkent.pk}"' not in page


def test_a_regional_user_works_in_each_of_their_regions(world: World) -> None:
    regional = new_user(
        agency=world.p.astana_police,
        role=make_role("test_regional_officer", ["people.view", "intake.view", "intake.add"]),
        scope=Scope.REGIONS,
        regions=[world.p.astana, world.p.shymkent],
    )
    shymkent_victim = PersonFactory.create(agency=world.shymkent_police, region=world.p.shymkent)
    signal = world.register(
        actor=regional, region=world.p.shymkent, victims=[shymkent_victim], offenders=[], relationship=""
    )
    assert signal.region == world.p.shymkent


def test_a_party_the_actor_cannot_see_is_refused_by_the_service(world: World) -> None:
    stranger = PersonFactory.create(agency=world.shymkent_police, region=world.p.shymkent)
    with pytest.raises(ValidationError) as exc:
        world.register(victims=[stranger], offenders=[])
    assert exc.value.message_dict["victims"] == ["Person not found."]


def test_a_replay_of_another_users_key_answers_404(world: World) -> None:
    colleague = new_user(
        agency=world.p.astana_police,
        role=make_role("test_own_reporter", ["people.view", "intake.view", "intake.add"]),
        scope=Scope.OWN,
    )
    victim = PersonFactory.create(agency=world.p.astana_police, created_by=colleague)
    same = body(world, victims=[{"person": victim.pk}])
    assert post(api_client(world.officer), same, "shared-key").status_code == 201
    # The colleague cannot see the signal (own scope): its key must not reveal that it exists.
    response = post(api_client(colleague), same, "shared-key")
    assert response.status_code == 404
    assert Signal.objects.count() == 1


def test_a_signal_is_handed_over_with_its_reason_and_the_receivers_auditor_sees_it(world: World) -> None:
    signal = world.register()
    do_assign_signal(actor=world.officer, signal=signal, assignee=world.inspector)
    moved = do_transfer_signal(
        actor=world.officer, signal=signal, region=world.p.shymkent, reason="It happened in Shymkent."
    )
    assert (moved.region, moved.assigned_to) == (world.p.shymkent, None)
    assert moved.registration_number.startswith("KZ-71-")  # the number stays
    shymkent_auditor = new_user(agency=world.shymkent_police, role=role("auditor"), scope=Scope.REGIONS)
    shymkent_auditor.scope_regions.set([world.p.shymkent])
    shymkent_auditor = type(shymkent_auditor).objects.get(pk=shymkent_auditor.pk)
    event = AuditEvent.objects.visible_to(shymkent_auditor).get(action="signal.transfer")
    assert event.reason == "It happened in Shymkent."
    assert event.changes["region"] == {"old": world.p.astana.pk, "new": world.p.shymkent.pk}
    # The Shymkent police now see the signal in their region's list.
    regional_police = new_user(
        agency=world.shymkent_police, role=world.officer.role, scope=Scope.REGIONS, regions=[world.p.shymkent]
    )
    assert Signal.objects.visible_to(regional_police).filter(pk=signal.pk).exists()


def test_a_hand_over_needs_a_reason_and_another_region(world: World) -> None:
    signal = world.register()
    with pytest.raises(ValidationError) as exc:
        do_transfer_signal(actor=world.officer, signal=signal, region=world.p.astana, reason=" ")
    assert set(exc.value.message_dict) == {"region", "reason"}


def test_the_hand_over_page_and_api(client: Client, world: World) -> None:
    signal = world.register()
    otp_login(client, world.officer)
    page = client.get(f"/signals/{signal.pk}/transfer/")
    assert page.status_code == 200 and f'value="{world.p.astana.pk}"' not in page.content.decode()
    response = client.post(
        f"/signals/{signal.pk}/transfer/", {"region": world.p.shymkent.pk, "reason": "Moved there."}
    )
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.region == world.p.shymkent

    other = world.register()
    answer = api_client(world.officer).post(
        f"{SIGNALS}{other.pk}/transfer/", {"region": "KZ-79", "reason": "Moved."}, format="json"
    )
    assert answer.status_code == 200 and answer.json()["region"] == "KZ-79"


def test_the_hand_over_is_404_out_of_scope(client: Client, world: World) -> None:
    signal = world.register()
    otp_login(client, world.shymkent_officer)
    assert client.get(f"/signals/{signal.pk}/transfer/").status_code == 404
    answer = api_client(world.shymkent_officer).post(
        f"{SIGNALS}{signal.pk}/transfer/", {"region": "KZ-79", "reason": "Mine."}, format="json"
    )
    assert answer.status_code == 404
    signal.refresh_from_db()
    assert signal.region == world.p.astana
    # Both refusals are on the Astana auditor's log as denied reads of an existing signal.
    denied = AuditEvent.objects.visible_to(auditor_of(world, world.p.astana_police)).filter(
        action="signal.denied", object_id=str(signal.pk)
    )
    assert denied.count() == 2


def test_the_history_panel_is_audited(client: Client, world: World) -> None:
    world.register()
    otp_login(client, world.officer).post("/signals/history/", {"victims": [world.victim.pk]})
    event = AuditEvent.objects.get(action="person.history")
    assert event.object_id == str(world.victim.pk) and event.object_repr == world.victim.code


def test_a_change_grant_does_not_let_the_grantee_hand_the_signal_over(world: World) -> None:
    signal = world.register()
    do_grant_access(
        actor=world.officer,
        obj=signal,
        agency=world.shymkent_police,
        purpose="referral",
        actions=["view", "change"],
        expires_at=timezone.now() + dt.timedelta(days=7),
        reason="Joint work.",
    )
    assert Signal.objects.visible_to(world.shymkent_officer, "change").filter(pk=signal.pk).exists()
    with pytest.raises(PermissionDenied):
        do_transfer_signal(
            actor=world.shymkent_officer, signal=signal, region=world.p.shymkent, reason="Ours now."
        )
    signal.refresh_from_db()
    assert signal.region == world.p.astana
