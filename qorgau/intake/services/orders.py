"""Protective orders: issue (with the compliance checks scheduled), record checks, report breaches."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.audit import diff, record
from qorgau.core.models import User
from qorgau.people.models import Person

from ..models import (
    CheckResult,
    ComplianceCheck,
    DeadlineKind,
    DeadlineRule,
    DeadlineRuleMissing,
    PartyRelationship,
    PartyRole,
    ProtectiveOrder,
    Signal,
    SignalParty,
)
from ._common import check_moment, ensure_still_visible, locked_visible, raise_if, require
from .signals import do_register_signal


def check_schedule(
    served_at: dt.datetime, expires_at: dt.datetime, interval: dt.timedelta
) -> list[dt.datetime]:
    """Due times one interval apart from service, strictly before expiry (7, 14, 21, 28 days for 30/7)."""
    due, out = served_at + interval, []
    while due < expires_at:
        out.append(due)
        due += interval
    return out


def do_issue_protective_order(
    *,
    actor: User,
    signal: Signal,
    offender: Person | None,
    served_at: dt.datetime | None,
    victims: Sequence[Person] | None = None,
    number: str = "",
) -> ProtectiveOrder:
    """Issue a protective order against an alleged offender of the signal and schedule its checks.

    Validity and check interval come from the DeadlineRule rows in force on the day of service (30 and 7
    days by Law No. 214-IV). `victims` default to every victim of the signal. The order is one of the
    signal's legal measures: `flows.issue_protective_order` issues it and records the measure in one
    transaction (an order often accompanies an administrative protocol or a criminal case).
    """
    require(actor, "intake.outcome")
    with transaction.atomic():
        signal = locked_visible(Signal, signal, actor, "outcome")
        parties = list(SignalParty.objects.filter(signal=signal).values_list("person_id", "role"))
        offender_ids = {pid for pid, role in parties if role == PartyRole.OFFENDER}
        victim_ids = {pid for pid, role in parties if role == PartyRole.VICTIM}
        errors: dict[str, Any] = {}
        if offender is None:
            errors["offender"] = _("Choose the alleged offender the order is issued against.")
        elif offender.pk not in offender_ids:
            errors["offender"] = _("The order is issued against an alleged offender of this signal.")
        protected = sorted(victim_ids) if victims is None else sorted({p.pk for p in victims})
        if not protected:
            errors["victims"] = _("Name at least one protected person.")
        elif not set(protected) <= victim_ids:
            errors["victims"] = _("Protected persons must be victims of this signal.")
        check_moment(errors, "served_at", served_at, not_before=signal.received_at)
        rules: dict[str, DeadlineRule] = {}
        if served_at is not None and "served_at" not in errors:
            try:
                rules = {
                    kind: DeadlineRule.effective(kind, served_at)
                    for kind in (
                        DeadlineKind.PROTECTIVE_ORDER_VALIDITY,
                        DeadlineKind.COMPLIANCE_CHECK_INTERVAL,
                    )
                }
            except DeadlineRuleMissing:
                errors["served_at"] = _(
                    "No protective order rules are in force on this date; ask an administrator."
                )
        raise_if(errors)
        assert offender is not None and served_at is not None

        validity = rules[DeadlineKind.PROTECTIVE_ORDER_VALIDITY]
        interval = rules[DeadlineKind.COMPLIANCE_CHECK_INTERVAL]
        order = ProtectiveOrder.objects.create(
            signal=signal,
            offender=offender,
            number=number.strip(),
            served_at=served_at,
            expires_at=served_at + validity.duration,
            validity_rule=validity,
            check_interval_rule=interval,
            issued_by=actor,
        )
        order.victims.set(protected)
        ComplianceCheck.objects.bulk_create(
            ComplianceCheck(order=order, due_at=due)
            for due in check_schedule(order.served_at, order.expires_at, interval.duration)
        )
        record(
            actor=actor,
            action="protective_order.issue",
            obj=order,
            changes=diff(
                {},
                {
                    "signal": signal.pk,
                    "offender": offender.pk,
                    "victims": protected,
                    "served_at": served_at,
                    "expires_at": order.expires_at,
                    "validity_rule": validity.pk,
                    "check_interval_rule": interval.pk,
                },
            ),
        )
        ensure_still_visible(ProtectiveOrder, order, actor)
    return order


def do_record_compliance_check(
    *, actor: User, check: ComplianceCheck, done_at: dt.datetime, result: str, notes: str = ""
) -> ComplianceCheck:
    """Record a compliance check. A breach found here is also reported as a new signal (do_report_breach)."""
    require(actor, "intake.change")
    with transaction.atomic():
        check = locked_visible(ComplianceCheck, check, actor, "change")
        order = check.order
        errors: dict[str, Any] = {}
        if check.done_at is not None:
            errors["done_at"] = _("This check is already recorded.")
        if result not in CheckResult.values:
            errors["result"] = _("Choose a valid result.")
        elif result != CheckResult.COMPLIED and not notes.strip():
            errors["notes"] = _("Describe what was found.")
        check_moment(errors, "done_at", done_at)
        if "done_at" not in errors and done_at < order.served_at:
            errors["done_at"] = _("A check cannot be before the order was served.")
        raise_if(errors)
        check.done_at, check.done_by, check.result, check.notes = done_at, actor, result, notes.strip()
        check.save(update_fields=["done_at", "done_by", "result", "notes"])
        record(
            actor=actor,
            action="compliance_check.record",
            obj=check,
            changes=diff({"done_at": None, "result": ""}, {"done_at": done_at, "result": result}),
        )
        ensure_still_visible(ComplianceCheck, check, actor)
    return check


def do_report_breach(
    *,
    actor: User,
    order: ProtectiveOrder,
    received_at: dt.datetime,
    channel: str,
    forms: Sequence[str] = (),
    account: str = "",
    children_present: bool = False,
    weapon: bool = False,
    injuries: bool = False,
    alcohol_or_drugs: bool = False,
    idempotency_key: str | None = None,
) -> Signal:
    """Report a breach of a protective order: a new signal with the order's parties, linked to the order.

    The breach is registered like any signal (number, deadlines, its own outcome), in the order's region
    and district, with the protected persons as victims and the order's offender as alleged offender.
    """
    require(actor, "intake.add")
    if not ProtectiveOrder.objects.visible_to(actor, "view").filter(pk=order.pk).exists():
        raise PermissionDenied("Not found.")
    original = order.signal
    if (
        isinstance(received_at, dt.datetime)
        and timezone.is_aware(received_at)
        and not order.in_force(received_at)
    ):
        raise ValidationError({"received_at": _("The protective order was not in force at that time.")})
    victims = list(order.victims.all())
    # What the offender is to each protected person, as the original signal recorded it per pair.
    known = dict(
        PartyRelationship.objects.filter(
            signal=original, offender__person=order.offender, victim__person__in=victims
        ).values_list("victim__person_id", "relationship")
    )
    relationships = [(order.offender, v, known[v.pk]) for v in victims if v.pk in known]
    with transaction.atomic():
        signal = do_register_signal(
            actor=actor,
            channel=channel,
            received_at=received_at,
            region=original.region,
            district=original.district,
            address=original.address,
            victims=victims,
            offenders=[order.offender],
            relationships=relationships,
            forms=forms,
            children_present=children_present,
            weapon=weapon,
            injuries=injuries,
            alcohol_or_drugs=alcohol_or_drugs,
            account=account,
            idempotency_key=idempotency_key,
            breach_of=order,
        )
        if not signal.idempotent_replay:
            record(
                actor=actor,
                action="protective_order.breach",
                obj=order,
                changes=diff({}, {"breach_signal": signal.pk, "in_force": order.in_force(received_at)}),
            )
    return signal
