"""The case opens its victim's and children's person records to the agency that owns it, read-only, also
after the signal it came from is no longer shared; never to an agency the case is referred to."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qorgau.core.grants import do_grant_access, do_revoke_grant
from qorgau.core.testing import otp_login
from qorgau.intake.tests.factories import make_world as make_intake_world
from qorgau.people.models import Person

from ..models import Case
from ..services import do_accept_referral, do_add_child, do_refer_case
from .factories import CaseWorld

WEEK = dt.timedelta(days=7)


def sees(user, person: Person, action: str = "view") -> bool:
    return Person.objects.visible_to(user, action).filter(pk=person.pk).exists()


def test_the_owner_keeps_the_victims_record_after_the_signal_is_no_longer_shared(
    world: CaseWorld, client: Client
) -> None:
    intake = make_intake_world(world.p)
    signal = intake.register()
    grant = do_grant_access(
        actor=intake.officer,
        obj=signal,
        agency=world.centre,
        purpose="referral",
        sections=["summary"],
        expires_at=timezone.now() + WEEK,
        reason="Victim support",
    )
    case = world.open(victim=None, signal=signal)
    do_revoke_grant(actor=intake.officer, grant=grant, reason="Referral ended")

    assert sees(world.worker, intake.victim)  # through the case the centre owns
    assert not sees(world.worker, intake.victim, "change")  # read-only: the police's record
    assert not sees(world.worker, intake.offender)  # the signal's other parties are not the case's
    assert not sees(world.shymkent_worker, intake.victim)
    otp_login(client, world.worker)
    page = client.get(reverse("people:person_detail", args=[intake.victim.pk]))
    assert page.status_code == 200
    assert case.code


def test_a_referred_agency_does_not_open_the_person_records(world: CaseWorld) -> None:
    intake = make_intake_world(world.p)
    signal = intake.register()
    do_grant_access(
        actor=intake.officer,
        obj=signal,
        agency=world.centre,
        purpose="referral",
        sections=["summary"],
        expires_at=timezone.now() + WEEK,
        reason="Victim support",
    )
    case = world.open(victim=None, signal=signal)
    child = world.person("Seitkali", "Ayan", birth_date=dt.date(2015, 5, 1), sex="M")
    do_add_child(actor=world.worker, case=case, person=child, needs=["education"])
    referral = do_refer_case(
        actor=world.worker,
        case=case,
        to_agency=world.support,
        purpose="legal",
        legal_mandate="Law on prevention of domestic violence, art. 15",
        mandate_reason="Immediate danger to life",
    )
    do_accept_referral(actor=world.support_worker, referral=referral)

    assert Case.objects.visible_to(world.support_worker).filter(pk=case.pk).exists()  # the case, shared
    assert not sees(world.support_worker, intake.victim)  # but not the person records behind it
    assert not sees(world.support_worker, child)
    assert sees(world.worker, child)
