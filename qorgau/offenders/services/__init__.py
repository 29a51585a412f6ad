"""The offenders writes: every one is a do_* function that checks the actor, writes its audit row in the
same transaction and re-checks the actor's scope."""

from .programmes import (
    SAFETY_REVIEW_WITHIN,
    do_acknowledge_absence,
    do_answer_partner_contact,
    do_assess,
    do_end_programme,
    do_record_first_contact,
    do_record_safety_review,
    do_record_session,
    do_refer_to_programme,
)
from .requirements import do_check_requirement, do_record_requirement
from .treatment import do_advance_treatment, do_flag_overdue_steps, do_start_treatment_referral, step_error

__all__ = [
    "SAFETY_REVIEW_WITHIN",
    "do_acknowledge_absence",
    "do_advance_treatment",
    "do_answer_partner_contact",
    "do_assess",
    "do_check_requirement",
    "do_end_programme",
    "do_flag_overdue_steps",
    "do_record_first_contact",
    "do_record_requirement",
    "do_record_safety_review",
    "do_record_session",
    "do_refer_to_programme",
    "do_start_treatment_referral",
    "step_error",
]
