import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from qorgau.core.models import AgencyType, AuditEvent

from .. import flows
from ..models import Outcome, OutcomeKind, ProtectiveOrder, Signal, SignalStatus
from ..queries import overdue
from ..services import (
    do_assign_signal,
    do_issue_protective_order,
    do_record_first_contact,
    do_record_outcome,
    do_record_victim_declined,
)
from .factories import World, new_agency, new_user


def test_it_assigns_an_inspector_and_audits_old_and_new(world: World) -> None:
    signal = world.register()
    signal = do_assign_signal(actor=world.officer, signal=signal, assignee=world.inspector)
    assert signal.assigned_to == world.inspector and signal.status == SignalStatus.IN_PROGRESS
    event = AuditEvent.objects.get(action="signal.assign")
    assert event.changes == {
        "assigned_to": {"old": None, "new": world.inspector.pk},
        "status": {"old": "registered", "new": "in_progress"},
    }


def test_it_refuses_an_assignee_outside_the_regions_police(world: World) -> None:
    signal = world.register()
    for assignee in (world.shymkent_officer, world.p.astana_chair):
        with pytest.raises(ValidationError) as exc:
            do_assign_signal(actor=world.officer, signal=signal, assignee=assignee)
        assert "assigned_to" in exc.value.message_dict


def test_an_out_of_scope_signal_cannot_be_changed(world: World) -> None:
    signal = world.register()
    with pytest.raises(PermissionDenied):
        do_assign_signal(actor=world.shymkent_officer, signal=signal, assignee=None)


def test_the_victim_declining_is_a_fact_that_does_not_close_the_signal(world: World) -> None:
    signal = world.register(received_at=timezone.now() - dt.timedelta(days=11))
    signal = do_record_victim_declined(actor=world.officer, signal=signal, note="does not want to file")

    signal.refresh_from_db()
    assert signal.victim_declined and signal.victim_declined_note == "does not want to file"
    assert signal.status != SignalStatus.CLOSED and signal.outcome is None
    assert overdue(Signal.objects.filter(pk=signal.pk)).exists()  # its deadlines still run
    assert AuditEvent.objects.filter(action="signal.victim_declined").exists()
    assert "victim_declined" not in OutcomeKind.values


def test_first_contact_is_recorded_and_not_before_receipt(world: World) -> None:
    signal = world.register()
    with pytest.raises(ValidationError) as exc:
        do_record_first_contact(
            actor=world.officer, signal=signal, contacted_at=signal.received_at - dt.timedelta(hours=1)
        )
    assert exc.value.message_dict["first_contact_at"] == [
        "This time cannot be before the signal was received."
    ]
    do_record_first_contact(actor=world.officer, signal=signal, contacted_at=timezone.now())
    signal.refresh_from_db()
    assert signal.first_contact_at is not None and signal.status == SignalStatus.IN_PROGRESS


@pytest.mark.parametrize(
    ("kind", "fields", "errors"),
    [
        (
            OutcomeKind.CRIMINAL_CASE,
            {},
            {"article": ["Enter the article."], "case_number": ["Enter the criminal case number."]},
        ),
        (
            OutcomeKind.CRIMINAL_CASE,
            {"article": "art. 108", "case_number": "1"},
            {"article": ["Enter an article number such as 73 or 108-1."]},
        ),
        (OutcomeKind.ADMIN_PROTOCOL, {"article": "73"}, {"part": ["Enter the part of article 73."]}),
        (
            OutcomeKind.PROTECTIVE_ORDER,
            {},
            {"kind": ["Issue the protective order first; then record it as a measure."]},
        ),
        (OutcomeKind.SPECIAL_REQUIREMENTS, {}, {"details": ["Describe the special requirements requested."]}),
        (OutcomeKind.REFERRED, {}, {"referred_agency": ["Choose the agency the signal is referred to."]}),
        (
            OutcomeKind.REFERRED,
            {"referred_agency": "own"},
            {"referred_agency": ["Refer the signal to another agency, not the registering one."]},
        ),
        (OutcomeKind.NO_OFFENCE, {"reason": "  "}, {"reason": ["Give the reason why no offence was found."]}),
        ("victim_declined", {}, {"kind": ["Choose a valid outcome."]}),
    ],
)
def test_each_outcome_kind_requires_its_fields(world: World, kind: str, fields: dict, errors: dict) -> None:
    signal = world.register()
    if fields.get("referred_agency") == "own":
        fields["referred_agency"] = world.p.astana_police
    with pytest.raises(ValidationError) as exc:
        do_record_outcome(actor=world.inspector, signal=signal, kind=kind, **fields)
    assert exc.value.message_dict == errors
    signal.refresh_from_db()
    assert signal.status == SignalStatus.REGISTERED and not Outcome.objects.exists()


def test_a_criminal_case_closes_the_signal_and_is_audited(world: World) -> None:
    signal = world.register()
    outcome = do_record_outcome(
        actor=world.inspector,
        signal=signal,
        kind=OutcomeKind.CRIMINAL_CASE,
        article="108-1",
        part="1",
        case_number="241500031000123",
        reason="ignored for this kind",
    )
    signal.refresh_from_db()
    assert signal.status == SignalStatus.CLOSED and signal.outcome == outcome and signal.closed_at
    assert outcome.reason == ""  # fields of other kinds are not stored
    event = AuditEvent.objects.get(action="signal.outcome")
    assert event.changes["status"] == {"old": "registered", "new": "closed"}
    assert event.changes["outcome_kind"] == {"old": None, "new": "criminal_case"}
    assert event.changes["case_number"] == {"old": None, "new": "241500031000123"}


def test_other_outcome_kinds_are_recorded_with_their_fields(world: World) -> None:
    court = new_agency(name="Astana specialised court", type=AgencyType.COURT, region=world.p.astana)
    crisis = new_agency(name="Astana crisis centre", type=AgencyType.CRISIS_CENTRE, region=world.p.astana)
    cases: list[dict[str, Any]] = [
        {"kind": OutcomeKind.ADMIN_PROTOCOL, "article": "73", "part": "1", "case_number": "P-77"},
        {"kind": OutcomeKind.ADMIN_PROTOCOL, "article": "461"},
        {
            "kind": OutcomeKind.SPECIAL_REQUIREMENTS,
            "details": "no contact for 3 months",
            "referred_agency": court,
        },
        {"kind": OutcomeKind.REFERRED, "referred_agency": crisis},
        {"kind": OutcomeKind.NO_OFFENCE, "reason": "a loud quarrel, no violence"},
    ]
    for fields in cases:
        outcome = do_record_outcome(actor=world.inspector, signal=world.register(), **fields)
        assert outcome.kind == fields["kind"]


def test_a_protective_order_measure_records_the_order_and_leaves_the_signal_open(world: World) -> None:
    signal = world.register()
    order = do_issue_protective_order(
        actor=world.inspector, signal=signal, offender=world.offender, served_at=timezone.now()
    )
    measure = do_record_outcome(actor=world.inspector, signal=signal, kind=OutcomeKind.PROTECTIVE_ORDER)
    assert measure.kind == OutcomeKind.PROTECTIVE_ORDER and measure.order == order
    assert not measure.is_decisive
    signal.refresh_from_db()
    assert signal.status == SignalStatus.IN_PROGRESS and signal.outcome is None
    event = AuditEvent.objects.get(action="signal.measure")
    assert event.changes["measure_kind"] == {"old": None, "new": "protective_order"}
    assert event.changes["order"] == {"old": None, "new": order.pk}
    # the order is recorded once; a second measure for it is refused
    with pytest.raises(ValidationError) as exc:
        do_record_outcome(
            actor=world.inspector, signal=signal, kind=OutcomeKind.PROTECTIVE_ORDER, order=order
        )
    assert "order" in exc.value.message_dict


def test_an_order_and_a_protocol_for_one_incident_then_the_protocol_closes(world: World) -> None:
    signal = world.register()
    order, measure = flows.issue_protective_order(
        actor=world.inspector, signal=signal, offender=world.offender, served_at=timezone.now()
    )
    protocol = do_record_outcome(
        actor=world.inspector, signal=signal, kind=OutcomeKind.ADMIN_PROTOCOL, article="73", part="1"
    )
    signal.refresh_from_db()
    assert signal.status == SignalStatus.CLOSED and signal.outcome == protocol
    current = Outcome.objects.filter(signal=signal, superseded_at__isnull=True)
    assert set(current.values_list("kind", flat=True)) == {"protective_order", "admin_protocol"}
    assert measure.order == order


def test_a_failed_measure_leaves_no_order(world: World) -> None:
    signal = world.register()
    with pytest.raises(ValidationError) as exc:
        flows.issue_protective_order(
            actor=world.inspector,
            signal=signal,
            offender=world.offender,
            served_at=timezone.now(),
            decided_at=signal.received_at - dt.timedelta(days=1),
        )
    assert "decided_at" in exc.value.message_dict
    assert not ProtectiveOrder.objects.exists() and not Outcome.objects.exists()


def test_a_correction_keeps_the_earlier_measure_and_stays_of_its_sort(world: World) -> None:
    signal = world.register()
    court = new_agency(name="Astana specialised court", type=AgencyType.COURT, region=world.p.astana)
    first = do_record_outcome(
        actor=world.inspector,
        signal=signal,
        kind=OutcomeKind.SPECIAL_REQUIREMENTS,
        details="no contact",
        referred_agency=court,
    )
    with pytest.raises(ValidationError) as exc:
        do_record_outcome(
            actor=world.inspector,
            signal=signal,
            kind=OutcomeKind.NO_OFFENCE,
            reason="x",
            corrects=first,
            correction_reason="wrong",
        )
    assert "kind" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        do_record_outcome(
            actor=world.inspector,
            signal=signal,
            kind=OutcomeKind.SPECIAL_REQUIREMENTS,
            details="no contact, no visits",
            corrects=first,
        )
    assert exc.value.message_dict == {
        "correction_reason": ["Give the reason for correcting the earlier measure."]
    }
    second = do_record_outcome(
        actor=world.inspector,
        signal=signal,
        kind=OutcomeKind.SPECIAL_REQUIREMENTS,
        details="no contact, no visits",
        corrects=first,
        correction_reason="the court's wording",
    )
    first.refresh_from_db()
    assert first.superseded_at is not None and first.details == "no contact"
    assert second.corrects == first and second.correction_reason == "the court's wording"
    event = AuditEvent.objects.filter(action="signal.measure").order_by("-id").first()
    assert event is not None and event.reason == "the court's wording"
    assert event.changes["measure"] == {"old": first.pk, "new": second.pk}
    # a superseded measure cannot be corrected again
    with pytest.raises(ValidationError) as exc:
        do_record_outcome(
            actor=world.inspector,
            signal=signal,
            kind=OutcomeKind.SPECIAL_REQUIREMENTS,
            details="x",
            corrects=first,
            correction_reason="again",
        )
    assert "corrects" in exc.value.message_dict
    signal.refresh_from_db()
    assert signal.status != SignalStatus.CLOSED


def test_the_database_refuses_two_current_decisive_measures(world: World) -> None:
    signal = world.register()
    do_record_outcome(actor=world.inspector, signal=signal, kind=OutcomeKind.NO_OFFENCE, reason="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Outcome.objects.create(
            signal=signal,
            kind=OutcomeKind.ADMIN_PROTOCOL,
            article="73",
            decided_at=timezone.now(),
            recorded_by=world.inspector,
        )


def test_correcting_an_outcome_needs_a_reason_and_keeps_the_history(world: World) -> None:
    signal = world.register()
    first = do_record_outcome(
        actor=world.inspector, signal=signal, kind=OutcomeKind.NO_OFFENCE, reason="none"
    )
    with pytest.raises(ValidationError) as exc:
        do_record_outcome(
            actor=world.inspector, signal=signal, kind=OutcomeKind.ADMIN_PROTOCOL, article="461"
        )
    assert "correction_reason" in exc.value.message_dict
    second = do_record_outcome(
        actor=world.inspector,
        signal=signal,
        kind=OutcomeKind.ADMIN_PROTOCOL,
        article="461",
        correction_reason="medical report received",
    )
    signal.refresh_from_db()
    first.refresh_from_db()
    assert signal.outcome == second and first.superseded_at is not None
    assert list(signal.outcomes.order_by("id")) == [first, second]
    event = AuditEvent.objects.filter(action="signal.outcome").first()
    assert event is not None and event.reason == "medical report received"
    assert event.changes["outcome_kind"] == {"old": "no_offence", "new": "admin_protocol"}


def test_recording_an_outcome_needs_the_outcome_action(world: World) -> None:
    signal = world.register()
    with pytest.raises(PermissionDenied):
        do_record_outcome(actor=world.officer, signal=signal, kind=OutcomeKind.NO_OFFENCE, reason="x")


def test_an_outcome_cannot_be_decided_before_the_signal(world: World) -> None:
    signal = world.register()
    with pytest.raises(ValidationError) as exc:
        do_record_outcome(
            actor=world.inspector,
            signal=signal,
            kind=OutcomeKind.NO_OFFENCE,
            reason="x",
            decided_at=signal.received_at - dt.timedelta(days=1),
        )
    assert "decided_at" in exc.value.message_dict


def test_a_user_of_another_agency_in_scope_only_by_assignment_can_work_it(world: World) -> None:
    district_police = new_agency(name="Yesil district police", type=AgencyType.POLICE, region=world.p.astana)
    inspector = new_user(agency=district_police, role=world.inspector.role, scope="agency")
    signal = world.register()
    with pytest.raises(PermissionDenied):
        do_record_outcome(actor=inspector, signal=signal, kind=OutcomeKind.NO_OFFENCE, reason="x")
    do_assign_signal(actor=world.officer, signal=signal, assignee=inspector)
    do_record_outcome(actor=inspector, signal=signal, kind=OutcomeKind.NO_OFFENCE, reason="x")
