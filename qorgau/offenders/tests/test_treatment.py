"""The treatment procedure: deadlines from the rules, the queue of the agency that owes each step, a step
out of order refused with a clear message, each agency recording only its own step, time in each step."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qorgau.core.models import AuditEvent as Audit

from ..home import QUEUES
from ..models import TreatmentReferral, TreatmentStep, TreatmentStepRule
from ..queries import overdue_steps, steps_owed, unexecuted_decisions
from ..services import do_advance_treatment, do_flag_overdue_steps
from .factories import OffenderWorld

pytestmark = pytest.mark.django_db


def test_starting_sets_the_first_deadline_from_the_rule_and_the_police_owes_it(ow: OffenderWorld) -> None:
    referral = ow.start()
    rule = TreatmentStepRule.effective("grounds", timezone.now())
    assert referral.status == TreatmentStep.GROUNDS
    assert referral.step_rule == rule
    assert referral.owed_agency == ow.inspector.agency
    assert referral.step_due is not None
    assert abs((referral.step_due - referral.started_at) - dt.timedelta(days=rule.days)) < dt.timedelta(
        seconds=1
    )
    assert list(steps_owed(ow.inspector)) == [referral]
    assert Audit.objects.filter(action="treatmentreferral.start", object_id=str(referral.pk)).count() == 1


def test_each_step_moves_the_deadline_to_the_agency_that_owes_the_next(ow: OffenderWorld) -> None:
    referral = ow.advance_to(ow.start(), "examination")
    assert referral.owed_agency == ow.health
    assert referral.step_rule is not None and referral.step_rule.step == "examination"
    assert list(steps_owed(ow.narcologist)) == [referral]
    assert list(steps_owed(ow.inspector)) == []
    referral = ow.advance_to(referral, "decision")
    assert referral.owed_agency == ow.facility.agency
    assert list(steps_owed(ow.facility_manager)) == [referral]


def test_overdue_steps_are_in_the_owing_agencys_queue_only(ow: OffenderWorld) -> None:
    referral = ow.advance_to(ow.start(), "examination")
    TreatmentReferral.objects.filter(pk=referral.pk).update(step_due=timezone.now() - dt.timedelta(days=1))
    assert [r.pk for r in overdue_steps(ow.narcologist)] == [referral.pk]
    assert list(overdue_steps(ow.inspector)) == []
    queue = next(q for q in QUEUES if q.key == "treatment-owed")
    assert [r.pk for r in queue.items(ow.narcologist)] == [referral.pk]
    assert "(overdue)" in queue.describe(queue.items(ow.narcologist)[0])
    flagged = do_flag_overdue_steps()
    assert [r.pk for r in flagged] == [referral.pk]
    assert do_flag_overdue_steps() == []  # safe to run twice


def test_a_step_out_of_order_is_refused_with_the_steps_allowed(ow: OffenderWorld) -> None:
    referral = ow.start()
    with pytest.raises(ValidationError) as caught:
        do_advance_treatment(
            actor=ow.inspector, referral=referral, to="admitted", documents=["admission_record"]
        )
    message = caught.value.message_dict["to"][0]
    assert "cannot go to" in message and "admitted to a drug treatment facility" in message
    assert "referred to a narcological examination" in message
    referral.refresh_from_db()
    assert referral.status == TreatmentStep.GROUNDS


def test_only_the_owing_agency_records_its_step(ow: OffenderWorld) -> None:
    referral = ow.advance_to(ow.start(), "examination")
    # The inspector cannot enter the medical conclusion: his role lacks the action.
    with pytest.raises(PermissionDenied):
        do_advance_treatment(
            actor=ow.inspector, referral=referral, to="conclusion", documents=["medical_conclusion"]
        )


def test_the_documents_checklist_is_enforced(ow: OffenderWorld) -> None:
    referral = ow.start()
    with pytest.raises(ValidationError) as caught:
        do_advance_treatment(actor=ow.inspector, referral=referral, to="examination", health_agency=ow.health)
    assert "referral to the narcological examination" in caught.value.message_dict["documents"][0]


def test_time_in_each_step_is_kept_and_waiting_counts_as_unexecuted(ow: OffenderWorld) -> None:
    referral = ow.advance_to(ow.start(), "decision")
    TreatmentReferral.objects.filter(pk=referral.pk).update(
        status_since=timezone.now() - dt.timedelta(days=3)
    )
    referral.refresh_from_db()
    referral = do_advance_treatment(
        actor=ow.facility_manager, referral=referral, to="waiting", reason="no_bed"
    )
    last = referral.steps.order_by("-id").first()
    assert last is not None
    assert last.from_status == "decision" and last.category == "capacity"
    assert 3 * 86400 - 5 <= last.seconds_in_step <= 3 * 86400 + 60
    rows = unexecuted_decisions(ow.analyst)
    assert [(r["region__code"], r["wait_reason"], r["count"]) for r in rows] == [("KZ-71", "no_bed", 1)]


def test_a_second_referral_for_the_same_person_is_refused_while_one_is_in_progress(ow: OffenderWorld) -> None:
    ow.start()
    with pytest.raises(ValidationError) as caught:
        ow.start()
    assert "already in progress" in caught.value.message_dict["offender"][0]


def test_the_full_path_ends_with_the_result(ow: OffenderWorld) -> None:
    referral = ow.advance_to(ow.start(), "never")
    assert referral.status == TreatmentStep.ENDED
    assert referral.result == "completed" and referral.owed_agency is None and referral.step_due is None
    assert [s.to_status for s in referral.steps.all()] == [
        "grounds",
        "examination",
        "conclusion",
        "application",
        "decision",
        "waiting",
        "admitted",
        "ended",
    ]
