"""The instruments' scoring rule, without Django: count the "yes" answers, find the level (band).

"Don't know" never counts as yes; unanswered items count as nothing. Professional judgement may raise the
level (with a reason), never lower it. `score_many` scores any number of assessments in one pass over
(assessment id, answer) pairs (the year's scoring, bench/).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

YES = "yes"


class BandLike(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def min_score(self) -> int: ...


def count_yes(values: Iterable[str]) -> int:
    return sum(1 for value in values if value == YES)


def band_for(score: int, bands: Sequence[BandLike]) -> str:
    """The code of the highest band whose threshold the score reaches ("" when no band applies)."""
    reached = [band for band in bands if score >= band.min_score]
    return max(reached, key=lambda band: band.min_score).code if reached else ""


def rank(code: str, bands: Sequence[BandLike]) -> int:
    """The position of a band from lowest (0); -1 for an unknown code."""
    ordered = sorted(bands, key=lambda band: band.min_score)
    return next((i for i, band in enumerate(ordered) if band.code == code), -1)


class JudgementError(ValueError):
    """A professional judgement that would lower the level, name no level, or give no reason."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Result:
    score: int
    band: str  # from the score
    final_band: str  # after professional judgement


def result(values: Iterable[str], bands: Sequence[BandLike], judgement: str = "", reason: str = "") -> Result:
    """Score `values`, then apply a judgement: raising needs a reason, lowering is refused (JudgementError,
    whose `field` says which input is wrong: "judgement_band" or "judgement_reason")."""
    score = count_yes(values)
    band = band_for(score, bands)
    if not judgement or judgement == band:
        return Result(score, band, band)
    judged = rank(judgement, bands)
    if judged < 0:
        raise JudgementError("judgement_band", "unknown level")
    if judged < rank(band, bands):
        raise JudgementError("judgement_band", "lower")
    if not reason.strip():
        raise JudgementError("judgement_reason", "reason")
    return Result(score, band, judgement)


def score_many(
    answers: Iterable[tuple[int, int, str]], bands_of: Mapping[int, Sequence[BandLike]]
) -> dict[int, tuple[int, str]]:
    """{assessment id: (score, band)} from (assessment id, version id, value) rows, in one pass."""
    scores: dict[int, int] = {}
    versions: dict[int, int] = {}
    for assessment_id, version_id, value in answers:
        versions[assessment_id] = version_id
        scores[assessment_id] = scores.get(assessment_id, 0) + (value == YES)
    return {
        assessment_id: (score, band_for(score, bands_of[versions[assessment_id]]))
        for assessment_id, score in scores.items()
    }
