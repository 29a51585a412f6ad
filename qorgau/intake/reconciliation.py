"""The reconciliation guard: applies the rule-set version in force on a day to an offence and its history.

Which grounds exclude reconciliation, and their parameters, are data (LegalRuleSet, ReconciliationRule);
this module holds the tests those rows name (`ReconciliationRuleKind`):

- physical_violence: the signal records physical violence.
- child_cruelty ("cruelty to children"): a victim of the signal was a minor (younger than
  `params["minor_age"]`, 18 by default, on the local day the signal was received, by the person's birth
  date), or a child party of the signal was directly affected (`ChildInvolvement.AFFECTED`), or, when
  `params["include_children_present"]` is true, the signal records that children were present or affected
  (`Signal.children_present`, true whenever a child party is named). A victim without a birth date is not
  taken as a minor.
- repeated_violence: the offender was the alleged offender in an earlier signal (registered before this
  one, `Signal.registered_before`: registration order, not the received minute, which two signals often
  share) whose current decisive outcome records an offence, i.e. any outcome except "no offence found",
  received within `params["lookback_days"]` days before this signal, or, when
  `params["count_since_effective_from"]` is true, at any time since the rule set came into force. Signals
  still without a decisive outcome do not count (a protective order alone is not a finding): an
  allegation not yet decided is not a finding.

The history is read from the whole register, not the requesting user's scope: the law looks at every
earlier offence. The explanation therefore gives counts, never registration numbers or places.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, NamedTuple

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.people.models import Person
from qorgau.people.queries import identity_ids

from .models import (
    ChildInvolvement,
    LegalRuleSet,
    OutcomeKind,
    PartyRole,
    ReconciliationRule,
    ReconciliationRuleKind,
    RuleTopic,
    Signal,
    SignalParty,
    as_local_date,
)


class Verdict(NamedTuple):
    allowed: bool
    rule_set: LegalRuleSet
    rule_code: str
    explanation: str
    rule: ReconciliationRule | None = None


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _physical(rule: ReconciliationRule, signal: Signal, offender: Person) -> str | None:
    if signal.form_physical:
        return str(_("The signal records physical violence."))
    return None


def _child_cruelty(rule: ReconciliationRule, signal: Signal, offender: Person) -> str | None:
    minor_age = int(rule.params.get("minor_age", 18))
    day = as_local_date(signal.received_at)
    births = SignalParty.objects.filter(
        signal=signal, role=PartyRole.VICTIM, person__birth_date__isnull=False
    ).values_list("person__birth_date", flat=True)
    if any(birth is not None and _age_on(birth, day) < minor_age for birth in births):
        return str(_("A victim was younger than %(age)d on the day of the signal.") % {"age": minor_age})
    if SignalParty.objects.filter(
        signal=signal, role=PartyRole.CHILD, child_involvement=ChildInvolvement.AFFECTED
    ).exists():
        return str(_("A child was directly affected by the violence."))
    if rule.params.get("include_children_present", False) and signal.children_present:
        return str(_("Children were present or affected."))
    return None


def prior_offences(signal: Signal, offender: Person, since: dt.datetime) -> Any:
    """Signals registered before `signal` (whole register) where `offender` was the alleged offender and an
    offence was found.

    The whole identity counts: another agency's own record of the same person (Person.linked_to) is the
    same offender in law, whether or not the requester may see it.
    """
    return (
        Signal.objects.filter(
            signal.registered_before(),
            parties__person__in=identity_ids(offender),
            parties__role=PartyRole.OFFENDER,
            received_at__gte=since,
            outcome__isnull=False,
        )
        .exclude(pk=signal.pk)
        .exclude(outcome__kind=OutcomeKind.NO_OFFENCE)
        .distinct()
    )


def _repeated(rule: ReconciliationRule, signal: Signal, offender: Person) -> str | None:
    lookback = dt.timedelta(days=int(rule.params.get("lookback_days", 365)))
    since = signal.received_at - lookback
    if rule.params.get("count_since_effective_from", False):
        since = min(since, _start_of_day(rule.rule_set.effective_from))
    count = prior_offences(signal, offender, since).count()
    if count:
        return str(
            _("The offender has %(count)d earlier signal(s) with a recorded offence counted by this rule.")
            % {"count": count}
        )
    return None


TESTS: dict[str, Callable[[ReconciliationRule, Signal, Person], str | None]] = {
    ReconciliationRuleKind.PHYSICAL_VIOLENCE: _physical,
    ReconciliationRuleKind.CHILD_CRUELTY: _child_cruelty,
    ReconciliationRuleKind.REPEATED_VIOLENCE: _repeated,
}


def decide_reconciliation(signal: Signal, offender: Person, at: dt.datetime | dt.date) -> Verdict:
    """Apply the reconciliation rule set in force on the day of `at`; the first ground that holds refuses.

    Returns (allowed, rule set version, rule code, explanation[, rule]). Reads only; the service stores it.
    """
    rule_set = LegalRuleSet.effective(RuleTopic.RECONCILIATION, at)
    rules = list(ReconciliationRule.objects.filter(rule_set=rule_set).select_related("rule_set"))
    for rule in rules:
        test = TESTS.get(rule.kind)
        if test is None:  # a kind the code does not know must never silently allow
            raise LookupError(
                f"No test for reconciliation rule kind {rule.kind!r} ({rule_set.code}/{rule.code})."
            )
        reason = test(rule, signal, offender)
        if reason:
            explanation = _(
                "Reconciliation is refused under %(version)s, rule %(rule)s (%(title)s): %(reason)s"
            ) % {
                "version": rule_set.code,
                "rule": rule.code,
                "title": rule.title,
                "reason": reason,
            }
            return Verdict(False, rule_set, rule.code, str(explanation), rule)
    explanation = _("Reconciliation is allowed: no exclusion of %(version)s applies.") % {
        "version": rule_set.code
    }
    return Verdict(True, rule_set, "", str(explanation), None)


__all__ = ["TESTS", "Verdict", "decide_reconciliation", "prior_offences"]
