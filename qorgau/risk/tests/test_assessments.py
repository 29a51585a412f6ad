"""Assessments: drafts finished later, who may assess what, the conference criteria from real history,
and who sees an assessment (scope, and a case's referral that opens the "assessment" section)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qorgau.core.grants import do_grant_access
from qorgau.core.models import AgencyType, AuditEvent
from qorgau.core.permissions import Scope
from qorgau.core.testing import AgencyFactory, role

from ..models import Answer, Assessment, AssessmentStatus
from ..services import do_build_agenda, do_record_meeting, do_save_assessment, do_start_assessment
from .factories import RiskWorld, answers, dash, make_person, new_user

pytestmark = pytest.mark.django_db


def criterion(assessment: Assessment, code: str) -> dict:
    return next(c for c in assessment.criteria if c["code"] == code)


def test_a_draft_is_saved_partly_answered_and_completed_later(world: RiskWorld) -> None:
    draft = world.start()
    items = answers(draft.version, 14)
    first = dict(list(items.items())[:10])
    saved = do_save_assessment(actor=world.inspector, assessment=draft, answers=first)
    assert saved.status == AssessmentStatus.DRAFT
    assert Answer.objects.filter(assessment=draft).count() == 10
    with pytest.raises(ValidationError) as exc:
        do_save_assessment(actor=world.inspector, assessment=draft, answers={}, complete=True)
    assert "14 left" in exc.value.message_dict["answers"][0]
    done = do_save_assessment(actor=world.inspector, assessment=draft, answers=items, complete=True)
    assert (done.status, done.score, done.final_band) == (AssessmentStatus.COMPLETED, 14, "high")
    assert done.completed_at is not None and done.assessed_by == world.inspector
    event = AuditEvent.objects.get(action="assessment.complete", object_id=str(done.pk))
    assert event.changes["score"] == 14
    with pytest.raises(ValidationError):
        do_save_assessment(actor=world.inspector, assessment=done, answers=items)


def test_answers_must_be_on_the_scale_and_of_the_version(world: RiskWorld) -> None:
    draft = world.start()
    with pytest.raises(ValidationError):
        do_save_assessment(actor=world.inspector, assessment=draft, answers={"injury": "maybe"})
    with pytest.raises(ValidationError):
        do_save_assessment(actor=world.inspector, assessment=draft, answers={10**6: "yes"})
    saved = do_save_assessment(actor=world.inspector, assessment=draft, answers={"injury": "yes"})
    assert saved.answers.get().item.code == "injury"


def test_the_victim_must_be_a_victim_of_the_signal(world: RiskWorld) -> None:
    with pytest.raises(ValidationError) as exc:
        do_start_assessment(actor=world.inspector, victim=world.offender, signal=world.signal())
    assert "victim" in exc.value.message_dict


def test_roles_without_the_action_and_other_regions_cannot_assess(world: RiskWorld) -> None:
    signal = world.signal()
    with pytest.raises(PermissionDenied):
        do_start_assessment(actor=world.officer, victim=world.victim, signal=signal)  # risk.view only
    with pytest.raises(PermissionDenied):
        do_start_assessment(actor=world.p.shymkent_worker, victim=world.victim, signal=signal)
    draft = world.start(signal)
    with pytest.raises(PermissionDenied):
        do_save_assessment(actor=world.p.shymkent_worker, assessment=draft, answers={"injury": "yes"})


def test_a_case_worker_assesses_the_victim_of_a_case(world: RiskWorld) -> None:
    case = world.case()
    assessment = do_start_assessment(actor=world.worker, victim=case.victim, case=case)
    assert Assessment.objects.visible_to(world.worker).filter(pk=assessment.pk).exists()
    assert not Assessment.objects.visible_to(world.inspector).filter(pk=assessment.pk).exists()
    with pytest.raises(ValidationError):
        do_start_assessment(actor=world.worker, victim=world.victim, case=case)


def test_escalation_counts_the_victims_signals_in_the_window(world: RiskWorld) -> None:
    world.signal(days_ago=100)
    world.signal(days_ago=400)  # outside the 365 days
    two = world.complete(3)
    assert criterion(two, "escalation")["met"] is False
    assert criterion(two, "escalation")["params"] == {"count": 2, "needed": 3, "days": 365}
    assert not two.refer
    world.signal(days_ago=300)
    three = world.complete(3, assessment=world.start(two.signal))  # the same incident, reassessed
    assert criterion(three, "escalation")["met"] is True
    assert criterion(three, "escalation")["params"]["count"] == 3
    assert three.refer and three.referral.criteria == ["escalation"]


def test_other_victims_signals_do_not_count(world: RiskWorld) -> None:
    other = make_person(world.p.astana_police, "Abenova", "Zhanar", sex="F")
    world.signal(days_ago=10, victim=other)
    world.signal(days_ago=20, victim=other)
    assert criterion(world.complete(0), "escalation")["params"]["count"] == 1


@pytest.mark.parametrize(("days_ago", "met"), [(100, True), (400, False)])
def test_a_repeat_incident_within_12_months_of_the_last_conference(
    world: RiskWorld, days_ago: int, met: bool
) -> None:
    first = world.complete(20)
    conference = world.conference(date=timezone.localdate() - dt.timedelta(days=days_ago))
    assert [r.pk for r in do_build_agenda(actor=world.chair, conference=conference)] == [first.referral.pk]
    do_record_meeting(
        actor=world.chair,
        conference=conference,
        agencies_present=[world.p.astana_police],
        information_shared="x",
    )
    again = world.complete(2)
    assert criterion(again, "repeat")["met"] is met
    assert criterion(again, "repeat")["params"]["last"] == conference.date.isoformat()
    assert again.refer is met


def test_a_case_referral_opens_assessments_only_with_the_assessment_section(world: RiskWorld) -> None:
    case = world.case()
    assessment = do_start_assessment(actor=world.worker, victim=case.victim, case=case)
    legal = AgencyFactory.create(name="Astana Legal Aid", type=AgencyType.NGO, region=world.p.astana)
    lawyer = new_user(username="madina", agency=legal, role=role("case_worker"), scope=Scope.AGENCY)
    visible = Assessment.objects.visible_to(lawyer)
    assert not visible.filter(pk=assessment.pk).exists()
    expires = timezone.now() + dt.timedelta(days=30)
    do_grant_access(
        actor=world.worker,
        obj=case,
        agency=legal,
        purpose="referral",
        sections=["summary"],
        expires_at=expires,
        reason="legal aid",
    )
    assert not Assessment.objects.visible_to(lawyer).filter(pk=assessment.pk).exists()
    do_grant_access(
        actor=world.worker,
        obj=case,
        agency=legal,
        purpose="referral",
        sections=["summary", "assessment"],
        expires_at=expires,
        reason="legal aid",
    )
    assert Assessment.objects.visible_to(lawyer).filter(pk=assessment.pk).exists()
    assert not Assessment.objects.visible_to(lawyer, "assess").filter(pk=assessment.pk).exists()
    assert Assessment.objects.visible_to(world.worker).count() == 1  # the union adds no duplicates


def test_the_version_used_is_kept(world: RiskWorld) -> None:
    assert world.complete(1).version == dash()
