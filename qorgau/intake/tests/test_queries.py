import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qorgau.core.models import User
from qorgau.core.permissions import Scope

from ..models import (
    ComplianceCheck,
    Outcome,
    OutcomeKind,
    ProtectiveOrder,
    ReconciliationDecision,
    Signal,
    SignalParty,
)
from ..queries import (
    inspector_queue,
    overdue,
    overdue_by_region,
    person_histories,
    person_history,
    with_deadlines,
)
from ..services import (
    do_assign_signal,
    do_issue_protective_order,
    do_record_first_contact,
    do_record_outcome,
    do_request_reconciliation,
)
from .factories import World, make_person, make_role, new_user

SCOPED: list[type[Any]] = [
    Signal,
    SignalParty,
    Outcome,
    ProtectiveOrder,
    ComplianceCheck,
    ReconciliationDecision,
]


def astana_case(world: World) -> Signal:
    """An Astana signal with an outcome, a protective order (with checks) and a reconciliation decision."""
    signal = world.register(forms=["physical"])
    do_issue_protective_order(
        actor=world.inspector, signal=signal, offender=world.offender, served_at=timezone.now()
    )
    do_record_outcome(
        actor=world.inspector, signal=signal, kind=OutcomeKind.ADMIN_PROTOCOL, article="73", part="1"
    )
    do_request_reconciliation(actor=world.inspector, signal=signal, offender=world.offender)
    return signal


def test_another_regions_signal_and_its_rows_are_invisible(world: World) -> None:
    astana_case(world)
    for model in SCOPED:
        assert model.objects.visible_to(world.officer).exists(), model
        assert model.objects.visible_to(world.inspector).exists(), model
        assert not model.objects.visible_to(world.shymkent_officer).exists(), model
        assert not model.objects.visible_to(world.shymkent_worker).exists(), model
        assert not model.objects.visible_to(world.p.outsider).exists(), model
        assert not model.objects.visible_to(world.p.astana_auditor).exists(), model  # no case files


def test_region_scope_sees_its_regions_signals_only(world: World) -> None:
    astana = world.register()
    shymkent_victim = make_person(world.shymkent_police, "Omarova", "Dana")
    world.register(actor=world.shymkent_officer, victims=[shymkent_victim], offenders=[], relationship="")
    analyst = new_user(
        agency=world.p.astana_police,
        role=make_role("test_intake_regional", ["intake.view"]),
        scope=Scope.REGIONS,
        regions=[world.p.astana],
    )
    assert list(Signal.objects.visible_to(analyst)) == [astana]
    assert not Signal.objects.visible_to(analyst, "change").exists()  # view-only role


def test_history_shows_only_what_the_scope_allows(world: World) -> None:
    astana = astana_case(world)
    # The same victim and offender, earlier, in Shymkent (another agency, another region, its own records).
    shymkent = world.register_elsewhere(
        world.shymkent_officer, received_at=timezone.now() - dt.timedelta(days=400)
    )
    national = new_user(agency=world.p.astana_police, role=world.inspector.role, scope=Scope.NATIONAL)

    local = person_history(world.officer, world.offender)
    assert [s.pk for s in local.signals] == [astana.pk]
    everything = person_history(national, world.offender)
    assert [s.pk for s in everything.signals] == [astana.pk, shymkent.pk]
    assert [s.pk for s in everything.signals_12_months] == [astana.pk]
    assert not person_history(world.shymkent_worker, world.offender).signals


def test_history_lists_outcomes_orders_reconciliations_and_flags(world: World) -> None:
    signal = astana_case(world)
    history = person_history(world.officer, world.victim)
    assert [o.kind for o in history.outcomes] == [OutcomeKind.ADMIN_PROTOCOL]
    assert [o.signal_id for o in history.protective_orders] == [signal.pk]
    assert [r.signal_id for r in history.reconciliations] == [signal.pk]
    assert history.flags == {
        "repeat_victim": True,
        "repeat_offender": False,
        "protective_order_in_force": True,
        "children_involved": False,
    }
    offender = person_history(world.officer, world.offender)
    assert offender.repeat_offender and not offender.repeat_victim
    assert offender.protective_order_in_force
    # On the signal's own page the signal is not its own history.
    own = person_history(world.officer, world.victim, exclude_signal=signal)
    assert not own.repeat_victim and own.protective_order_in_force


def test_history_flags_children_and_ignores_no_offence_for_offenders(world: World) -> None:
    signal = world.register(children_present=True)
    do_record_outcome(actor=world.inspector, signal=signal, kind=OutcomeKind.NO_OFFENCE, reason="no violence")
    history = person_history(world.officer, world.offender)
    assert history.children_involved and not history.repeat_offender
    child = make_person(world.p.astana_police, "Seitkali", "Amir", birth_date=dt.date(2015, 1, 1))
    world.register(victims=[child], relationship="parent")
    assert person_history(world.officer, child).children_involved


def test_history_at_a_past_moment_ignores_later_rows(world: World) -> None:
    world.register(received_at=timezone.now() - dt.timedelta(days=3))
    assert not person_history(world.officer, world.victim, at=timezone.now() - dt.timedelta(days=5)).signals


def _history_queries(world: World) -> int:
    user = User.objects.get(pk=world.officer.pk)
    user.actions  # noqa: B018  (the role is loaded once per request, not per row)
    with CaptureQueriesContext(connection) as ctx:
        history = person_history(user, world.offender)
        history.flags, history.outcomes, history.signals_12_months  # noqa: B018
        [(o.signal.registration_number, o.in_force(history.at)) for o in history.protective_orders]
        [(r.rule_set.code, r.signal.registration_number) for r in history.reconciliations]
        [(p.signal.region.name, p.signal.district) for p in history.parties]
    return len(ctx.captured_queries)


def test_history_takes_a_fixed_number_of_queries(world: World) -> None:
    astana_case(world)
    small = _history_queries(world)
    for _ in range(5):
        astana_case(world)
        world.register(
            district=world.astana_district, witnesses=[make_person(world.p.astana_police, "W", "X")]
        )
    assert len(person_history(world.officer, world.offender).signals) == 11
    assert _history_queries(world) == small == 4


def test_histories_of_many_persons_take_the_queries_of_one(world: World) -> None:
    astana_case(world)
    witnesses = [make_person(world.p.astana_police, "W", str(i)) for i in range(4)]
    world.register(witnesses=witnesses)
    user = User.objects.get(pk=world.officer.pk)
    user.actions  # noqa: B018
    with CaptureQueriesContext(connection) as ctx:
        histories = person_histories(user, [world.victim, world.offender, *witnesses])
        for history in histories:
            history.flags, [o.signal_id for o in history.protective_orders]
    assert len(ctx.captured_queries) == 4
    assert [h.person for h in histories] == [world.victim, world.offender, *witnesses]
    assert len(histories[0].signals) == 2 and len(histories[2].signals) == 1
    # Each history is the person's own: the victim's orders are not the witness's.
    assert histories[0].protective_orders and not histories[2].protective_orders


def test_overdue_detects_missed_first_contact_and_outcome(world: World) -> None:
    now = timezone.now()
    fresh = world.register(received_at=now - dt.timedelta(hours=2))
    no_contact = world.register(received_at=now - dt.timedelta(hours=30))
    contacted = world.register(received_at=now - dt.timedelta(hours=30))
    do_record_first_contact(actor=world.officer, signal=contacted, contacted_at=now - dt.timedelta(hours=20))
    late = world.register(received_at=now - dt.timedelta(days=11))
    do_record_first_contact(actor=world.officer, signal=late, contacted_at=now - dt.timedelta(days=10))
    closed = world.register(received_at=now - dt.timedelta(days=20))
    do_record_outcome(actor=world.inspector, signal=closed, kind=OutcomeKind.NO_OFFENCE, reason="x")

    flags = {
        s.pk: (s.first_contact_overdue, s.outcome_overdue, s.is_overdue)
        for s in with_deadlines(Signal.objects.all(), now)
    }
    assert flags == {
        fresh.pk: (False, False, False),
        no_contact.pk: (True, False, True),
        contacted.pk: (False, False, False),
        late.pk: (False, True, True),
        closed.pk: (False, False, False),
    }
    assert set(overdue(Signal.objects.visible_to(world.officer), now)) == {no_contact, late}
    assert overdue_by_region(world.officer, now) == {world.p.astana.pk: 2}
    assert overdue_by_region(world.shymkent_officer, now) == {}
    # Ten days ago nothing of these was overdue yet.
    assert not overdue(Signal.objects.filter(pk=late.pk), now - dt.timedelta(days=10, hours=12)).exists()


def test_the_inspector_queue_shows_own_open_signals_overdue_first(world: World) -> None:
    now = timezone.now()
    recent = world.register(received_at=now - dt.timedelta(hours=1))
    old = world.register(received_at=now - dt.timedelta(days=12))
    older_but_closed = world.register(received_at=now - dt.timedelta(days=15))
    not_mine = world.register(received_at=now - dt.timedelta(days=14))
    for signal in (recent, old, older_but_closed):
        do_assign_signal(actor=world.officer, signal=signal, assignee=world.inspector)
    do_record_outcome(actor=world.inspector, signal=older_but_closed, kind=OutcomeKind.NO_OFFENCE, reason="x")

    queue = list(inspector_queue(world.inspector, now))
    assert queue == [old, recent]
    assert [s.is_overdue for s in queue] == [True, False]
    assert not_mine not in queue
    assert list(inspector_queue(world.officer, now)) == []
