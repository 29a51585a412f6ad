"""The risk tables: instruments and their versions, assessments, the risk conference."""

from .assessments import ASSESSMENT_SECTION, Answer, Assessment, AssessmentStatus
from .conferences import (
    Conference,
    ConferenceAction,
    ConferenceReferral,
    ConferenceStatus,
    ReferralStatus,
)
from .instruments import (
    AnswerValue,
    Band,
    Instrument,
    InstrumentMissing,
    InstrumentVersion,
    Item,
    ReferralRule,
    ScoringRule,
    VersionStatus,
)

__all__ = [
    "ASSESSMENT_SECTION",
    "Answer",
    "AnswerValue",
    "Assessment",
    "AssessmentStatus",
    "Band",
    "Conference",
    "ConferenceAction",
    "ConferenceReferral",
    "ConferenceStatus",
    "Instrument",
    "InstrumentMissing",
    "InstrumentVersion",
    "Item",
    "ReferralRule",
    "ReferralStatus",
    "ScoringRule",
    "VersionStatus",
]
