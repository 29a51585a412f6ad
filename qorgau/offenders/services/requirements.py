"""Court-imposed special requirements: recorded by the police for an offender of a signal, checked, and a
breach registered as a new signal with the original signal's victims (as protective-order breaches)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau.core.audit import diff, record
from qorgau.core.models import User
from qorgau.core.permissions import may_work_in
from qorgau.intake.models import PartyRelationship, PartyRole, Signal, SignalParty
from qorgau.intake.services import do_register_signal
from qorgau.people.models import Person

from ..models import CourtRequirement, RequirementCheck, RequirementKind, RequirementRule, RuleMissing
from ._common import ensure_still_visible, is_offender_of, locked_visible, raise_if, require, visible_signal


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def do_record_requirement(
    *,
    actor: User,
    signal: Signal,
    offender: Person,
    kinds: Sequence[str],
    months: int,
    starts_on: dt.date,
    court_reference: str,
) -> CourtRequirement:
    require(actor, "offenders.refer")
    visible_signal(actor, signal)
    if actor.agency is None:
        raise PermissionDenied("Only staff of an agency record requirements.")
    errors: dict[str, Any] = {}
    if not may_work_in(actor, signal.region_id):
        errors["signal"] = _("The signal is in a region you do not work in.")
    if not is_offender_of(signal, offender):
        errors["offender"] = _("Choose an alleged offender of this signal.")
    kinds = sorted(set(kinds))
    if not kinds or set(kinds) - set(RequirementKind.values):
        errors["kinds"] = _("Choose the requirements the court imposed.")
    if abs((starts_on - timezone.localdate()).days) > 366:
        raise ValidationError({"starts_on": _("Enter a start within a year of today.")})
    try:
        rule = RequirementRule.effective(starts_on)
    except RuleMissing:
        raise ValidationError(
            {"starts_on": _("No rule on special requirements applies on that day.")}
        ) from None
    if not rule.min_months <= months <= rule.max_months:
        errors["months"] = _("The court sets requirements for %(low)s to %(high)s months.") % {
            "low": rule.min_months,
            "high": rule.max_months,
        }
    if not court_reference.strip():
        errors["court_reference"] = _("Enter the number of the court's decision.")
    raise_if(errors)
    with transaction.atomic():
        requirement = CourtRequirement.objects.create(
            signal=signal,
            offender=offender,
            region_id=signal.region_id,
            agency=actor.agency,
            kinds=kinds,
            months=months,
            starts_on=starts_on,
            ends_on=_add_months(starts_on, months),
            rule=rule,
            court_reference=court_reference.strip(),
            recorded_by=actor,
        )
        record(
            actor=actor,
            action="courtrequirement.add",
            obj=requirement,
            changes=diff({}, {"kinds": kinds, "months": months, "starts_on": starts_on}),
        )
        ensure_still_visible(CourtRequirement, requirement, actor)
    return requirement


def do_check_requirement(
    *,
    actor: User,
    requirement: CourtRequirement,
    checked_on: dt.date,
    complied: bool,
    note: str = "",
    forms: Sequence[str] = (),
) -> RequirementCheck:
    """A check; a breach registers a new signal (its forms of violence, when any, given by the inspector)."""
    require(actor, "offenders.refer")
    with transaction.atomic():
        requirement = locked_visible(CourtRequirement, requirement, actor, "refer")
        if checked_on > timezone.localdate() or not requirement.in_force(checked_on):
            raise ValidationError(
                {"checked_on": _("Check on a day the requirements are in force, not later than today.")}
            )
        breach = None
        if not complied:
            original = requirement.signal
            victims = [
                p.person
                for p in SignalParty.objects.filter(signal=original, role=PartyRole.VICTIM).select_related(
                    "person"
                )
            ]
            known = dict(
                PartyRelationship.objects.filter(
                    signal=original, offender__person=requirement.offender, victim__person__in=victims
                ).values_list("victim__person_id", "relationship")
            )
            breach = do_register_signal(
                actor=actor,
                channel="other_agency",
                received_at=timezone.now(),
                region=original.region,
                district=original.district,
                victims=victims,
                offenders=[requirement.offender],
                relationships=[(requirement.offender, v, known[v.pk]) for v in victims if v.pk in known],
                forms=forms or ["psychological"],
                account=_("Breach of court requirements %(code)s.") % {"code": requirement.code},
            )
        check = RequirementCheck.objects.create(
            requirement=requirement,
            checked_on=checked_on,
            complied=complied,
            note=note.strip(),
            breach_signal=breach,
            checked_by=actor,
        )
        record(
            actor=actor,
            action="requirementcheck.add",
            obj=check,
            changes=diff({}, {"complied": complied, "breach_signal": getattr(breach, "pk", None)}),
        )
    return check
