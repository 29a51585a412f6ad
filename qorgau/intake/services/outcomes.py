"""Recording the legal measures of a signal; its decisive measure (its outcome) is the only way it closes.

A signal takes several measures (police usually issue a protective order and draw up an article 73
protocol for the same incident). The decisive ones (`DECISIVE_KINDS`: criminal case, administrative
protocol, referral, no offence found) decide the incident and close the signal, one current at a time;
the protective ones (protective order, special requirements) accompany it and leave it open. The rules
of each kind's fields live here only: forms and serializers pass what was typed and show these errors.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.audit import diff, record
from qorgau.core.models import Agency, AgencyType, User

from ..models import (
    DECISIVE_KINDS,
    OrderStatus,
    Outcome,
    OutcomeKind,
    ProtectiveOrder,
    Signal,
    SignalStatus,
)
from ._common import check_moment, ensure_still_visible, locked_visible, raise_if, require

# "73", "73-1", "108-1": an article number with an optional sub-article.
ARTICLE_RE = re.compile(r"^\d{1,4}(-\d{1,2})?$")
PART_RE = re.compile(r"^\d{1,2}(-\d{1,2})?$")

# The fields each kind keeps; the others are cleared so a form that posts every field stores no leftovers.
# The outcome page shows these (and, for a protective order, the order's own fields).
KIND_FIELDS: dict[str, set[str]] = {
    OutcomeKind.CRIMINAL_CASE: {"article", "part", "case_number", "details"},
    OutcomeKind.ADMIN_PROTOCOL: {"article", "part", "case_number", "details"},
    OutcomeKind.PROTECTIVE_ORDER: {"details"},
    OutcomeKind.SPECIAL_REQUIREMENTS: {"referred_agency", "details"},
    OutcomeKind.REFERRED: {"referred_agency", "details"},
    OutcomeKind.NO_OFFENCE: {"reason", "details"},
}

# The fields the rules below refuse when empty: the outcome page marks them (the rules stay here).
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    OutcomeKind.CRIMINAL_CASE: ("article", "case_number"),
    OutcomeKind.ADMIN_PROTOCOL: ("article",),
    OutcomeKind.PROTECTIVE_ORDER: (),
    OutcomeKind.SPECIAL_REQUIREMENTS: ("details",),
    OutcomeKind.REFERRED: ("referred_agency",),
    OutcomeKind.NO_OFFENCE: ("reason",),
}


def _validate_kind(signal: Signal, kind: str, values: dict[str, Any], errors: dict[str, Any]) -> None:
    article, part = values["article"], values["part"]
    agency: Agency | None = values["referred_agency"]
    if kind in (OutcomeKind.CRIMINAL_CASE, OutcomeKind.ADMIN_PROTOCOL):
        if not article:
            errors["article"] = _("Enter the article.")
        elif not ARTICLE_RE.match(article):
            errors["article"] = _("Enter an article number such as 73 or 108-1.")
        if part and not PART_RE.match(part):
            errors["part"] = _("Enter a part number such as 1.")
    if kind == OutcomeKind.CRIMINAL_CASE and not values["case_number"]:
        errors["case_number"] = _("Enter the criminal case number.")
    if kind == OutcomeKind.ADMIN_PROTOCOL and article == "73" and not part:
        errors["part"] = _("Enter the part of article 73.")
    if kind == OutcomeKind.SPECIAL_REQUIREMENTS:
        if not values["details"]:
            errors["details"] = _("Describe the special requirements requested.")
        if agency is not None and agency.type != AgencyType.COURT:
            errors["referred_agency"] = _("Special requirements are requested from a court.")
    if kind == OutcomeKind.REFERRED:
        if agency is None:
            errors["referred_agency"] = _("Choose the agency the signal is referred to.")
        elif agency.pk == signal.agency_id:
            errors["referred_agency"] = _("Refer the signal to another agency, not the registering one.")
        elif not agency.is_active:
            errors["referred_agency"] = _("This agency is no longer active.")
    if kind == OutcomeKind.NO_OFFENCE and not values["reason"].strip():
        errors["reason"] = _("Give the reason why no offence was found.")


def _order_of(
    signal: Signal, order: ProtectiveOrder | None, corrects: Outcome | None, errors: dict[str, Any]
) -> ProtectiveOrder | None:
    """The order a protective-order measure records: the one given, the corrected measure's, or the
    signal's latest issued order not yet recorded."""
    if order is None and corrects is not None and corrects.order_id:
        order = corrects.order
    if order is not None:
        if order.signal_id != signal.pk:
            errors["order"] = _("Choose a protective order of this signal.")
            return None
        taken = Outcome.objects.filter(order=order, superseded_at__isnull=True)
        if corrects is not None:
            taken = taken.exclude(pk=corrects.pk)
        if taken.exists():
            errors["order"] = _("This order is already recorded as a measure; correct that measure instead.")
        return order
    order = (
        ProtectiveOrder.objects.filter(signal=signal, status=OrderStatus.ACTIVE)
        .exclude(
            pk__in=Outcome.objects.filter(order__isnull=False, superseded_at__isnull=True).values("order")
        )
        .order_by("-served_at", "-id")
        .first()
    )
    if order is None:
        errors["kind"] = _("Issue the protective order first; then record it as a measure.")
    return order


def _corrected(
    signal: Signal, kind: str, corrects: Outcome | None, correction_reason: str, errors: dict[str, Any]
) -> Outcome | None:
    """The current measure this one replaces, if any; a second decisive measure corrects the first."""
    if corrects is not None:
        current = Outcome.objects.filter(pk=corrects.pk, signal=signal, superseded_at__isnull=True).first()
        if current is None:
            errors["corrects"] = _("Choose a current measure of this signal to correct.")
            return None
        if kind in OutcomeKind.values and (kind in DECISIVE_KINDS) != current.is_decisive:
            errors["kind"] = _(
                "A correction replaces a measure of the same sort: a decisive outcome by a decisive "
                "outcome, a protective measure by a protective measure."
            )
        if not correction_reason:
            errors["correction_reason"] = _("Give the reason for correcting the earlier measure.")
        return current
    if kind not in DECISIVE_KINDS:
        return None
    if signal.outcome_id is None:
        return None
    current = Outcome.objects.filter(pk=signal.outcome_id, superseded_at__isnull=True).first()
    if current is not None and not correction_reason:
        errors["correction_reason"] = _(
            "The signal already has an outcome; give the reason for correcting it."
        )
    return current


def do_record_outcome(
    *,
    actor: User,
    signal: Signal,
    kind: str,
    decided_at: dt.datetime | None = None,
    article: str = "",
    part: str = "",
    case_number: str = "",
    referred_agency: Agency | None = None,
    details: str = "",
    reason: str = "",
    order: ProtectiveOrder | None = None,
    corrects: Outcome | None = None,
    correction_reason: str = "",
) -> Outcome:
    """Record a legal measure; a decisive one is the signal's outcome and closes it.

    Each kind has its required fields (criminal case: article and case number; administrative protocol:
    article, and the part for article 73; protective order: an issued order of the signal not yet
    recorded, `order` or the latest; special requirements: what was requested, from a court; referral:
    another, active agency; no offence: the reason). "The victim declined" is not a measure.

    Corrections keep the history: `corrects` names the current measure replaced (of the same sort, decisive
    or protective), which keeps its values and gets `superseded_at`; a decisive measure on a signal that has
    one corrects it. Both need `correction_reason`, stored on the new row and in the audit row.
    """
    require(actor, "intake.outcome")
    decided_at = decided_at or timezone.now()
    correction_reason = correction_reason.strip()
    with transaction.atomic():
        signal = locked_visible(Signal, signal, actor, "outcome")
        errors: dict[str, Any] = {}
        if kind not in OutcomeKind.values:
            errors["kind"] = _("Choose a valid outcome.")
        check_moment(errors, "decided_at", decided_at, not_before=signal.received_at)
        values: dict[str, Any] = {
            "article": article.strip(),
            "part": part.strip(),
            "case_number": case_number.strip(),
            "referred_agency": referred_agency,
            "details": details.strip(),
            "reason": reason.strip(),
        }
        previous = _corrected(signal, kind, corrects, correction_reason, errors)
        if kind in KIND_FIELDS:
            _validate_kind(signal, kind, values, errors)
            values = {
                k: (v if k in KIND_FIELDS[kind] else ("" if k != "referred_agency" else None))
                for k, v in values.items()
            }
        recorded_order = (
            _order_of(signal, order, previous, errors) if kind == OutcomeKind.PROTECTIVE_ORDER else None
        )
        raise_if(errors)

        now = timezone.now()
        if previous is not None:
            previous.superseded_at = now
            previous.save(update_fields=["superseded_at"])
        outcome = Outcome.objects.create(
            signal=signal,
            kind=kind,
            decided_at=decided_at,
            order=recorded_order,
            corrects=previous,
            recorded_by=actor,
            recorded_at=now,
            correction_reason=correction_reason if previous else "",
            **values,
        )
        fields = {
            k: v
            for k, v in values.items()
            if k in ("article", "part", "case_number", "referred_agency") and v
        }
        if kind in DECISIVE_KINDS:
            old = {
                "status": signal.status,
                "outcome": previous.pk if previous else None,
                "outcome_kind": previous.kind if previous else None,
            }
            signal.outcome = outcome
            signal.status = SignalStatus.CLOSED
            signal.closed_at = signal.closed_at or now
            signal.save(update_fields=["outcome", "status", "closed_at"])
            new = {"status": signal.status, "outcome": outcome.pk, "outcome_kind": kind, **fields}
            action = "signal.outcome"
        else:
            old = {
                "status": signal.status,
                "measure": previous.pk if previous else None,
                "measure_kind": previous.kind if previous else None,
            }
            if signal.status == SignalStatus.REGISTERED:
                signal.status = SignalStatus.IN_PROGRESS
                signal.save(update_fields=["status"])
            new = {"status": signal.status, "measure": outcome.pk, "measure_kind": kind, **fields}
            if recorded_order is not None:
                new["order"] = recorded_order.pk
            action = "signal.measure"
        record(
            actor=actor, action=action, obj=signal, changes=diff(old, new), reason=outcome.correction_reason
        )
        ensure_still_visible(Signal, signal, actor)
    return outcome
