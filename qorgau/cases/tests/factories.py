"""Test data for cases: the shipped default roles (case worker, lawyer), two Astana centres, a victim."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django.utils import timezone

from qorgau.core.models import Agency, AgencyType, User
from qorgau.core.permissions import Scope
from qorgau.core.testing import AgencyFactory, Personas, UserFactory, role
from qorgau.people.models import Consent, Person
from qorgau.people.services import do_create_person, do_record_consent

from ..models import Case, Qualification, ReferralPurpose, Specialist
from ..services import do_add_qualification, do_add_specialist, do_open_case


def new_user(**kw: Any) -> User:
    return User.objects.get(pk=cast(User, UserFactory(**kw)).pk)


def new_agency(**kw: Any) -> Agency:
    return cast(Agency, AgencyFactory(**kw))


@dataclass
class CaseWorld:
    p: Personas
    centre: Agency  # Astana crisis centre: owns the cases
    worker: User  # its case worker (agency scope)
    colleague: User  # another case worker of the centre
    support: Agency  # Astana legal aid NGO: receives referrals
    support_worker: User  # case worker of the NGO (agency scope)
    lawyer: User  # lawyer of the centre (own scope), a specialist with an account
    third: Agency  # an Astana family support centre that nobody refers to
    third_worker: User
    shymkent_worker: User  # case worker of the Shymkent crisis centre (another region)
    victim: Person

    def open(self, actor: User | None = None, **kw: Any) -> Case:
        kw.setdefault("victim", self.victim)
        return do_open_case(actor=actor or self.worker, **kw)

    def person(self, surname: str = "Nurlanova", given_name: str = "Dana", **kw: Any) -> Person:
        person, _ = do_create_person(actor=self.worker, surname=surname, given_name=given_name, **kw)
        return person

    def consent(
        self,
        agency: Agency | None = None,
        purpose: str = "legal",
        days: int = 30,
        person: Person | None = None,
    ) -> Consent:
        now = timezone.now()
        return do_record_consent(
            actor=self.worker,
            person=person or self.victim,
            purpose=purpose,
            receiving_agency=agency or self.support,
            granted_at=now - dt.timedelta(minutes=1),
            expires_at=now + dt.timedelta(days=days),
        )

    def specialist(self, kind: str = "legal", valid_until: dt.date | None = None, **kw: Any) -> Specialist:
        kw.setdefault("full_name", "Aliya Serikova")
        specialist = do_add_specialist(actor=self.worker, **kw)
        if valid_until is not None:
            self.qualify(specialist, kind, valid_until)
        return specialist

    def qualify(self, specialist: Specialist, kind: str, valid_until: dt.date) -> Qualification:
        return do_add_qualification(
            actor=self.worker,
            specialist=specialist,
            kind=kind,
            document_number="LIC-0042",
            issuer="Ministry of Justice",
            valid_until=valid_until,
        )


def purpose(code: str) -> ReferralPurpose:
    return ReferralPurpose.objects.get(code=code)


def make_world(p: Personas) -> CaseWorld:
    centre = new_agency(name="Astana Crisis Centre", type=AgencyType.CRISIS_CENTRE, region=p.astana)
    support = new_agency(name="Astana Legal Aid", type=AgencyType.NGO, region=p.astana)
    third = new_agency(name="Astana Family Support Centre", type=AgencyType.FAMILY_SUPPORT, region=p.astana)
    case_worker = role("case_worker")
    worker = new_user(username="zhanna", agency=centre, role=case_worker, scope=Scope.AGENCY)
    world = CaseWorld(
        p=p,
        centre=centre,
        worker=worker,
        colleague=new_user(username="asel", agency=centre, role=case_worker, scope=Scope.AGENCY),
        support=support,
        support_worker=new_user(username="madina", agency=support, role=case_worker, scope=Scope.AGENCY),
        lawyer=new_user(username="timur", agency=centre, role=role("lawyer"), scope=Scope.OWN),
        third=third,
        third_worker=new_user(username="kamila", agency=third, role=case_worker, scope=Scope.AGENCY),
        shymkent_worker=User.objects.get(pk=p.shymkent_worker.pk),
        victim=cast(Person, None),
    )
    world.victim = world.person("Seitkali", "Aigerim", birth_date=dt.date(1990, 3, 1), sex="F")
    return world
