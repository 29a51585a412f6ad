"""New versions of the offender track's deadline rules (core/effective.py): system administrators only,
from a day not in the past, the version in force ended the day the new one starts; audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from qorgau.core.effective import add_version, check_start, latest_version, require_rules_admin

from ..models import ProgrammeDeadlineRule, ReferralBasis, TreatmentStep, TreatmentStepRule
from ._common import raise_if


def _days(errors: dict[str, Any], field: str, value: Any, high: int) -> None:
    if not isinstance(value, int) or not 1 <= value <= high:
        errors[field] = _("A whole number from 1 to %(high)s.") % {"high": high}


def check_step_rule(*, step: Any, effective_from: Any, days: Any, **rest: Any) -> None:
    errors: dict[str, Any] = {}
    if step not in TreatmentStep.values:
        errors["step"] = _("Choose a step of the procedure.")
    else:
        check_start(errors, latest_version(TreatmentStepRule, {"step": step}), effective_from)
    _days(errors, "days", days, 730)
    raise_if(errors)


@transaction.atomic
def do_add_step_rule_version(
    *,
    actor: Any,
    step: str,
    effective_from: dt.date,
    days: int,
    source: str = "",
    confirmed: bool = False,
    notes: str = "",
    **rest: Any,
) -> TreatmentStepRule:
    require_rules_admin(actor)
    check_step_rule(step=step, effective_from=effective_from, days=days)
    current = latest_version(TreatmentStepRule, {"step": step}, lock=True)
    rule = TreatmentStepRule(
        step=step,
        effective_from=effective_from,
        days=days,
        source=source.strip(),
        confirmed=confirmed,
        notes=notes.strip(),
    )
    return add_version(actor=actor, version=rule, current=current, changes={"step": step, "days": days})


def check_programme_rule(
    *, basis: Any, effective_from: Any, contact_days: Any, start_days: Any, **rest: Any
) -> None:
    errors: dict[str, Any] = {}
    if basis not in ReferralBasis.values:
        errors["basis"] = _("Choose the basis of the referral.")
    else:
        check_start(errors, latest_version(ProgrammeDeadlineRule, {"basis": basis}), effective_from)
    _days(errors, "contact_days", contact_days, 365)
    _days(errors, "start_days", start_days, 365)
    if isinstance(contact_days, int) and isinstance(start_days, int) and start_days < contact_days:
        errors["start_days"] = _("The first session cannot be due before the first contact.")
    raise_if(errors)


@transaction.atomic
def do_add_programme_rule_version(
    *,
    actor: Any,
    basis: str,
    effective_from: dt.date,
    contact_days: int,
    start_days: int,
    source: str = "",
    confirmed: bool = False,
    notes: str = "",
    **rest: Any,
) -> ProgrammeDeadlineRule:
    require_rules_admin(actor)
    check_programme_rule(
        basis=basis, effective_from=effective_from, contact_days=contact_days, start_days=start_days
    )
    current = latest_version(ProgrammeDeadlineRule, {"basis": basis}, lock=True)
    rule = ProgrammeDeadlineRule(
        basis=basis,
        effective_from=effective_from,
        contact_days=contact_days,
        start_days=start_days,
        source=source.strip(),
        confirmed=confirmed,
        notes=notes.strip(),
    )
    return add_version(
        actor=actor,
        version=rule,
        current=current,
        changes={"basis": basis, "contact_days": contact_days, "start_days": start_days},
    )
