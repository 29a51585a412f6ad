"""The risk conference: the agenda from waiting referrals (oldest first), the record, actions assigned to
agencies, completion by the agency only, the overdue queue by agency, and each case's history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qorgau.core.models import AgencyType, AuditEvent
from qorgau.core.permissions import Scope
from qorgau.core.testing import AgencyFactory, DistrictFactory, role

from ..models import ConferenceReferral, ReferralStatus
from ..queries import actions_for_my_agency, conference_history, overdue_by_agency, referrals_waiting
from ..services import (
    do_add_action,
    do_build_agenda,
    do_complete_action,
    do_record_meeting,
    do_save_assessment,
    do_schedule_conference,
    do_start_assessment,
)
from .factories import RiskWorld, answers, make_person, new_user

pytestmark = pytest.mark.django_db


def referred(world: RiskWorld, days_ago: int, surname: str) -> ConferenceReferral:
    victim = make_person(world.p.astana_police, surname, "Aigul", sex="F")
    assessment = world.complete(18, assessment=world.start(victim=victim))
    ConferenceReferral.objects.filter(assessment=assessment).update(
        referred_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    return ConferenceReferral.objects.get(assessment=assessment)


def test_the_agenda_lists_waiting_referrals_of_the_district_oldest_first(world: RiskWorld) -> None:
    newer, oldest, middle = (
        referred(world, 1, "Bekova"),
        referred(world, 20, "Alieva"),
        referred(world, 5, "Dosova"),
    )
    other_district = DistrictFactory.create(region=world.p.astana, code="KZ71-SARY", name_en="Saryarka")
    elsewhere = referred(world, 30, "Esova")
    ConferenceReferral.objects.filter(pk=elsewhere.pk).update(district=other_district)
    assert [r.pk for r in referrals_waiting(world.chair)][:3] == [elsewhere.pk, oldest.pk, middle.pk]
    conference = world.conference()
    listed = do_build_agenda(actor=world.chair, conference=conference)
    assert [r.pk for r in listed] == [oldest.pk, middle.pk, newer.pk]
    assert set(conference.referrals.values_list("status", flat=True)) == {ReferralStatus.LISTED}
    assert ConferenceReferral.objects.get(pk=elsewhere.pk).status == ReferralStatus.WAITING
    assert do_build_agenda(actor=world.chair, conference=conference) == []  # nothing waits twice


def test_only_a_chair_in_the_region_schedules(world: RiskWorld) -> None:
    with pytest.raises(PermissionDenied):
        do_schedule_conference(
            actor=world.inspector, district=world.district, date=timezone.localdate(), legal_mandate="x"
        )
    shymkent = DistrictFactory.create(region=world.p.shymkent, code="KZ79-ABAI", name_en="Abai")
    with pytest.raises(ValidationError) as exc:
        do_schedule_conference(
            actor=world.chair, district=shymkent, date=timezone.localdate(), legal_mandate="x"
        )
    assert "district" in exc.value.message_dict
    world.conference()
    with pytest.raises(ValidationError) as exc:
        world.conference()
    assert "date" in exc.value.message_dict


def test_the_record_actions_and_their_completion(world: RiskWorld) -> None:
    referral = referred(world, 3, "Alieva")
    conference = world.conference()
    do_build_agenda(actor=world.chair, conference=conference)
    with pytest.raises(ValidationError) as exc:
        do_record_meeting(
            actor=world.chair, conference=conference, agencies_present=[], information_shared=""
        )
    assert set(exc.value.message_dict) == {"agencies_present", "information_shared"}
    do_record_meeting(
        actor=world.chair,
        conference=conference,
        agencies_present=[world.p.astana_police, world.centre],
        information_shared="Two call-outs this month; the children attend school 12.",
        discussions={referral.pk: "Safety plan with the crisis centre."},
    )
    referral.refresh_from_db()
    assert (referral.status, referral.discussion) == (
        ReferralStatus.DISCUSSED,
        "Safety plan with the crisis centre.",
    )
    action = do_add_action(
        actor=world.chair,
        conference=conference,
        referral=referral,
        agency=world.centre,
        owner=world.worker,
        description="Offer a place at the crisis centre.",
        due_date=timezone.localdate() + dt.timedelta(days=3),
    )
    assert list(actions_for_my_agency(world.worker)) == [action]
    assert list(actions_for_my_agency(world.inspector)) == []
    with pytest.raises(PermissionDenied):
        do_complete_action(actor=world.inspector, action=action, note="done")  # not their agency's
    with pytest.raises(ValidationError):
        do_complete_action(actor=world.worker, action=action, note=" ")
    done = do_complete_action(actor=world.worker, action=action, note="She accepted a place.")
    assert done.is_done and done.completed_by == world.worker
    assert AuditEvent.objects.filter(action="conferenceaction.complete", object_id=str(action.pk)).exists()
    history = conference_history(world.chair, victim=referral.victim)
    assert [r.pk for r in history] == [referral.pk]
    assert [a.pk for a in history[0].actions.all()] == [action.pk]


def test_the_chairs_queue_shows_overdue_actions_by_agency(world: RiskWorld) -> None:
    referral = referred(world, 40, "Alieva")
    conference = world.conference(date=timezone.localdate() - dt.timedelta(days=30))
    do_build_agenda(actor=world.chair, conference=conference)
    health = AgencyFactory.create(name="Astana Polyclinic 4", type=AgencyType.HEALTH, region=world.p.astana)
    due = {"late": -5, "later": -1, "due_today": 0, "future": 10}

    def action(agency: Any, days: int) -> Any:
        return do_add_action(
            actor=world.chair,
            conference=conference,
            referral=referral,
            agency=agency,
            description="x",
            due_date=timezone.localdate() + dt.timedelta(days=days),
        )

    late_centre = action(world.centre, due["late"])
    late_health = action(health, due["later"])
    action(world.centre, due["due_today"])
    action(health, due["future"])
    done = action(health, due["late"])
    doctor = new_user(username="dr", agency=health, role=role("doctor"), scope=Scope.AGENCY)
    do_complete_action(actor=doctor, action=done, note="Examined.")
    groups = {group.agency.pk: [a.pk for a in group.actions] for group in overdue_by_agency(world.chair)}
    assert groups == {world.centre.pk: [late_centre.pk], health.pk: [late_health.pk]}
    assert overdue_by_agency(world.p.shymkent_worker) == []


def test_a_case_assessment_refers_with_the_case_and_shows_in_its_history(world: RiskWorld) -> None:
    case = world.case()
    draft = do_start_assessment(actor=world.worker, victim=case.victim, case=case)
    done = do_save_assessment(
        actor=world.worker, assessment=draft, answers=answers(draft.version, 14), complete=True
    )
    referral = done.referral
    assert (referral.case, referral.signal, referral.district, referral.agency) == (
        case,
        None,
        world.district,
        world.centre,
    )
    assert [r.pk for r in conference_history(world.worker, case=case)] == [referral.pk]
    assert [r.pk for r in referrals_waiting(world.chair)] == [referral.pk]
