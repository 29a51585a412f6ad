"""Recording the legal outcome of a signal: the only way a signal closes."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.audit import diff, record
from qorgau.core.models import Agency, AgencyType, User

from ..models import OrderStatus, Outcome, OutcomeKind, ProtectiveOrder, Signal, SignalStatus
from ._common import check_moment, ensure_still_visible, locked_visible, raise_if, require

# "73", "73-1", "108-1": an article number with an optional sub-article.
ARTICLE_RE = re.compile(r"^\d{1,4}(-\d{1,2})?$")
PART_RE = re.compile(r"^\d{1,2}(-\d{1,2})?$")

# The fields each kind keeps; the others are cleared so a form that posts every field stores no leftovers.
KIND_FIELDS: dict[str, set[str]] = {
    OutcomeKind.CRIMINAL_CASE: {"article", "part", "case_number", "details"},
    OutcomeKind.ADMIN_PROTOCOL: {"article", "part", "case_number", "details"},
    OutcomeKind.PROTECTIVE_ORDER: {"details"},
    OutcomeKind.SPECIAL_REQUIREMENTS: {"referred_agency", "details"},
    OutcomeKind.REFERRED: {"referred_agency", "details"},
    OutcomeKind.NO_OFFENCE: {"reason", "details"},
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
    if (
        kind == OutcomeKind.PROTECTIVE_ORDER
        and not ProtectiveOrder.objects.filter(signal=signal, status=OrderStatus.ACTIVE).exists()
    ):
        errors["kind"] = _("Issue the protective order first; then record it as the outcome.")
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
    correction_reason: str = "",
) -> Outcome:
    """Record the legal outcome and close the signal.

    Each kind has its required fields (criminal case: article and case number; administrative protocol:
    article, and the part for article 73; protective order: an issued order; special requirements: what
    was requested; referral: another agency; no offence: the reason). Replacing an outcome keeps the old
    row (superseded) and needs a correction reason. "The victim declined" is not an outcome.
    """
    require(actor, "intake.outcome")
    decided_at = decided_at or timezone.now()
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
        if kind in KIND_FIELDS:
            _validate_kind(signal, kind, values, errors)
            values = {
                k: (v if k in KIND_FIELDS[kind] else ("" if k != "referred_agency" else None))
                for k, v in values.items()
            }
        previous = Outcome.objects.filter(pk=signal.outcome_id).first() if signal.outcome_id else None
        if previous is not None and not correction_reason.strip():
            errors["correction_reason"] = _(
                "The signal already has an outcome; give the reason for correcting it."
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
            recorded_by=actor,
            recorded_at=now,
            correction_reason=correction_reason.strip() if previous else "",
            **values,
        )
        old = {
            "status": signal.status,
            "outcome": previous.pk if previous else None,
            "outcome_kind": previous.kind if previous else None,
        }
        signal.outcome = outcome
        signal.status = SignalStatus.CLOSED
        signal.closed_at = signal.closed_at or now
        signal.save(update_fields=["outcome", "status", "closed_at"])
        new = {"status": signal.status, "outcome": outcome.pk, "outcome_kind": kind}
        new |= {
            k: v
            for k, v in values.items()
            if k in ("article", "part", "case_number", "referred_agency") and v
        }
        record(
            actor=actor,
            action="signal.outcome",
            obj=signal,
            changes=diff(old, new),
            reason=outcome.correction_reason,
        )
        ensure_still_visible(Signal, signal, actor)
    return outcome
