"""Safety plans (versions, review date), children, goals, services by qualified specialists, sessions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qorgau.core.models import AuditEvent

from ..models import CaseService, SafetyPlan, ServiceSession
from ..services import (
    do_add_child,
    do_add_qualification,
    do_assign_service,
    do_record_safety_plan,
    do_record_session,
)
from .factories import CaseWorld

WEEK = dt.timedelta(days=7)


def test_each_safety_plan_recording_is_a_new_version_and_old_ones_are_kept(world: CaseWorld) -> None:
    case = world.open()
    due = timezone.localdate() + WEEK
    first = do_record_safety_plan(
        actor=world.worker,
        case=case,
        review_due=due,
        safe_contacts="Sister",
        safe_place="Sister's flat",
        documents_ready=True,
        code_word="tulip",
        hotline_numbers="150, 111",
    )
    second = do_record_safety_plan(actor=world.worker, case=case, review_due=due, safe_place="Crisis centre")
    assert (first.version, second.version) == (1, 2)
    assert list(SafetyPlan.objects.filter(case=case).values_list("version", flat=True)) == [2, 1]
    assert SafetyPlan.objects.get(pk=first.pk).code_word == "tulip"


def test_a_safety_plan_needs_a_future_review_date_and_a_safe_contact_or_place(world: CaseWorld) -> None:
    case = world.open()
    with pytest.raises(ValidationError) as error:
        do_record_safety_plan(actor=world.worker, case=case, review_due=timezone.localdate() - WEEK)
    assert set(error.value.message_dict) == {"review_due", "safe_place"}


def test_a_missing_qualification_blocks_the_service_with_a_clear_message(world: CaseWorld) -> None:
    case = world.open()
    specialist = world.specialist(kind="psychological", valid_until=timezone.localdate() + WEEK)
    with pytest.raises(ValidationError) as error:
        do_assign_service(actor=world.worker, case=case, type="legal", specialist=specialist)
    assert "no qualification for legal help" in error.value.message_dict["specialist"][0]
    assert not CaseService.objects.exists()


def test_an_expired_qualification_blocks_the_service(world: CaseWorld) -> None:
    case = world.open()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    specialist = world.specialist(kind="legal", valid_until=yesterday)
    with pytest.raises(ValidationError) as error:
        do_assign_service(actor=world.worker, case=case, type="legal", specialist=specialist)
    assert "expired" in error.value.message_dict["specialist"][0]
    assert not CaseService.objects.exists()
    world.qualify(specialist, "legal", timezone.localdate() + WEEK)  # the renewal unblocks it
    service = do_assign_service(actor=world.worker, case=case, type="legal", specialist=specialist)
    assert service.specialist == specialist


def test_a_qualification_valid_today_does_not_cover_a_service_starting_after_it_ends(
    world: CaseWorld,
) -> None:
    case = world.open()
    specialist = world.specialist(kind="legal", valid_until=timezone.localdate() + dt.timedelta(days=2))
    with pytest.raises(ValidationError):
        do_assign_service(
            actor=world.worker,
            case=case,
            type="legal",
            specialist=specialist,
            starts_on=timezone.localdate() + WEEK,
        )


def test_a_specialist_does_not_record_their_own_qualification(world: CaseWorld) -> None:
    specialist = world.specialist(full_name="", user=world.lawyer)
    with pytest.raises(PermissionDenied):
        do_add_qualification(
            actor=world.lawyer,
            specialist=specialist,
            kind="legal",
            document_number="X",
            issuer="Y",
            valid_until=timezone.localdate() + WEEK,
        )


def test_the_specialist_records_sessions_of_the_services_they_deliver(world: CaseWorld) -> None:
    case = world.open()
    specialist = world.specialist(full_name="", user=world.lawyer, valid_until=timezone.localdate() + WEEK)
    service = do_assign_service(actor=world.worker, case=case, type="legal", specialist=specialist)
    session = do_record_session(
        actor=world.lawyer,
        service=service,
        held_on=timezone.localdate(),
        duration_minutes=45,
        outcome="Statement of claim drafted",
    )
    assert ServiceSession.objects.visible_to(world.lawyer).get() == session
    row = AuditEvent.objects.get(action="service_session.record")
    assert "claim" not in str(row.changes) and row.subject_agency_id == world.centre.pk
    with pytest.raises(ValidationError) as error:
        do_record_session(
            actor=world.lawyer, service=service, held_on=timezone.localdate(), duration_minutes=0, outcome=""
        )
    assert set(error.value.message_dict) == {"duration_minutes", "outcome"}
    other = do_assign_service(
        actor=world.worker,
        case=case,
        type="legal",
        specialist=world.specialist(valid_until=timezone.localdate() + WEEK),
    )
    with pytest.raises(PermissionDenied):  # not the lawyer's service, not their case
        do_record_session(
            actor=world.lawyer, service=other, held_on=timezone.localdate(), duration_minutes=30, outcome="x"
        )


def test_children_are_persons_linked_with_their_own_needs(world: CaseWorld) -> None:
    case = world.open()
    child_person = world.person("Seitkali", "Arman", birth_date=dt.date(2016, 5, 1), sex="M")
    child = do_add_child(
        actor=world.worker, case=case, person=child_person, needs=["education", "psychological"]
    )
    assert child.needs == ["education", "psychological"]
    with pytest.raises(ValidationError):
        do_add_child(actor=world.worker, case=case, person=child_person)
    with pytest.raises(ValidationError):
        do_add_child(actor=world.worker, case=case, person=world.victim)
    specialist = world.specialist(kind="psychological", valid_until=timezone.localdate() + WEEK)
    service = do_assign_service(
        actor=world.worker, case=case, type="psychological", specialist=specialist, child=child
    )
    assert service.child == child
