"""Every write of the intake domain: keyword-only do_* functions, one transaction each, audited inside.

The UI views and the API viewsets call these same functions; none of them writes a model directly.
Errors: `PermissionDenied` when the actor's role lacks the action or the object is out of their scope
(callers answer 404 for the latter), `ValidationError({field: message})` for bad input, nothing saved.
"""

from .orders import check_schedule, do_issue_protective_order, do_record_compliance_check, do_report_breach
from .outcomes import do_record_outcome
from .public import do_add_to_public_message, do_receive_public_message
from .reconciliation import do_request_reconciliation
from .signals import (
    do_assign_signal,
    do_record_first_contact,
    do_record_victim_declined,
    do_register_signal,
    do_transfer_signal,
    next_registration_number,
)

__all__ = [
    "check_schedule",
    "do_add_to_public_message",
    "do_assign_signal",
    "do_issue_protective_order",
    "do_receive_public_message",
    "do_record_compliance_check",
    "do_record_first_contact",
    "do_record_outcome",
    "do_record_victim_declined",
    "do_register_signal",
    "do_report_breach",
    "do_request_reconciliation",
    "do_transfer_signal",
    "next_registration_number",
]
