"""The starting stay rules, frozen as they were written (reference.py is the live copy), and periods of
one facility type's versions never overlapping, enforced by the database (as intake/0004 does)."""

import datetime

from django.db import migrations

STAY_RULES = [
    {
        "facility_type": "crisis_centre",
        "max_stay_months": 6,
        "hold_hours": 4,
        "answer_hours": 2,
        "effective_from": datetime.date(2023, 6, 29),
        "confirmed": True,
        "source": "Order No. 263 of 29 June 2023 (special social services standards)",
        "notes": "Stay up to 6 months; the hold and answer times are defaults (unconfirmed).",
    },
    {
        "facility_type": "family_support",
        "max_stay_months": 6,
        "hold_hours": 4,
        "answer_hours": 4,
        "effective_from": datetime.date(2023, 6, 29),
        "confirmed": False,
        "source": "",
        "notes": "(unconfirmed) Default, as for crisis centres.",
    },
    {
        "facility_type": "adaptation_centre",
        "max_stay_months": 3,
        "hold_hours": 4,
        "answer_hours": 4,
        "effective_from": datetime.date(2023, 6, 29),
        "confirmed": False,
        "source": "",
        "notes": "(unconfirmed) Default: a temporary stay of up to 3 months.",
    },
    {
        "facility_type": "drug_treatment",
        "max_stay_months": None,
        "hold_hours": 24,
        "answer_hours": 24,
        "effective_from": datetime.date(2023, 6, 29),
        "confirmed": False,
        "source": "",
        "notes": "(unconfirmed) The length of compulsory treatment is set by the court, not by this rule.",
    },
]

TABLE, COLUMN = "facilities_stayrule", "facility_type"


def load(apps, schema_editor):
    StayRule = apps.get_model("facilities", "StayRule")
    for row in STAY_RULES:
        row = dict(row)
        StayRule.objects.get_or_create(
            facility_type=row.pop("facility_type"), effective_from=row.pop("effective_from"), defaults=row
        )


def never_overlap(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        schema_editor.execute(
            f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_periods_never_overlap EXCLUDE USING gist "
            f"({COLUMN} WITH =, daterange(effective_from, effective_to, '[)') WITH &&)"
        )
    elif vendor == "sqlite":
        overlap = (
            f"SELECT 1 FROM {TABLE} AS other WHERE other.{COLUMN} = NEW.{COLUMN} AND other.id IS NOT NEW.id "  # noqa: S608
            "AND other.effective_from < COALESCE(NEW.effective_to, '9999-12-31') "
            "AND COALESCE(other.effective_to, '9999-12-31') > NEW.effective_from"
        )
        for event in ("INSERT", "UPDATE"):
            schema_editor.execute(
                f"CREATE TRIGGER {TABLE}_no_overlap_{event.lower()} BEFORE {event} ON {TABLE} "
                f"WHEN EXISTS ({overlap}) BEGIN SELECT RAISE(ABORT, '{TABLE}_periods_never_overlap'); END"
            )


def allow_overlap(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} DROP CONSTRAINT IF EXISTS {TABLE}_periods_never_overlap")
    elif vendor == "sqlite":
        for event in ("insert", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_overlap_{event}")


class Migration(migrations.Migration):
    dependencies = [("facilities", "0001_initial")]
    operations = [
        migrations.RunPython(load, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(never_overlap, allow_overlap, elidable=False),
    ]
