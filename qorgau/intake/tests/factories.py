"""Test data for intake: roles with the intake actions, persons, and a registration shortcut."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django.utils import timezone

from qorgau.core.models import Agency, AgencyType, District, Role, User
from qorgau.core.permissions import Scope
from qorgau.core.testing import AgencyFactory, DistrictFactory, Personas, UserFactory
from qorgau.people.models import Person
from qorgau.people.services import do_create_person

from ..models import Channel, Signal
from ..services import do_register_signal

# Action sets for the few tests that need a role no shipped one has (an add-only reporter, a viewer
# with national scope); the world itself uses the shipped default roles.
OFFICER_ACTIONS = ["people.view", "people.add", "intake.view", "intake.add", "intake.change"]
INSPECTOR_ACTIONS = [*OFFICER_ACTIONS, "intake.outcome", "intake.reconcile", "intake.export"]
VIEWER_ACTIONS = ["people.view", "intake.view"]


def make_role(slug: str, actions: list[str]) -> Role:
    role, _ = Role.objects.update_or_create(slug=slug, defaults={"name": slug, "actions": actions})
    return role


def give_role(user: User, role: Role) -> User:
    user.role = role
    user.save(update_fields=["role"])
    return User.objects.get(pk=user.pk)  # fresh object: `actions` is a cached property


def new_user(**kw: Any) -> User:
    """A fresh User row from UserFactory (typed, with no cached actions)."""
    return User.objects.get(pk=cast(User, UserFactory(**kw)).pk)


def new_agency(**kw: Any) -> Agency:
    return cast(Agency, AgencyFactory(**kw))


def new_district(**kw: Any) -> District:
    return cast(District, DistrictFactory(**kw))


def make_person(
    agency: Agency, surname: str = "Ivanova", given_name: str = "Aigul", iin: str = "", **kw: Any
) -> Person:
    kw.setdefault("region", agency.region)
    person = Person(surname=surname, given_name=given_name, agency=agency, **kw)
    person.set_iin(iin)
    person.save()
    return person


VICTIM_IIN, OFFENDER_IIN = "900301400010", "870709300014"


@dataclass
class World:
    p: Personas
    officer: User  # Astana duty officer: registers and works signals (agency scope)
    inspector: User  # Astana district inspector: outcomes, orders, reconciliation (agency scope)
    shymkent_officer: User  # Shymkent police duty officer (agency scope), another region
    shymkent_worker: User  # Shymkent crisis centre, may view signals (agency scope)
    astana_district: District
    shymkent_police: Agency
    victim: Person
    offender: Person

    def register(self, actor: User | None = None, **kw: Any) -> Signal:
        actor = actor or self.officer
        kw.setdefault("channel", Channel.POLICE_102)
        kw.setdefault("received_at", timezone.now() - dt.timedelta(hours=1))
        kw.setdefault("region", actor.agency.region if actor.agency else None)
        kw.setdefault("victims", [self.victim])
        kw.setdefault("offenders", [self.offender])
        kw.setdefault("relationship", "spouse")
        kw.setdefault("forms", ["psychological"])
        return do_register_signal(actor=actor, **kw)

    def own_records(self, actor: User) -> tuple[Person, Person]:
        """`actor`'s agency registers the victim and the offender by their IINs: outside Astana's scope
        these are records of its own, linked to Astana's (Person.linked_to)."""
        victim, _ = do_create_person(actor=actor, surname="Seitkali", given_name="Aigerim", iin=VICTIM_IIN)
        offender, _ = do_create_person(actor=actor, surname="Seitkali", given_name="Bolat", iin=OFFENDER_IIN)
        return victim, offender

    def register_elsewhere(self, actor: User, **kw: Any) -> Signal:
        """A signal of the same victim and offender registered by another region's police."""
        victim, offender = self.own_records(actor)
        kw.setdefault("region", actor.agency.region if actor.agency else None)
        return self.register(actor=actor, victims=[victim], offenders=[offender], **kw)


def make_world(p: Personas) -> World:
    # The shipped default roles (core.roles, the apps' registry.py), as the migrations load them.
    officer_role = Role.objects.get(slug="duty_officer")
    inspector_role = Role.objects.get(slug="district_inspector")
    viewer_role = Role.objects.get(slug="conference_chair")  # reads people and signals, adds nothing
    shymkent_police = new_agency(name="Shymkent Police Department", type=AgencyType.POLICE, region=p.shymkent)
    shymkent_officer = new_user(
        username="nurlan", agency=shymkent_police, role=officer_role, scope=Scope.AGENCY
    )
    return World(
        p=p,
        officer=give_role(p.astana_officer, officer_role),
        inspector=give_role(p.astana_inspector, inspector_role),
        shymkent_officer=shymkent_officer,
        shymkent_worker=give_role(p.shymkent_worker, viewer_role),
        astana_district=new_district(region=p.astana, code="KZ71-ESIL", name_en="Yesil"),
        shymkent_police=shymkent_police,
        victim=make_person(
            p.astana_police, "Seitkali", "Aigerim", iin=VICTIM_IIN, birth_date=dt.date(1990, 3, 1), sex="F"
        ),
        offender=make_person(
            p.astana_police, "Seitkali", "Bolat", iin=OFFENDER_IIN, birth_date=dt.date(1987, 7, 9), sex="M"
        ),
    )
