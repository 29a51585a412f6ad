"""The demo step: the demand points of the whole country and two solved scenarios in Almaty Region."""

from __future__ import annotations

import pytest

from qorgau.core.testing import Personas
from qorgau.demo.national.planning import create_planning

from ..models import DemandPoint, Scenario

pytestmark = pytest.mark.django_db


def test_demo_planning(personas: Personas) -> None:
    messages: list[str] = []
    create_planning({"system_admin": personas.sysadmin}, progress=messages.append)
    assert DemandPoint.objects.filter(region__code="KZ-19", kind="rural").count() >= 8
    scenarios = list(Scenario.objects.order_by("id"))
    assert [s.model for s in scenarios] == ["max_cover", "p_median"]
    assert all(s.status == "done" and s.result["optimal"] for s in scenarios)
    assert len(scenarios[0].result["opened"]) == 3
    create_planning({"system_admin": personas.sysadmin}, progress=messages.append)  # again: nothing new
    assert Scenario.objects.count() == 2 and "scenarios skipped" in messages[-1]


def test_load_command(personas: Personas) -> None:
    from django.core.management import call_command

    call_command("load_demand_points")
    assert DemandPoint.objects.filter(kind="settlement").count() == 83
