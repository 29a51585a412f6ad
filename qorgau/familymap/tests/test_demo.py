"""The demo command refreshes a small synthetic family map (qorgau/demo/national/familymap.py)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from ..models import DistrictAggregate, Run, RunStatus

pytestmark = pytest.mark.django_db


def test_the_demo_shows_a_finished_refresh_with_aggregates(settings):
    settings.FAMILYMAP_DEMO = True
    out = io.StringIO()
    call_command("demo", "--scale", "0", "--persons", "0", stdout=out)
    run = Run.objects.get()
    assert run.status == RunStatus.DONE and run.current, run.error
    assert run.summary["families"] == 6300
    assert DistrictAggregate.objects.filter(run=run, district__isnull=False).count() > 80  # demo districts
    assert "Family map: refresh #1 done" in out.getvalue()
