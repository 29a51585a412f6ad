"""Every write of the facilities domain: keyword-only do_* functions, one transaction each, audited inside.

Errors: `PermissionDenied` when the actor's role lacks the action or the object is out of their scope
(callers answer 404 for the latter), `ValidationError({field: message})` for bad input, nothing saved.
"""

from ._common import is_staff_of
from .capacity import do_confirm_vacancies, do_report_vacancies, do_step_vacancy
from .facilities import do_change_facility, do_register_facility, do_set_places
from .placements import (
    do_add_to_waiting_list,
    do_admit,
    do_discharge,
    do_extend_stay,
    do_remove_from_waiting_list,
)
from .requests import (
    SHELTER_PURPOSE,
    clean_children,
    do_accept_request,
    do_decline_request,
    do_lapse_requests,
    do_request_placement,
    do_withdraw_request,
    is_requester_side,
)
from .rules import do_add_stay_rule_version, do_withdraw_stay_rule_version

__all__ = [
    "SHELTER_PURPOSE",
    "clean_children",
    "do_accept_request",
    "do_add_stay_rule_version",
    "do_add_to_waiting_list",
    "do_admit",
    "do_change_facility",
    "do_confirm_vacancies",
    "do_decline_request",
    "do_discharge",
    "do_extend_stay",
    "do_lapse_requests",
    "do_register_facility",
    "do_remove_from_waiting_list",
    "do_report_vacancies",
    "do_request_placement",
    "do_set_places",
    "do_step_vacancy",
    "do_withdraw_request",
    "do_withdraw_stay_rule_version",
    "is_requester_side",
    "is_staff_of",
]
