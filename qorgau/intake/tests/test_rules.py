import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ..models import DeadlineKind, DeadlineRule, DeadlineRuleMissing, DurationUnit, LegalRuleSet, RuleTopic

pytestmark = pytest.mark.django_db


def test_the_seeded_deadlines_are_in_force_and_marked() -> None:
    now = timezone.now()
    values = {kind: DeadlineRule.effective(kind, now) for kind in DeadlineKind.values}
    assert values[DeadlineKind.FIRST_CONTACT].duration == dt.timedelta(hours=24)
    assert values[DeadlineKind.OUTCOME].duration == dt.timedelta(days=10)
    assert values[DeadlineKind.PROTECTIVE_ORDER_VALIDITY].duration == dt.timedelta(days=30)
    assert values[DeadlineKind.COMPLIANCE_CHECK_INTERVAL].duration == dt.timedelta(days=7)
    # defaults not taken from the law are flagged as such, the law's own figures are confirmed
    assert (
        not values[DeadlineKind.FIRST_CONTACT].confirmed and "(unconfirmed)" in values["first_contact"].notes
    )
    assert not values[DeadlineKind.OUTCOME].confirmed
    assert values[DeadlineKind.PROTECTIVE_ORDER_VALIDITY].confirmed


def test_a_missing_rule_is_an_error_not_a_guess() -> None:
    with pytest.raises(DeadlineRuleMissing):
        DeadlineRule.effective(DeadlineKind.OUTCOME, dt.date(1995, 1, 1))


def test_a_new_version_must_not_overlap_the_current_one() -> None:
    today = timezone.localdate()
    overlapping = DeadlineRule(
        kind=DeadlineKind.OUTCOME, value=7, unit=DurationUnit.DAYS, effective_from=today
    )
    with pytest.raises(ValidationError) as exc:
        overlapping.full_clean()
    assert "effective_from" in exc.value.message_dict

    current = DeadlineRule.effective(DeadlineKind.OUTCOME, today)
    current.effective_to = today
    current.full_clean()
    current.save()
    overlapping.full_clean()  # now it starts where the old one ends
    overlapping.save()
    assert DeadlineRule.effective(DeadlineKind.OUTCOME, today) == overlapping
    assert DeadlineRule.effective(DeadlineKind.OUTCOME, today - dt.timedelta(days=1)) == current


def test_a_rule_set_period_ends_after_it_starts() -> None:
    rule_set = LegalRuleSet.effective(RuleTopic.RECONCILIATION, timezone.now())
    rule_set.effective_to = rule_set.effective_from
    with pytest.raises(ValidationError) as exc:
        rule_set.full_clean()
    assert "effective_to" in exc.value.message_dict
