"""The starting versions of intake's deadlines and reconciliation rules, frozen as they were written.

A migration must create the same rows whenever it runs, so it does not import `qorgau/intake/reference.py`
(the live starting data, which changes); an administrator maintains these rows as data afterwards.
"""

import datetime

from django.db import migrations

DEADLINES = [
    {
        "kind": "first_contact",
        "value": 24,
        "unit": "hours",
        "effective_from": datetime.date(2009, 12, 4),
        "confirmed": False,
        "source": "",
        "notes": "(unconfirmed) Default: first contact with the victim within 24 hours of receipt.",
    },
    {
        "kind": "outcome",
        "value": 10,
        "unit": "days",
        "effective_from": datetime.date(2009, 12, 4),
        "confirmed": False,
        "source": "",
        "notes": "(unconfirmed) Default: a legal outcome within 10 days of receipt.",
    },
    {
        "kind": "protective_order_validity",
        "value": 30,
        "unit": "days",
        "effective_from": datetime.date(2009, 12, 4),
        "confirmed": True,
        "source": "Law of the RK No. 214-IV of 4 December 2009 'On prevention of domestic violence'",
        "notes": "A protective order lasts 30 days from service.",
    },
    {
        "kind": "compliance_check_interval",
        "value": 7,
        "unit": "days",
        "effective_from": datetime.date(2009, 12, 4),
        "confirmed": True,
        "source": "Law of the RK No. 214-IV of 4 December 2009 'On prevention of domestic violence'",
        "notes": "Police check compliance with a protective order at least every 7 days.",
    },
]

RECONCILIATION_RULE_SETS = [
    {
        "topic": "reconciliation",
        "code": "pre-2024",
        "title": "Reconciliation before Law No. 72-VIII: allowed unless the offence is repeated within a "
        "year",
        "effective_from": datetime.date(2009, 12, 4),
        "effective_to": datetime.date(2024, 6, 16),
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
                "recorded offence (an outcome other than 'no offence found') within "
                "365 days before this one.",
                "position": 10,
                "confirmed": False,
            }
        ],
    },
    {
        "topic": "reconciliation",
        "code": "2024-72-VIII",
        "title": "Reconciliation under Law No. 72-VIII: excluded for physical violence, cruelty to "
        "children and repeated violence",
        "effective_from": datetime.date(2024, 6, 16),
        "effective_to": None,
        "confirmed": False,
        "source": "Law of the RK No. 72-VIII of 15 April 2024 (amendments on women's rights and child "
        "safety)",
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
                "description": "Refused when a victim was under 18 on the day of the signal, or "
                "children were present or affected (children_present), which this "
                "version treats as violence against the children as well.",
                "position": 20,
                "confirmed": False,
            },
            {
                "code": "repeated-violence",
                "kind": "repeated_violence",
                "params": {"lookback_days": 365, "count_since_effective_from": True},
                "title": "Repeated violence",
                "description": "Refused when the offender has an earlier signal with a recorded "
                "offence (an outcome other than 'no offence found') within 365 days "
                "before this one, or at any time since this version came into force.",
                "position": 30,
                "confirmed": True,
            },
        ],
    },
]


def load(apps, schema_editor):
    DeadlineRule = apps.get_model("intake", "DeadlineRule")
    LegalRuleSet = apps.get_model("intake", "LegalRuleSet")
    ReconciliationRule = apps.get_model("intake", "ReconciliationRule")
    for row in DEADLINES:
        row = dict(row)
        DeadlineRule.objects.get_or_create(
            kind=row.pop("kind"), effective_from=row.pop("effective_from"), defaults=row
        )
    for row in RECONCILIATION_RULE_SETS:
        row = dict(row)
        rules = row.pop("rules")
        rule_set, _ = LegalRuleSet.objects.get_or_create(
            topic=row.pop("topic"), code=row.pop("code"), defaults=row
        )
        for rule in rules:
            rule = dict(rule)
            ReconciliationRule.objects.get_or_create(rule_set=rule_set, code=rule.pop("code"), defaults=rule)


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
