"""The cases tables: the case and its closures, plans and services, specialists, referrals, transfers."""

from .cases import Case, CaseClosure, CaseOutcome, CaseState, OpenedVia, ReferralRefusal
from .plans import CaseChild, CaseGoal, CaseService, SafetyPlan, ServiceSession, ServiceStatus
from .referrals import (
    ACTIVE_REFERRAL,
    SECTIONS,
    CaseTransfer,
    Referral,
    ReferralPurpose,
    ReferralStatus,
    TransferStatus,
)
from .specialists import Qualification, ServiceType, Specialist

__all__ = [
    "ACTIVE_REFERRAL",
    "SECTIONS",
    "Case",
    "CaseChild",
    "CaseClosure",
    "CaseGoal",
    "CaseOutcome",
    "CaseService",
    "CaseState",
    "CaseTransfer",
    "OpenedVia",
    "Qualification",
    "Referral",
    "ReferralPurpose",
    "ReferralRefusal",
    "ReferralStatus",
    "SafetyPlan",
    "ServiceSession",
    "ServiceStatus",
    "ServiceType",
    "Specialist",
    "TransferStatus",
]
