"""The risk part of the national demo year (qorgau/demo/national/risk.py), at a small scale: what the
services would have made, in bulk."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from qorgau.risk.models import Answer, Assessment, Conference, ConferenceAction, ConferenceReferral
from qorgau.risk.queries import score_year
from qorgau.risk.scoring import band_for

pytestmark = pytest.mark.django_db


def test_the_demo_year_has_assessments_referrals_and_conferences(settings: object) -> None:
    out = StringIO()
    call_command("demo", persons=0, scale=0.01, year=2025, stdout=out)
    assert "Risk 2025:" in out.getvalue()
    assessments = Assessment.objects.filter(started_at__year=2025)
    total = assessments.count()
    assert total > 50
    high = assessments.filter(final_band="high").count()
    assert 0.03 * total < high < 0.2 * total  # about one in ten
    assert Answer.objects.count() == 24 * Assessment.objects.count()  # every item answered
    one = assessments.select_related("version").first()
    assert one is not None
    assert one.score == one.answers.filter(value="yes").count()
    assert isinstance(one.criteria, list) and one.criteria[0]["code"] == "high_risk"
    assert one.band == band_for(one.score, one.version.band_list())
    # The year's scoring in one pass agrees with what was stored.
    stored = dict(assessments.values_list("id", "score"))
    assert {pk: score for pk, (score, _band) in score_year(2025).items()} == stored
    assert ConferenceReferral.objects.count() == assessments.filter(refer=True).count()
    assert Conference.objects.exists()
    listed = ConferenceReferral.objects.exclude(conference=None)
    assert all(
        getattr(r.conference, "district_id", None) == r.district_id
        for r in listed.select_related("conference")
    )
    today = timezone.localdate()
    overdue = ConferenceAction.objects.filter(completed_at__isnull=True, due_date__lt=today)
    assert overdue.exists() and ConferenceAction.objects.filter(completed_at__isnull=False).exists()
