"""The stay rules before Order No. 263 of 29 June 2023: the same limits, from 2015 until that order, so that
a stay before it (the demo's 2022 year, records entered late) keeps the version it used. Frozen here;
reference.py holds the live copy."""

import datetime

from django.db import migrations

BEFORE = datetime.date(2023, 6, 29)
EARLIER = [
    ("crisis_centre", 6, 4, 2),
    ("family_support", 6, 4, 4),
    ("adaptation_centre", 3, 4, 4),
    ("drug_treatment", None, 24, 24),
]


def load(apps, schema_editor):
    StayRule = apps.get_model("facilities", "StayRule")
    for facility_type, months, hold, answer in EARLIER:
        StayRule.objects.get_or_create(
            facility_type=facility_type,
            effective_from=datetime.date(2015, 1, 1),
            defaults={
                "effective_to": BEFORE,
                "max_stay_months": months,
                "hold_hours": hold,
                "answer_hours": answer,
                "confirmed": False,
                "source": "",
                "notes": "(unconfirmed) Before Order No. 263 of 29 June 2023: the same limit assumed.",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("facilities", "0003_role_grants")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
