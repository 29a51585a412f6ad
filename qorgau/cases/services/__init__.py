"""Every write of the cases domain: keyword-only do_* functions, one transaction each, audited inside.

Errors: `PermissionDenied` when the actor's role lacks the action or the object is out of their scope
(callers answer 404 for the latter), `ValidationError({field: message})` for bad input, nothing saved
(a refused referral leaves only its audit row).
"""

from ._common import compute_state
from .cases import do_assign_case, do_close_case, do_open_case, do_record_assessment, do_reopen_case
from .plans import do_add_child, do_add_goal, do_assign_service, do_record_safety_plan, do_record_session
from .purposes import check_purpose, do_change_referral_purpose
from .referrals import (
    consent_in_force,
    do_accept_referral,
    do_complete_referral,
    do_decline_referral,
    do_end_referrals_without_consent,
    do_refer_case,
    do_revoke_referral,
)
from .specialists import check_qualified, do_add_qualification, do_add_specialist, do_change_specialist
from .transfers import do_accept_transfer, do_decline_transfer, do_request_transfer

__all__ = [
    "check_purpose",
    "check_qualified",
    "compute_state",
    "consent_in_force",
    "do_accept_referral",
    "do_accept_transfer",
    "do_add_child",
    "do_add_goal",
    "do_add_qualification",
    "do_add_specialist",
    "do_assign_case",
    "do_assign_service",
    "do_change_referral_purpose",
    "do_change_specialist",
    "do_close_case",
    "do_complete_referral",
    "do_decline_referral",
    "do_decline_transfer",
    "do_end_referrals_without_consent",
    "do_open_case",
    "do_record_assessment",
    "do_record_safety_plan",
    "do_record_session",
    "do_refer_case",
    "do_reopen_case",
    "do_request_transfer",
    "do_revoke_referral",
]
