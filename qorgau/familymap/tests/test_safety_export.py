"""Qorgau's own safety inputs, read from the intake tables through intake.queries (scope of the starter)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from qorgau.intake.queries import family_map_safety_rows
from qorgau.intake.services import do_issue_protective_order
from qorgau.intake.tests.factories import OFFENDER_IIN, VICTIM_IIN, make_world

pytestmark = pytest.mark.django_db


def test_victims_and_offenders_with_their_iin_date_children_and_orders(personas):
    world = make_world(personas)
    received = timezone.now() - dt.timedelta(days=3)
    signal = world.register(received_at=received, children_present=True)
    do_issue_protective_order(
        actor=world.inspector,
        signal=signal,
        offender=world.offender,
        served_at=timezone.now() - dt.timedelta(hours=1),
    )
    rows = sorted(family_map_safety_rows(world.officer), key=lambda r: r["party_role"])
    assert [(r["party_role"], r["iin"]) for r in rows] == [
        ("offender", int(OFFENDER_IIN)),
        ("victim", int(VICTIM_IIN)),
    ]
    assert all(r["children_present"] and r["date"] == timezone.localdate(received) for r in rows)
    assert all(r["order_in_force"] for r in rows)
    assert family_map_safety_rows(world.shymkent_officer) == []  # another region's scope sees none
