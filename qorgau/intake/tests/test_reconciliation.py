import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qorgau.core.models import AuditEvent

from .. import flows
from ..models import LegalRuleSet, OutcomeKind, ReconciliationDecision, RuleTopic, Signal
from ..reconciliation import decide_reconciliation
from ..services import do_record_outcome, do_request_reconciliation
from .factories import World, make_person


def at(year: int, month: int, day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=timezone.get_current_timezone())


def prior(world: World, received_at: dt.datetime, kind: str = OutcomeKind.ADMIN_PROTOCOL) -> Signal:
    signal = world.register(received_at=received_at)
    if kind == OutcomeKind.ADMIN_PROTOCOL:
        do_record_outcome(actor=world.inspector, signal=signal, kind=kind, article="73", part="1")
    else:
        do_record_outcome(actor=world.inspector, signal=signal, kind=kind, reason="quarrel only")
    return signal


def request(world: World, signal: Signal) -> ReconciliationDecision:
    return do_request_reconciliation(actor=world.inspector, signal=signal, offender=world.offender)


@pytest.mark.django_db
def test_the_rule_sets_cover_time_without_overlap() -> None:
    sets = list(LegalRuleSet.objects.filter(topic=RuleTopic.RECONCILIATION).order_by("effective_from"))
    assert [s.code for s in sets] == ["pre-2024", "2024-72-VIII"]
    assert sets[0].effective_to == sets[1].effective_from == dt.date(2024, 6, 16)
    assert sets[1].effective_to is None
    assert LegalRuleSet.effective(RuleTopic.RECONCILIATION, dt.date(2024, 6, 15)).code == "pre-2024"
    assert LegalRuleSet.effective(RuleTopic.RECONCILIATION, dt.date(2024, 6, 16)).code == "2024-72-VIII"


def test_physical_violence_after_the_2024_law_is_refused_citing_version_and_rule(world: World) -> None:
    signal = world.register(received_at=at(2025, 3, 1), forms=["physical", "psychological"])
    decision = request(world, signal)

    assert not decision.allowed
    assert decision.rule_set.code == "2024-72-VIII"
    assert decision.rule_code == "physical-violence" and decision.rule is not None
    assert "2024-72-VIII" in decision.explanation and "physical-violence" in decision.explanation
    assert decision.law_date == dt.date(2025, 3, 1)


def test_a_psychological_first_offence_may_be_reconciled_under_the_new_law(world: World) -> None:
    decision = request(world, world.register(received_at=at(2025, 3, 1), forms=["psychological"]))
    assert decision.allowed and decision.rule_code == "" and decision.rule_set.code == "2024-72-VIII"


def test_repeated_violence_is_refused(world: World) -> None:
    prior(world, at(2024, 9, 1))
    decision = request(world, world.register(received_at=at(2025, 3, 1), forms=["psychological"]))
    assert not decision.allowed and decision.rule_code == "repeated-violence"
    assert "1 earlier signal" in decision.explanation


def test_any_prior_offence_since_the_law_counts_beyond_the_year(world: World) -> None:
    prior(world, at(2024, 7, 1))
    verdict = decide_reconciliation(
        world.register(received_at=at(2025, 12, 1), forms=["economic"]), world.offender, at(2025, 12, 1)
    )
    assert (verdict.allowed, verdict.rule_code) == (False, "repeated-violence")


def test_an_earlier_signal_received_in_the_same_minute_counts_as_prior(world: World) -> None:
    # Two calls of one evening typed with the same minute: the one registered first is the earlier.
    minute = at(2025, 3, 1, 21)
    first = prior(world, minute)
    second = world.register(received_at=minute, forms=["psychological"])
    assert first.received_at == second.received_at
    decision = request(world, second)
    assert (decision.allowed, decision.rule_code) == (False, "repeated-violence")
    # ... and the later registration never counts for the earlier one
    assert Signal.objects.filter(second.registered_before(), pk=first.pk).exists()
    assert not Signal.objects.filter(first.registered_before(), pk=second.pk).exists()


def test_registration_order_breaks_a_tie_of_registration_times_by_id(world: World) -> None:
    first = prior(world, at(2025, 3, 1, 21))
    second = world.register(received_at=at(2025, 3, 1, 20), forms=["psychological"])
    Signal.objects.filter(pk=second.pk).update(registered_at=first.registered_at)
    second.refresh_from_db()
    # received earlier, registered (at the same instant) after: the first is its prior, not the reverse
    assert not request(world, second).allowed
    do_record_outcome(
        actor=world.inspector, signal=second, kind=OutcomeKind.ADMIN_PROTOCOL, article="73", part="1"
    )
    assert not Signal.objects.filter(first.registered_before(), pk=second.pk).exists()


def test_a_protective_order_alone_is_not_a_prior_offence(world: World) -> None:
    earlier = world.register(received_at=at(2025, 2, 1))
    flows.issue_protective_order(
        actor=world.inspector, signal=earlier, offender=world.offender, served_at=at(2025, 2, 1, 14)
    )
    assert request(world, world.register(received_at=at(2025, 3, 1), forms=["psychological"])).allowed


def test_a_prior_with_no_offence_found_or_no_outcome_does_not_count(world: World) -> None:
    prior(world, at(2024, 9, 1), kind=OutcomeKind.NO_OFFENCE)
    world.register(received_at=at(2024, 10, 1))  # not yet worked
    decision = request(world, world.register(received_at=at(2025, 3, 1), forms=["psychological"]))
    assert decision.allowed


def test_cruelty_to_children_is_refused(world: World) -> None:
    child = make_person(world.p.astana_police, "Seitkali", "Amir", birth_date=dt.date(2015, 1, 1))
    signal = world.register(
        received_at=at(2025, 3, 1), victims=[child], relationship="parent", forms=["neglect"]
    )
    decision = request(world, signal)
    assert (decision.allowed, decision.rule_code) == (False, "cruelty-to-children")

    present = world.register(received_at=at(2025, 3, 2), forms=["psychological"], children_present=True)
    assert request(world, present).rule_code == "cruelty-to-children"


def test_a_2023_request_applies_the_version_in_force_in_2023(world: World) -> None:
    signal = world.register(received_at=at(2023, 5, 1), forms=["physical"], children_present=True)
    decision = request(world, signal)
    assert decision.allowed and decision.rule_set.code == "pre-2024"
    assert "pre-2024" in decision.explanation


def test_the_pre_2024_version_refuses_a_repeat_within_a_year(world: World) -> None:
    prior(world, at(2022, 11, 1))
    decision = request(world, world.register(received_at=at(2023, 5, 1), forms=["physical"]))
    assert (decision.allowed, decision.rule_set.code, decision.rule_code) == (
        False,
        "pre-2024",
        "repeat-within-year",
    )


def test_every_decision_is_audited(world: World) -> None:
    refused = request(world, world.register(received_at=at(2025, 3, 1), forms=["physical"]))
    allowed = request(world, world.register(received_at=at(2023, 3, 1), forms=["physical"]))
    events = {e.object_id: e for e in AuditEvent.objects.filter(action="reconciliation.decide")}
    assert set(events) == {str(refused.pk), str(allowed.pk)}
    assert events[str(refused.pk)].changes["allowed"] == {"old": None, "new": False}
    assert events[str(refused.pk)].changes["rule_set"] == {"old": None, "new": "2024-72-VIII"}
    assert events[str(refused.pk)].changes["rule_code"] == {"old": None, "new": "physical-violence"}
    assert events[str(refused.pk)].reason == refused.explanation
    assert events[str(allowed.pk)].changes["rule_set"] == {"old": None, "new": "pre-2024"}


def test_the_history_counts_beyond_the_requesters_scope(world: World) -> None:
    # The law looks at every earlier offence: a Shymkent protocol refuses reconciliation in Astana.
    earlier = world.register_elsewhere(world.shymkent_officer, received_at=at(2024, 9, 1))
    shymkent_inspector = world.shymkent_officer
    shymkent_inspector.role = world.inspector.role
    shymkent_inspector.save()
    shymkent_inspector = type(shymkent_inspector).objects.get(pk=shymkent_inspector.pk)
    do_record_outcome(
        actor=shymkent_inspector, signal=earlier, kind=OutcomeKind.ADMIN_PROTOCOL, article="73", part="1"
    )
    decision = request(world, world.register(received_at=at(2025, 3, 1), forms=["psychological"]))
    assert decision.rule_code == "repeated-violence"
    assert earlier.registration_number not in decision.explanation


def test_the_requested_person_must_be_an_offender_of_the_signal(world: World) -> None:
    signal = world.register(received_at=at(2025, 3, 1))
    with pytest.raises(ValidationError) as exc:
        do_request_reconciliation(actor=world.inspector, signal=signal, offender=world.victim)
    assert "offender" in exc.value.message_dict
    assert not ReconciliationDecision.objects.exists()


def test_requesting_needs_the_reconcile_action_and_scope(world: World) -> None:
    signal = world.register(received_at=at(2025, 3, 1))
    with pytest.raises(PermissionDenied):
        do_request_reconciliation(actor=world.officer, signal=signal, offender=world.offender)
    assert not AuditEvent.objects.filter(action="reconciliation.decide").exists()
