"""The scoring rule and the levels at their boundaries, through the services and the shipped version 1."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from qorgau.core.models import AuditEvent

from ..models import AssessmentStatus, ConferenceReferral
from ..scoring import Result, result, score_many
from .factories import RiskWorld, answers, dash

pytestmark = pytest.mark.django_db


def test_the_shipped_default_has_24_items_in_three_languages_and_high_at_14() -> None:
    version = dash()
    items = list(version.items.all())
    assert len(items) == 24
    assert all(item.text_en and item.text_ru and item.text_kk for item in items)
    assert version.is_published
    assert version.referral_threshold == 14
    assert [band.code for band in version.band_list()] == ["standard", "medium", "high"]


@pytest.mark.parametrize(
    ("yes", "band", "refer"),
    [
        (9, "standard", False),
        (10, "medium", False),
        (13, "medium", False),
        (14, "high", True),
        (24, "high", True),
    ],
)
def test_bands_at_the_boundaries(world: RiskWorld, yes: int, band: str, refer: bool) -> None:
    assessment = world.complete(yes)
    assert assessment.status == AssessmentStatus.COMPLETED
    assert (assessment.score, assessment.band, assessment.final_band) == (yes, band, band)
    high = next(c for c in assessment.criteria if c["code"] == "high_risk")
    assert high["met"] is refer
    assert high["params"]["threshold"] == 14
    assert ConferenceReferral.objects.filter(assessment=assessment).exists() is refer


def test_dont_know_never_counts_as_yes(world: RiskWorld) -> None:
    assessment = world.complete(13, dont_know=11)
    assert assessment.score == 13
    assert assessment.final_band == "medium"
    assert not assessment.refer


def test_judgement_raises_with_a_reason(world: RiskWorld) -> None:
    assessment = world.complete(5, judgement_band="high", judgement_reason="He bought a gun last week.")
    assert (assessment.band, assessment.final_band) == ("standard", "high")
    judgement = next(c for c in assessment.criteria if c["code"] == "judgement")
    assert judgement["met"] is True
    assert assessment.refer


def test_raising_without_a_reason_is_refused_and_nothing_is_completed(world: RiskWorld) -> None:
    draft = world.start()
    with pytest.raises(ValidationError) as exc:
        world.complete(5, assessment=draft, judgement_band="high", judgement_reason="  ")
    assert "judgement_reason" in exc.value.message_dict
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.DRAFT
    assert not AuditEvent.objects.filter(action="assessment.complete").exists()


def test_judgement_cannot_lower_the_level(world: RiskWorld) -> None:
    with pytest.raises(ValidationError) as exc:
        world.complete(16, judgement_band="medium", judgement_reason="She seems calm.")
    assert exc.value.message_dict["judgement_band"] == [
        "Professional judgement may raise the level, never lower it."
    ]


def test_the_rule_alone() -> None:
    bands = dash().band_list()
    assert result(["yes"] * 14 + ["dont_know"] * 10, bands) == Result(14, "high", "high")
    assert result(["yes"] * 13 + ["dont_know"] * 11, bands) == Result(13, "medium", "medium")
    assert result(["yes"] * 2, bands, "medium", "reason").final_band == "medium"


def test_a_whole_year_scored_in_one_pass(world: RiskWorld) -> None:
    version = dash()
    rows = []
    for assessment_id, yes in ((1, 14), (2, 13), (3, 0)):
        rows += [(assessment_id, version.pk, value) for value in answers(version, yes).values()]
    assert score_many(rows, {version.pk: version.band_list()}) == {
        1: (14, "high"),
        2: (13, "medium"),
        3: (0, "standard"),
    }
