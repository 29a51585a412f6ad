"""The offender track: referrals to compulsory treatment and their steps, court requirements and their
checks, programmes for offenders with referrals, sessions and the partner contact, and the rules."""

from .programmes import (
    CONTACT_ANSWERS,
    OUTCOMES,
    Achievement,
    Attendance,
    ContactStatus,
    DropoutReason,
    Format,
    Method,
    PartnerContact,
    Programme,
    ProgrammeReferral,
    ProgrammeSession,
    ProgrammeStatus,
    Standard,
)
from .requirements import CourtRequirement, RequirementCheck, RequirementKind
from .rules import (
    OffenderInstrument,
    ProgrammeDeadlineRule,
    ReferralBasis,
    RequirementRule,
    RuleMissing,
    TreatmentStep,
    TreatmentStepRule,
)
from .treatment import Dependence, TreatmentReferral, TreatmentStepEvent

__all__ = [
    "CONTACT_ANSWERS",
    "OUTCOMES",
    "Achievement",
    "Attendance",
    "ContactStatus",
    "CourtRequirement",
    "Dependence",
    "DropoutReason",
    "Format",
    "Method",
    "OffenderInstrument",
    "PartnerContact",
    "Programme",
    "ProgrammeDeadlineRule",
    "ProgrammeReferral",
    "ProgrammeSession",
    "ProgrammeStatus",
    "ReferralBasis",
    "RequirementCheck",
    "RequirementKind",
    "RequirementRule",
    "RuleMissing",
    "Standard",
    "TreatmentReferral",
    "TreatmentStep",
    "TreatmentStepEvent",
    "TreatmentStepRule",
]
