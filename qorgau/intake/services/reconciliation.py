"""Requests to reconcile the parties, decided by the versioned rule set and stored with the version used."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from qorgau.core.audit import diff, record
from qorgau.core.models import User
from qorgau.people.models import Person

from ..models import LegalRuleSet, PartyRole, ReconciliationDecision, Signal, SignalParty, as_local_date
from ..reconciliation import decide_reconciliation
from ._common import ensure_still_visible, locked_visible, require


def do_request_reconciliation(
    *, actor: User, signal: Signal, offender: Person, at: dt.datetime | None = None, note: str = ""
) -> ReconciliationDecision:
    """Decide a request to reconcile the parties of `signal` with `offender`, store and audit the decision.

    The law applied is the version in force on the day of the offence (`at`, by default the day the signal
    was received): a stricter later law does not reach back to an earlier offence (unconfirmed reading of
    the non-retroactivity principle; pass `at` to apply another day). Every decision, allowed or refused,
    is stored with the rule-set version and rule code it cites, and audited.
    """
    require(actor, "intake.reconcile")
    with transaction.atomic():
        signal = locked_visible(Signal, signal, actor, "reconcile")
        if not SignalParty.objects.filter(signal=signal, person=offender, role=PartyRole.OFFENDER).exists():
            raise ValidationError({"offender": _("This person is not an alleged offender in this signal.")})
        law_at = at or signal.received_at
        try:
            verdict = decide_reconciliation(signal, offender, law_at)
        except LegalRuleSet.DoesNotExist as exc:
            raise ValidationError(
                {"signal": _("No reconciliation rules are in force on this date; ask an administrator.")}
            ) from exc
        decision = ReconciliationDecision.objects.create(
            signal=signal,
            offender=offender,
            law_date=as_local_date(law_at),
            decided_by=actor,
            allowed=verdict.allowed,
            rule_set=verdict.rule_set,
            rule=verdict.rule,
            rule_code=verdict.rule_code,
            explanation=verdict.explanation,
            request_note=note.strip(),
        )
        record(
            actor=actor,
            action="reconciliation.decide",
            obj=decision,
            changes=diff(
                {},
                {
                    "signal": signal.pk,
                    "offender": offender.pk,
                    "allowed": verdict.allowed,
                    "rule_set": verdict.rule_set.code,
                    "rule_code": verdict.rule_code,
                    "law_date": decision.law_date,
                },
            ),
            reason=verdict.explanation,
        )
        ensure_still_visible(ReconciliationDecision, decision, actor)
    return decision
