"""The demo offender track (qorgau/demo/national/offenders.py): the unexecuted decisions calibrated to
422 x scale, every step present with some overdue, programmes in every region, about a third drop-out,
and figures the analyst page can show."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from qorgau.core.models import Region, User

from .. import workflow
from ..models import Programme, ProgrammeReferral, ProgrammeStatus, TreatmentReferral
from ..queries import reoffending

pytestmark = pytest.mark.django_db
SCALE = 0.05


def test_the_demo_offender_track_is_calibrated() -> None:
    out = StringIO()
    call_command("demo", persons=0, scale=SCALE, stdout=out)
    assert "Offender track" in out.getvalue()
    unexecuted = TreatmentReferral.objects.filter(status__in=workflow.UNEXECUTED).count()
    assert abs(unexecuted - round(422 * SCALE)) <= 2
    steps = Counter(TreatmentReferral.objects.values_list("status", flat=True))
    assert {"grounds", "examination", "conclusion", "application", "waiting", "ended"} <= set(steps)
    open_rows = TreatmentReferral.objects.exclude(status__in=workflow.TERMINAL)
    assert open_rows.filter(step_due__lt=timezone.now()).exists()
    assert open_rows.filter(step_due__gte=timezone.now()).exists()
    assert not open_rows.filter(owed_agency__isnull=True).exists()
    regions = set(Programme.objects.values_list("agency__region__code", flat=True))
    assert regions == set(Region.objects.values_list("code", flat=True))
    started = ProgrammeReferral.objects.filter(started_at__isnull=False, ended_at__isnull=False)
    dropped = started.filter(status=ProgrammeStatus.DROPPED_OUT).count()
    assert 0.2 < dropped / started.count() < 0.5
    analyst = User.objects.get(username="demo.analyst")
    groups = {g.group: g for g in reoffending(analyst)}
    assert groups["programme_completed"].persons > 0
    # The demo users of the track have work.
    assert TreatmentReferral.objects.visible_to(User.objects.get(username="demo.district_inspector")).exists()
    assert ProgrammeReferral.objects.visible_to(User.objects.get(username="demo.programme_provider")).exists()
