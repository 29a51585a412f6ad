import datetime as dt
import itertools
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from qorgau.core.models import AuditEvent

from ..models import (
    CheckResult,
    ComplianceCheck,
    PartyRelationship,
    PartyRole,
    ProtectiveOrder,
    Signal,
    SignalParty,
)
from ..queries import checks_due, orders_in_force
from ..services import check_schedule, do_issue_protective_order, do_record_compliance_check, do_report_breach
from .factories import World, make_person


def issue(world: World, served_at: dt.datetime | None = None, **kw: Any) -> ProtectiveOrder:
    signal = kw.pop("signal", None) or world.register(
        received_at=(served_at or timezone.now()) - dt.timedelta(hours=2)
    )
    return do_issue_protective_order(
        actor=world.inspector,
        signal=signal,
        offender=world.offender,
        served_at=served_at or timezone.now(),
        **kw,
    )


def test_an_order_lasts_30_days_and_schedules_checks_every_7_days(world: World) -> None:
    served = timezone.now() - dt.timedelta(hours=1)
    order = issue(world, served, number="PO-1")

    assert order.expires_at - order.served_at == dt.timedelta(days=30)
    dues = list(order.checks.values_list("due_at", flat=True))
    assert [due - served for due in dues] == [dt.timedelta(days=d) for d in (7, 14, 21, 28)]
    gaps = [b - a for a, b in zip([served, *dues], [*dues, order.expires_at], strict=True)]
    assert max(gaps) <= dt.timedelta(days=7)
    assert list(order.victims.all()) == [world.victim]
    assert order.validity_rule.value == 30 and order.check_interval_rule.value == 7
    assert order.in_force() and not order.in_force(served + dt.timedelta(days=30))
    assert AuditEvent.objects.filter(action="protective_order.issue", object_id=str(order.pk)).exists()


def test_an_order_is_against_an_offender_of_the_signal_for_its_victims(world: World) -> None:
    signal = world.register()
    stranger = make_person(world.p.astana_police, "Stranger", "Sam")
    with pytest.raises(ValidationError) as exc:
        do_issue_protective_order(
            actor=world.inspector,
            signal=signal,
            offender=world.victim,
            victims=[stranger],
            served_at=timezone.now(),
        )
    assert set(exc.value.message_dict) == {"offender", "victims"}
    assert not ProtectiveOrder.objects.exists() and not ComplianceCheck.objects.exists()


def test_a_compliance_check_is_recorded_once(world: World) -> None:
    order = issue(world, timezone.now() - dt.timedelta(days=8))
    check = order.checks.first()
    assert check is not None
    with pytest.raises(ValidationError) as exc:
        do_record_compliance_check(actor=world.officer, check=check, done_at=timezone.now(), result="breach")
    assert exc.value.message_dict == {"notes": ["Describe what was found."]}
    do_record_compliance_check(
        actor=world.officer, check=check, done_at=timezone.now(), result=CheckResult.COMPLIED
    )
    check.refresh_from_db()
    assert check.result == CheckResult.COMPLIED and check.done_by == world.officer
    with pytest.raises(ValidationError):
        do_record_compliance_check(
            actor=world.officer, check=check, done_at=timezone.now(), result="complied"
        )
    assert AuditEvent.objects.filter(action="compliance_check.record").count() == 1


def test_a_breach_is_a_new_signal_linked_to_the_order(world: World) -> None:
    order = issue(world, timezone.now() - dt.timedelta(days=3))
    breach = do_report_breach(
        actor=world.officer,
        order=order,
        received_at=timezone.now() - dt.timedelta(minutes=10),
        channel="call_102",
        account="came to the flat again",
    )
    assert breach.breach_of == order and breach.pk != order.signal_id
    assert breach.registration_number != order.signal.registration_number
    assert breach.region == order.signal.region and breach.forms == []
    parties = set(SignalParty.objects.filter(signal=breach).values_list("person_id", "role"))
    assert parties == {(world.victim.pk, PartyRole.VICTIM), (world.offender.pk, PartyRole.OFFENDER)}
    pairs = PartyRelationship.objects.filter(signal=breach)
    assert set(pairs.values_list("offender__person", "victim__person", "relationship")) == {
        (world.offender.pk, world.victim.pk, "spouse")
    }
    assert list(order.breaches.all()) == [breach]
    assert AuditEvent.objects.filter(action="protective_order.breach", object_id=str(order.pk)).exists()


def test_a_breach_needs_the_order_in_force(world: World) -> None:
    order = issue(world, timezone.now() - dt.timedelta(days=40))
    with pytest.raises(ValidationError) as exc:
        do_report_breach(actor=world.officer, order=order, received_at=timezone.now(), channel="call_102")
    assert "received_at" in exc.value.message_dict
    assert Signal.objects.count() == 1


def test_a_breach_of_an_out_of_scope_order_is_refused(world: World) -> None:
    order = issue(world)
    with pytest.raises(PermissionDenied):
        do_report_breach(
            actor=world.shymkent_officer, order=order, received_at=timezone.now(), channel="call_102"
        )


def test_orders_in_force_and_checks_due_this_week(world: World) -> None:
    now = timezone.now()
    current = issue(world, now - dt.timedelta(days=6))
    issue(world, now - dt.timedelta(days=35))  # expired
    assert list(orders_in_force(world.officer, now)) == [current]
    assert list(orders_in_force(world.officer, now, district=world.astana_district)) == []
    assert not orders_in_force(world.shymkent_officer, now).exists()

    due = list(checks_due(world.officer, now, now + dt.timedelta(days=7)))
    assert [c.order_id for c in due] == [current.pk]  # day 7 of the current order
    assert due[0].due_at == current.served_at + dt.timedelta(days=7)


@given(
    validity_days=st.integers(min_value=1, max_value=120),
    interval_days=st.integers(min_value=1, max_value=14),
    served_minute=st.integers(min_value=0, max_value=60 * 24 * 365),
)
def test_the_check_schedule_never_leaves_a_gap_longer_than_the_interval(
    validity_days: int, interval_days: int, served_minute: int
) -> None:
    served = dt.datetime(2024, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=served_minute)
    expires, interval = served + dt.timedelta(days=validity_days), dt.timedelta(days=interval_days)
    dues = check_schedule(served, expires, interval)
    points = [served, *dues, expires]
    assert all(served < due < expires for due in dues)
    assert all(b - a <= interval for a, b in itertools.pairwise(points))
    assert len(dues) == -(-validity_days // interval_days) - 1
