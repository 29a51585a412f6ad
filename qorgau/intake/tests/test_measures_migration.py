"""The data migration to legal measures (intake 0006), run on rows shaped as the old code left them."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from qorgau.core.models import Region, Role
from qorgau.core.reference import load_regions, load_roles
from qorgau.core.testing import Personas

from ..models import (
    ComplianceCheck,
    DeadlineRule,
    LegalRuleSet,
    Outcome,
    OutcomeKind,
    ReconciliationRule,
    Signal,
    SignalStatus,
)
from ..reference import load_deadlines, load_reconciliation_rules
from ..services import do_issue_protective_order
from .factories import World, make_world

migration = importlib.import_module("qorgau.intake.migrations.0006_legal_measures_data")


def old_outcome(world: World, signal: Signal, kind: str, **fields: str) -> Outcome:
    """An outcome as the old service wrote it: current, pointed to by the signal, which it closed."""
    Outcome.objects.filter(signal=signal, superseded_at__isnull=True).update(superseded_at=timezone.now())
    outcome = Outcome.objects.create(
        signal=signal, kind=kind, decided_at=timezone.now(), recorded_by=world.inspector, **fields
    )
    signal.outcome, signal.status, signal.closed_at = outcome, SignalStatus.CLOSED, timezone.now()
    signal.save(update_fields=["outcome", "status", "closed_at"])
    return outcome


def test_old_outcomes_become_measures(world: World) -> None:
    # 1. closed by a protective order (the old page issued it and recorded it as the outcome)
    by_order = world.register(received_at=timezone.now() - dt.timedelta(hours=3))
    order = do_issue_protective_order(
        actor=world.inspector, signal=by_order, offender=world.offender, served_at=timezone.now()
    )
    order_outcome = old_outcome(world, by_order, OutcomeKind.PROTECTIVE_ORDER)
    # 2. an order issued alongside a protocol, never recorded as an outcome
    with_protocol = world.register(received_at=timezone.now() - dt.timedelta(hours=3))
    lone = do_issue_protective_order(
        actor=world.inspector, signal=with_protocol, offender=world.offender, served_at=timezone.now()
    )
    protocol = old_outcome(world, with_protocol, OutcomeKind.ADMIN_PROTOCOL, article="73", part="1")
    # 3. a corrected outcome: no offence, then a protocol
    corrected = world.register()
    first = old_outcome(world, corrected, OutcomeKind.NO_OFFENCE, reason="quarrel")
    second = old_outcome(
        world, corrected, OutcomeKind.ADMIN_PROTOCOL, article="73", part="1", correction_reason="report"
    )
    checks = ComplianceCheck.objects.count()

    migration.forwards(apps, None)

    by_order.refresh_from_db()
    order_outcome.refresh_from_db()
    assert order_outcome.order == order and order_outcome.superseded_at is None
    assert by_order.outcome is None and by_order.closed_at is None
    assert by_order.status == SignalStatus.REGISTERED  # open again: an order does not decide the incident

    with_protocol.refresh_from_db()
    assert with_protocol.outcome == protocol and with_protocol.status == SignalStatus.CLOSED
    measure = Outcome.objects.get(order=lone)
    assert measure.kind == OutcomeKind.PROTECTIVE_ORDER and measure.signal == with_protocol
    assert measure.recorded_by == lone.issued_by and measure.decided_at == lone.served_at

    second.refresh_from_db()
    assert second.corrects == first
    corrected.refresh_from_db()
    assert corrected.outcome == second
    assert ComplianceCheck.objects.count() == checks

    # Run twice, nothing more: each order has its one current measure.
    migration.forwards(apps, None)
    assert Outcome.objects.filter(order=lone).count() == 1


def _load_reference() -> None:
    load_regions(Region)
    load_roles(Role)
    load_deadlines(DeadlineRule)
    load_reconciliation_rules(LegalRuleSet, ReconciliationRule)


@pytest.fixture
def _reference_data_again(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    # A transactional test empties every table afterwards, the migrations' reference data included:
    # load it before (an earlier transactional test emptied it) and after (for the tests that follow).
    with django_db_blocker.unblock():
        _load_reference()
    yield
    with django_db_blocker.unblock():
        _load_reference()


@pytest.mark.django_db(transaction=True)
def test_the_migration_runs_on_the_historical_models(_reference_data_again: None, personas: Personas) -> None:
    """Back to 0005 (old data shape, new columns), then forwards through 0006 and 0007 as `migrate` does."""
    world = make_world(personas)
    signal = world.register(received_at=timezone.now() - dt.timedelta(hours=3))
    order = do_issue_protective_order(
        actor=world.inspector, signal=signal, offender=world.offender, served_at=timezone.now()
    )
    outcome = old_outcome(world, signal, OutcomeKind.PROTECTIVE_ORDER)
    executor = MigrationExecutor(connection)
    executor.migrate([("intake", "0005_legal_measures")])
    executor.loader.build_graph()
    executor.migrate([("intake", "0007_legal_measure_constraints")])

    outcome.refresh_from_db()
    signal.refresh_from_db()
    assert outcome.order_id == order.pk
    assert signal.outcome_id is None and signal.status == SignalStatus.REGISTERED
    # Leave the schema as the other tests expect it: every later migration applied again, the other apps'
    # too (going back to 0005 unapplied those that depend on intake's later migrations, e.g. offenders).
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
