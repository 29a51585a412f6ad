"""Maintaining the legal rules: a new version of a rule set or a time limit, when the next law comes.

The versioning rules are core.effective's (a new version after the one in force, which ends the day it
starts; a version not yet in force and unused may be withdrawn; system administrators only); this module
validates what is particular to intake: the rule set's rules and their parameters, the time limits. The
database refuses overlapping periods (migration intake/0004) whatever the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from qorgau.core.effective import (
    add_version,
    check_start,
    latest_version,
    require_rules_admin,
    withdraw_version,
)
from qorgau.core.models import User

from ..models import (
    DeadlineKind,
    DeadlineRule,
    DurationUnit,
    LegalRuleSet,
    ReconciliationRule,
    ReconciliationRuleKind,
    RuleTopic,
)

# The parameters each reconciliation test takes (intake/reconciliation.py), with their type and range.
RULE_PARAMS: dict[str, dict[str, tuple[type, int | None, int | None]]] = {
    ReconciliationRuleKind.PHYSICAL_VIOLENCE: {},
    ReconciliationRuleKind.CHILD_CRUELTY: {
        "minor_age": (int, 1, 25),
        "include_children_present": (bool, None, None),
    },
    ReconciliationRuleKind.REPEATED_VIOLENCE: {
        "lookback_days": (int, 1, 3650),
        "count_since_effective_from": (bool, None, None),
    },
}
RULE_FIELDS = ("code", "kind", "params", "title", "description", "position", "confirmed")


def _refuse(number: int, problem: Any) -> ValidationError:
    return ValidationError({"rules": _("Rule %(n)d: %(problem)s") % {"n": number, "problem": problem}})


def _check_params(number: int, kind: str, params: Any) -> dict[str, Any]:
    if not isinstance(params, Mapping):
        raise _refuse(number, _("parameters are an object."))
    schema = RULE_PARAMS[kind]
    for name, value in params.items():
        if name not in schema:
            raise _refuse(number, _("the test %(k)s takes no parameter %(p)s.") % {"k": kind, "p": name})
        kind_of, low, high = schema[name]
        out_of_range = kind_of is int and type(value) is int and not low <= value <= high  # type: ignore[operator]
        if type(value) is not kind_of or out_of_range:  # bool is an int: compare types exactly
            raise _refuse(
                number, _("%(p)s must be %(what)s.") % {"p": name, "what": _describe(kind_of, low, high)}
            )
    return dict(params)


def _clean_rule(number: int, rule: Any, codes: set[str]) -> dict[str, Any]:
    if not isinstance(rule, Mapping):
        raise _refuse(number, _("each rule is an object with a code and a test."))
    unknown = set(rule) - set(RULE_FIELDS)
    if unknown:
        raise _refuse(number, _("unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    code, kind = rule.get("code"), rule.get("kind")
    if not isinstance(code, str) or not code.strip() or len(code) > 60:
        raise _refuse(number, _("a code of at most 60 characters is required."))
    if code in codes:
        raise _refuse(number, _("the code %(c)s is given twice.") % {"c": code})
    codes.add(code)
    if kind not in ReconciliationRuleKind.values:
        raise _refuse(
            number, _("the test must be one of %(c)s.") % {"c": ", ".join(ReconciliationRuleKind.values)}
        )
    title = rule.get("title", "")
    if not isinstance(title, str) or not title.strip() or len(title) > 300:
        raise _refuse(number, _("a title of at most 300 characters is required."))
    position = rule.get("position", number)
    if type(position) is not int or not 0 <= position <= 32767:
        raise _refuse(number, _("the position is a whole number from 0."))
    description, confirmed = rule.get("description", ""), rule.get("confirmed", False)
    if not isinstance(description, str) or type(confirmed) is not bool:
        raise _refuse(number, _("the description is text and confirmed is true or false."))
    return {
        "code": code.strip(),
        "kind": kind,
        "params": _check_params(number, kind, rule.get("params", {})),
        "title": title.strip(),
        "description": description.strip(),
        "position": position,
        "confirmed": confirmed,
    }


def clean_rules(rules: Any) -> list[dict[str, Any]]:
    """The reconciliation rules of a new version, validated: a list of objects with RULE_FIELDS."""
    if not isinstance(rules, list) or not rules:
        raise ValidationError({"rules": _("Give at least one rule, as a list.")})
    codes: set[str] = set()
    return [_clean_rule(number, rule, codes) for number, rule in enumerate(rules, start=1)]


def _describe(kind_of: type, low: int | None, high: int | None) -> str:
    if kind_of is bool:
        return str(_("true or false"))
    return str(_("a whole number from %(low)d to %(high)d") % {"low": low, "high": high})


def current_rules(rule_set: LegalRuleSet) -> list[dict[str, Any]]:
    """A version's rules in the shape `clean_rules` takes: the starting point of the next version."""
    return [
        {field: getattr(rule, field) for field in RULE_FIELDS}
        for rule in rule_set.reconciliation_rules.order_by("position", "id")
    ]


def check_rule_set_version(
    *,
    topic: str,
    code: str,
    title: str,
    effective_from: Any,
    rules: Any,
    source: str = "",
    lock: bool = False,
) -> tuple[LegalRuleSet | None, list[dict[str, Any]]]:
    """Validate a new version of a rule set (every error at once): the version it follows and its rules.

    Forms call it to show errors before saving; `do_add_rule_set_version` calls it again with `lock`."""
    errors: dict[str, Any] = {}
    if topic not in RuleTopic.values:
        raise ValidationError({"topic": _("Unknown topic.")})
    code, title = (code or "").strip(), (title or "").strip()
    if not code or len(code) > 40:
        errors["code"] = _("A version code of at most 40 characters is required, e.g. 2027-15-IX.")
    elif LegalRuleSet.objects.filter(topic=topic, code=code).exists():
        errors["code"] = _("This version code is taken.")
    if not title or len(title) > 300:
        errors["title"] = _("A title of at most 300 characters is required.")
    if len(source or "") > 300:
        errors["source"] = _("At most 300 characters.")
    current = latest_version(LegalRuleSet, {"topic": topic}, lock=lock)
    check_start(errors, current, effective_from)
    cleaned: list[dict[str, Any]] = []
    try:
        cleaned = clean_rules(rules)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return current, cleaned


@transaction.atomic
def do_add_rule_set_version(
    *,
    actor: User,
    topic: str,
    code: str,
    title: str,
    effective_from: dt.date,
    rules: Sequence[Mapping[str, Any]],
    source: str = "",
    notes: str = "",
    confirmed: bool = False,
) -> LegalRuleSet:
    """Add a version of the legal rule set on `topic`, with its rules; it follows the version in force."""
    require_rules_admin(actor)
    current, cleaned = check_rule_set_version(
        topic=topic,
        code=code,
        title=title,
        effective_from=effective_from,
        rules=rules,
        source=source,
        lock=True,
    )
    rule_set = LegalRuleSet(
        topic=topic,
        code=code.strip(),
        title=title.strip(),
        effective_from=effective_from,
        source=source.strip(),
        notes=notes.strip(),
        confirmed=confirmed,
    )
    add_version(
        actor=actor, version=rule_set, current=current, changes={"rules": [r["code"] for r in cleaned]}
    )
    ReconciliationRule.objects.bulk_create(ReconciliationRule(rule_set=rule_set, **rule) for rule in cleaned)
    return rule_set


def check_deadline_version(
    *, kind: str, value: Any, unit: str, effective_from: Any, source: str = "", lock: bool = False
) -> DeadlineRule | None:
    """Validate a new version of a time limit (every error at once); the version it follows."""
    errors: dict[str, Any] = {}
    if kind not in DeadlineKind.values:
        raise ValidationError({"kind": _("Unknown time limit.")})
    if unit not in DurationUnit.values:
        errors["unit"] = _("Hours or days.")
    if type(value) is not int or not 1 <= value <= 100_000:
        errors["value"] = _("A whole number from 1 to 100000.")
    if len(source or "") > 300:
        errors["source"] = _("At most 300 characters.")
    current = latest_version(DeadlineRule, {"kind": kind}, lock=lock)
    check_start(errors, current, effective_from)
    if errors:
        raise ValidationError(errors)
    return current


@transaction.atomic
def do_add_deadline_version(
    *,
    actor: User,
    kind: str,
    value: int,
    unit: str,
    effective_from: dt.date,
    source: str = "",
    notes: str = "",
    confirmed: bool = False,
) -> DeadlineRule:
    """Add a version of the time limit `kind`; it follows the version in force. Signals registered from
    its first day take it; earlier ones keep the rule they were registered with."""
    require_rules_admin(actor)
    current = check_deadline_version(
        kind=kind, value=value, unit=unit, effective_from=effective_from, source=source, lock=True
    )
    rule = DeadlineRule(
        kind=kind,
        value=value,
        unit=unit,
        effective_from=effective_from,
        source=source.strip(),
        notes=notes.strip(),
        confirmed=confirmed,
    )
    return add_version(actor=actor, version=rule, current=current, changes={"value": value, "unit": unit})


def do_withdraw_version(*, actor: User, version: LegalRuleSet | DeadlineRule, reason: str) -> None:
    """Withdraw a version not yet in force that no decision used (core.effective.withdraw_version); a
    rule set's own rules go with it."""
    parts = (ReconciliationRule,) if isinstance(version, LegalRuleSet) else ()
    withdraw_version(actor=actor, version=version, reason=reason, parts=parts)
