"""Whoever sees a signal may open its parties' person records (an Opening in intake/registry.py), for reading
only, and only while the signal is in their scope or shared with them; the person page lists the person's
signals, orders and decisions in the user's scope (core.panels)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from qorgau.core.grants import do_grant_access, do_revoke_grant
from qorgau.core.testing import api_client, otp_login
from qorgau.people.models import Person

from ..models import PartyRole, Signal, SignalParty
from .factories import World, make_person, new_agency

pytestmark = pytest.mark.django_db


def with_outside_party(world: World) -> tuple[Signal, Person]:
    """An Astana police signal with a witness whose record another Astana agency registered: the officer
    sees the signal but not, by his agency scope, that record."""
    school = new_agency(name="School 12", region=world.p.astana)
    witness = make_person(school, "Omarova", "Dana")
    signal = world.register()
    SignalParty.objects.create(signal=signal, person=witness, role=PartyRole.WITNESS)
    return signal, witness


def test_a_party_of_a_visible_signal_opens_for_reading_only(client: Client, world: World) -> None:
    signal, witness = with_outside_party(world)
    role = world.officer.role
    assert role is not None
    role.actions = [*role.actions, "people.change"]
    role.save()
    officer = type(world.officer).objects.get(pk=world.officer.pk)  # may change persons in his scope
    assert Person.objects.visible_to(officer).filter(pk=witness.pk).exists()
    assert not Person.objects.visible_to(officer, "change").filter(pk=witness.pk).exists()

    otp_login(client, officer)
    assert client.get(f"/people/{witness.pk}/").status_code == 200
    assert client.get(f"/people/{witness.pk}/edit/").status_code == 404
    page = client.get(f"/signals/{signal.pk}/").content.decode()
    assert f'href="/people/{witness.pk}/"' in page  # the name on the signal page is a link
    api = api_client(officer)
    assert api.get(f"/api/people/persons/{witness.pk}/").status_code == 200
    assert (
        api.patch(f"/api/people/persons/{witness.pk}/", {"phone": "+77010000001"}, format="json").status_code
        == 404
    )


def test_other_regions_do_not_reach_the_party(client: Client, world: World) -> None:
    _signal, witness = with_outside_party(world)
    worker = world.shymkent_worker
    assert not Person.objects.visible_to(worker).filter(pk=witness.pk).exists()
    otp_login(client, worker)
    assert client.get(f"/people/{witness.pk}/").status_code == 404
    assert api_client(worker).get(f"/api/people/persons/{witness.pk}/").status_code == 404


def test_the_party_opens_while_the_signal_is_shared_and_closes_when_the_grant_is_revoked(
    client: Client, world: World
) -> None:
    signal, witness = with_outside_party(world)
    worker = world.shymkent_worker
    otp_login(client, worker)
    grant = do_grant_access(
        actor=world.officer,
        obj=signal,
        agency=world.p.shymkent_crisis,
        purpose="referral",
        sections=["summary"],
        expires_at=timezone.now() + dt.timedelta(days=30),
        reason="Referred for psychological help",
    )
    assert client.get(f"/people/{witness.pk}/").status_code == 200
    assert client.get(f"/people/{world.victim.pk}/").status_code == 200
    # Shared with him, not his to share onward: the opening follows grants=False too.
    assert not Person.objects.visible_to(worker, grants=False).filter(pk=witness.pk).exists()

    do_revoke_grant(actor=world.officer, grant=grant, reason="The victim moved to another city")
    assert client.get(f"/people/{witness.pk}/").status_code == 404
    assert client.get(f"/people/{world.victim.pk}/").status_code == 404


def test_the_opening_needs_the_role_to_see_signals(world: World) -> None:
    _signal, witness = with_outside_party(world)
    role = world.officer.role
    assert role is not None
    role.actions = ["people.view"]
    role.save()
    officer = type(world.officer).objects.get(pk=world.officer.pk)
    assert not Person.objects.visible_to(officer).filter(pk=witness.pk).exists()


def test_the_person_page_lists_the_persons_signals_in_scope(client: Client, world: World) -> None:
    first = world.register(received_at=timezone.now() - dt.timedelta(days=40))
    second = world.register()
    elsewhere = world.register_elsewhere(world.shymkent_officer)
    otp_login(client, world.officer)
    page = client.get(f"/people/{world.offender.pk}/").content.decode()
    assert 'data-panel="intake-history"' in page
    assert first.registration_number in page and second.registration_number in page
    assert elsewhere.registration_number not in page  # Shymkent's signal of the same identity: not his
    assert 'data-flag="repeat_offender"' in page


def test_the_person_page_has_no_signal_panel_without_the_role_to_see_signals(
    client: Client, world: World
) -> None:
    world.register()
    role = world.officer.role
    assert role is not None
    role.actions = [a for a in role.actions if not a.startswith("intake.")]
    role.save()
    otp_login(client, world.officer)
    page = client.get(f"/people/{world.offender.pk}/").content.decode()
    assert "data-panel" not in page


def test_asking_about_some_persons_answers_as_the_whole_scope_does(world: World) -> None:
    """`visible_to(among=ids)` narrows the openings' subqueries: the same answer as filtering afterwards."""
    signal, witness = with_outside_party(world)
    school = new_agency(name="School 40", region=world.p.astana)
    stranger = make_person(school, "Omarova", "Aliya")  # in no signal the officer sees
    ids = [
        witness.pk,
        stranger.pk,
        *SignalParty.objects.filter(signal=signal).values_list("person", flat=True),
    ]
    for user in (world.officer, world.shymkent_worker):
        whole = set(Person.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
        some = set(Person.objects.visible_to(user, among=ids).values_list("pk", flat=True))
        assert some == whole
    assert witness.pk in some_of(world.officer, ids) and stranger.pk not in some_of(world.officer, ids)


def some_of(user, ids: list[int]) -> set[int]:
    return set(Person.objects.visible_to(user, among=ids).values_list("pk", flat=True))
