"""The starting versions of intake's legal rules and time limits (DOMAIN.md section 4).

The data migration loads these; an administrator then maintains them as data. Values marked unconfirmed
(`confirmed=False`) are sensible, configurable defaults awaiting legal confirmation, never hard-coded law.
The loaders are idempotent: existing rows (by kind and start date, or topic and code) are left as an
administrator may have changed them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

LAW_214_IV = "Law of the RK No. 214-IV of 4 December 2009 'On prevention of domestic violence'"
LAW_72_VIII = "Law of the RK No. 72-VIII of 15 April 2024 (amendments on women's rights and child safety)"
# The day from which the deadlines below are applied; earlier signals do not exist in Qorgau.
DEADLINES_FROM = dt.date(2009, 12, 4)

DEADLINES: list[dict[str, Any]] = [
    {
        "kind": "first_contact",
        "value": 24,
        "unit": "hours",
        "effective_from": DEADLINES_FROM,
        "confirmed": False,
        "source": "",
        "notes": "(unconfirmed) Default: first contact with the victim within 24 hours of receipt.",
    },
    {
        "kind": "outcome",
        "value": 10,
        "unit": "days",
        "effective_from": DEADLINES_FROM,
        "confirmed": False,
        "source": "",
        "notes": "(unconfirmed) Default: a legal outcome within 10 days of receipt.",
    },
    {
        "kind": "protective_order_validity",
        "value": 30,
        "unit": "days",
        "effective_from": DEADLINES_FROM,
        "confirmed": True,
        "source": LAW_214_IV,
        "notes": "A protective order lasts 30 days from service.",
    },
    {
        "kind": "compliance_check_interval",
        "value": 7,
        "unit": "days",
        "effective_from": DEADLINES_FROM,
        "confirmed": True,
        "source": LAW_214_IV,
        "notes": "Police check compliance with a protective order at least every 7 days.",
    },
]

# (unconfirmed) Law No. 72-VIII was signed on 15 April 2024 and entered into force in June 2024; the exact
# day used here, 16 June 2024, must be confirmed against adilet.zan.kz and corrected as data if wrong.
LAW_72_VIII_IN_FORCE = dt.date(2024, 6, 16)
RECONCILIATION_FROM = dt.date(2009, 12, 4)

RECONCILIATION_RULE_SETS: list[dict[str, Any]] = [
    {
        "topic": "reconciliation",
        "code": "pre-2024",
        "title": "Reconciliation before Law No. 72-VIII: allowed unless the offence is repeated "
        "within a year",
        "effective_from": RECONCILIATION_FROM,
        "effective_to": LAW_72_VIII_IN_FORCE,
        "confirmed": False,
        "source": "Code of Administrative Offences of the RK, art. 73 and the rules on reconciliation "
        "(unconfirmed)",
        "notes": "(unconfirmed) Simplified: only the repeat-within-a-year exclusion is modelled.",
        "rules": [
            {
                "code": "repeat-within-year",
                "kind": "repeated_violence",
                "params": {"lookback_days": 365, "count_since_effective_from": False},
                "title": "Repeated offence within a year of an earlier one",
                "description": "(unconfirmed) Refused when the offender has an earlier signal with a "
                "recorded offence (an outcome other than 'no offence found') within 365 days "
                "before this one.",
                "position": 10,
                "confirmed": False,
            },
        ],
    },
    {
        "topic": "reconciliation",
        "code": "2024-72-VIII",
        "title": "Reconciliation under Law No. 72-VIII: excluded for physical violence, cruelty to children "
        "and repeated violence",
        "effective_from": LAW_72_VIII_IN_FORCE,
        "effective_to": None,
        "confirmed": False,
        "source": LAW_72_VIII,
        "notes": "(unconfirmed) In force in June 2024; the exact day is to be confirmed.",
        "rules": [
            {
                "code": "physical-violence",
                "kind": "physical_violence",
                "params": {},
                "title": "Physical violence",
                "description": "Refused when the signal records physical violence.",
                "position": 10,
                "confirmed": True,
            },
            {
                "code": "cruelty-to-children",
                "kind": "child_cruelty",
                "params": {"minor_age": 18, "include_children_present": True},
                "title": "Cruelty to children",
                "description": "Refused when a victim was under 18 on the day of the signal, or children "
                "were present or affected (children_present), which this version treats as violence "
                "against the children as well.",
                "position": 20,
                "confirmed": False,
            },
            {
                "code": "repeated-violence",
                "kind": "repeated_violence",
                "params": {"lookback_days": 365, "count_since_effective_from": True},
                "title": "Repeated violence",
                "description": "Refused when the offender has an earlier signal with a recorded offence (an "
                "outcome other than 'no offence found') within 365 days before this one, or at any "
                "time since this version came into force.",
                "position": 30,
                "confirmed": True,
            },
        ],
    },
]


def load_deadlines(deadline_model: Any) -> int:
    created = 0
    for row in DEADLINES:
        row = dict(row)
        _, was_created = deadline_model.objects.get_or_create(
            kind=row.pop("kind"), effective_from=row.pop("effective_from"), defaults=row
        )
        created += was_created
    return created


def load_reconciliation_rules(rule_set_model: Any, rule_model: Any) -> int:
    created = 0
    for row in RECONCILIATION_RULE_SETS:
        row = dict(row)
        rules = row.pop("rules")
        rule_set, was_created = rule_set_model.objects.get_or_create(
            topic=row.pop("topic"), code=row.pop("code"), defaults=row
        )
        created += was_created
        for rule in rules:
            rule = dict(rule)
            _, was_created = rule_model.objects.get_or_create(
                rule_set=rule_set, code=rule.pop("code"), defaults=rule
            )
            created += was_created
    return created
