"""Opening, assigning, assessing, closing and reopening a case; the state follows what was recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qorgau.core.grants import do_grant_access
from qorgau.core.models import AuditEvent
from qorgau.intake.tests.factories import make_world as make_intake_world
from qorgau.people.models import Person

from ..models import Case, CaseClosure, CaseState, OpenedVia
from ..services import (
    compute_state,
    do_add_goal,
    do_assign_case,
    do_assign_service,
    do_close_case,
    do_record_assessment,
    do_record_safety_plan,
    do_reopen_case,
)
from .factories import CaseWorld

NEXT_WEEK = dt.timedelta(days=7)


def test_self_referral_opens_a_case_with_a_code_assigned_to_the_worker(world: CaseWorld) -> None:
    case = world.open()
    assert case.code == f"CASE-{case.pk:06d}" and str(case) == case.code
    assert case.opened_via == OpenedVia.SELF_REFERRAL
    assert (case.agency, case.region, case.assigned_to) == (world.centre, world.p.astana, world.worker)
    assert case.state == CaseState.OPEN


def test_the_same_person_found_again_by_iin_gets_no_second_record_and_no_second_open_case(
    world: CaseWorld,
) -> None:
    victim = world.person("Omarova", "Gulim", iin="900301400010")
    again = world.person("Omarova", "Gulim", iin="900301400010")
    assert again.pk == victim.pk and Person.objects.filter(iin_hash=victim.iin_hash).count() == 1
    case = world.open(victim=victim)
    with pytest.raises(ValidationError) as error:
        world.open(victim=again)
    assert case.code in str(error.value)


def test_a_person_the_worker_does_not_see_cannot_be_made_a_victim(world: CaseWorld) -> None:
    stranger = Person.objects.create(surname="X", given_name="Y", agency=world.p.shymkent_crisis)
    with pytest.raises(ValidationError) as error:
        world.open(victim=stranger)
    assert "victim" in error.value.message_dict
    assert not Case.objects.exists()


def test_a_case_opens_from_the_victim_of_a_signal_shared_with_the_centre(world: CaseWorld) -> None:
    intake = make_intake_world(world.p)
    signal = intake.register()
    with pytest.raises(PermissionDenied):  # the centre does not see the police's signal
        world.open(victim=None, signal=signal)
    do_grant_access(
        actor=intake.officer,
        obj=signal,
        agency=world.centre,
        purpose="referral",
        sections=["summary"],
        expires_at=timezone.now() + NEXT_WEEK,
        reason="Victim support",
    )
    case = world.open(victim=None, signal=signal)
    assert (case.victim, case.signal, case.opened_via) == (intake.victim, signal, OpenedVia.SIGNAL)
    with pytest.raises(ValidationError):  # the offender is not a victim of the signal
        world.open(victim=intake.offender, signal=signal)


def test_without_the_action_nobody_opens_a_case(world: CaseWorld) -> None:
    with pytest.raises(PermissionDenied):
        world.open(actor=world.lawyer)


def test_the_state_follows_what_was_recorded(world: CaseWorld) -> None:
    case = world.open()
    states = [case.state]
    case = do_record_assessment(actor=world.worker, case=case, needs=["legal", "psychological"])
    states.append(case.state)
    do_record_safety_plan(
        actor=world.worker, case=case, review_due=timezone.localdate() + NEXT_WEEK, safe_place="Sister"
    )
    states.append(Case.objects.get(pk=case.pk).state)
    do_add_goal(actor=world.worker, case=case, description="Protective order obtained")
    states.append(Case.objects.get(pk=case.pk).state)
    specialist = world.specialist(valid_until=timezone.localdate() + NEXT_WEEK)
    do_assign_service(actor=world.worker, case=case, type="legal", specialist=specialist)
    states.append(Case.objects.get(pk=case.pk).state)
    case = do_close_case(actor=world.worker, case=case, outcome="goals_met", reason="Order issued, safe")
    states.append(case.state)
    assert states == ["open", "assessment", "safety_plan", "case_plan", "services", "closed"]
    assert compute_state(case) == case.state


def test_closure_requires_an_outcome_and_a_reason(world: CaseWorld) -> None:
    case = world.open()
    with pytest.raises(ValidationError) as error:
        do_close_case(actor=world.worker, case=case, outcome="", reason="")
    assert set(error.value.message_dict) == {"outcome", "reason"}
    assert Case.objects.get(pk=case.pk).closed_at is None
    assert not AuditEvent.objects.filter(action="case.close").exists()


def test_reopening_keeps_the_closure_history_and_starts_the_workflow_again(world: CaseWorld) -> None:
    case = world.open()
    do_record_assessment(actor=world.worker, case=case, needs=["legal"])
    case = do_close_case(actor=world.worker, case=case, outcome="declined", reason="Declined further help")
    with pytest.raises(ValidationError):  # closed: nothing is recorded until it is reopened
        do_add_goal(actor=world.worker, case=case, description="x")
    with pytest.raises(ValidationError):
        do_reopen_case(actor=world.worker, case=case, reason="")
    case = do_reopen_case(actor=world.worker, case=case, reason="New incident reported")
    assert case.state == CaseState.REOPENED and case.closed_at is None and case.outcome == ""
    closure = CaseClosure.objects.get(case=case)
    assert (closure.outcome, closure.reopened_by, closure.reopen_reason) == (
        "declined",
        world.worker,
        "New incident reported",
    )
    do_record_assessment(actor=world.worker, case=case, needs=["legal"])
    assert Case.objects.get(pk=case.pk).state == CaseState.ASSESSMENT
    do_close_case(actor=world.worker, case=case, outcome="safe", reason="Safe now")
    assert CaseClosure.objects.filter(case=case).count() == 2


def test_assignment_only_to_a_worker_of_the_owning_agency(world: CaseWorld) -> None:
    case = world.open()
    with pytest.raises(ValidationError):
        do_assign_case(actor=world.worker, case=case, assignee=world.support_worker)
    case = do_assign_case(actor=world.worker, case=case, assignee=world.colleague)
    assert case.assigned_to == world.colleague


def test_audit_rows_name_the_case_by_code_never_the_victim(world: CaseWorld) -> None:
    case = world.open()
    do_record_assessment(actor=world.worker, case=case, needs=["legal"], notes="Seitkali told us everything")
    do_record_safety_plan(
        actor=world.worker,
        case=case,
        review_due=timezone.localdate() + NEXT_WEEK,
        safe_contacts="Seitkali Asem +7 701 000 0000",
        code_word="blue tulip",
    )
    do_close_case(actor=world.worker, case=case, outcome="safe", reason="Safe")
    rows = AuditEvent.objects.filter(object_type__startswith="cases.")
    assert {"case.open", "case.assess", "safety_plan.record", "case.close"} <= set(
        rows.values_list("action", flat=True)
    )
    for row in rows:
        dump = f"{row.object_repr} {row.changes}"
        assert (
            "Seitkali" not in dump and "Aigerim" not in dump and "blue tulip" not in dump and "+7" not in dump
        )
        assert row.subject_agency_id == world.centre.pk
    assert rows.get(action="case.open").object_repr == case.code
