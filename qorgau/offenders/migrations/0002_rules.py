"""The starting rules of the offender track, frozen as written (reference.py is the live copy): none is
confirmed against the law (issue 15), so each says so; and periods of one rule's versions never overlap,
enforced by the database (as intake/0004 does)."""

import datetime

from django.db import migrations

START = datetime.date(2024, 1, 1)
UNCONFIRMED = (
    "(unconfirmed) Code on Public Health 2020 and the Health Ministry's order: deadline not confirmed."
)

STEP_DAYS = {
    "grounds": 3,
    "examination": 10,
    "conclusion": 5,
    "application": 15,
    "decision": 10,
    "waiting": 30,
    "admitted": 180,
}
PROGRAMME_DAYS = {
    "protective_order": (5, 14),  # Austria after a barring order: contact within 5 days, start within 14
    "court": (10, 30),
    "police": (7, 21),
    "voluntary": (14, 30),
}
ODARA_ITEMS = [
    "prior_domestic_assault",
    "prior_other_assault",
    "prior_custody",
    "failed_conditional_release",
    "threat_to_harm",
    "confinement",
    "victim_concern",
    "more_than_one_child",
    "victim_has_child_of_other",
    "violence_against_others",
    "substance_abuse",
    "assault_during_pregnancy",
    "barriers_to_support",
]
ODARA_BANDS = [[0, "low"], [2, "moderate"], [4, "high"]]

TABLES = {
    "offenders_treatmentsteprule": "step",
    "offenders_programmedeadlinerule": "basis",
    "offenders_requirementrule": "code",
    "offenders_offenderinstrument": "code",
}


def load(apps, schema_editor):
    StepRule = apps.get_model("offenders", "TreatmentStepRule")
    for step, days in STEP_DAYS.items():
        StepRule.objects.get_or_create(
            step=step, effective_from=START, defaults={"days": days, "notes": UNCONFIRMED}
        )
    ProgrammeRule = apps.get_model("offenders", "ProgrammeDeadlineRule")
    for basis, (contact, start) in PROGRAMME_DAYS.items():
        ProgrammeRule.objects.get_or_create(
            basis=basis,
            effective_from=START,
            defaults={"contact_days": contact, "start_days": start, "notes": "(unconfirmed) default"},
        )
    apps.get_model("offenders", "RequirementRule").objects.get_or_create(
        code="special_requirements",
        effective_from=START,
        defaults={"min_months": 1, "max_months": 12, "notes": "(unconfirmed) DOMAIN.md: 1-12 months"},
    )
    apps.get_model("offenders", "OffenderInstrument").objects.get_or_create(
        code="odara",
        effective_from=START,
        defaults={
            "number": 1,
            "items": ODARA_ITEMS,
            "bands": ODARA_BANDS,
            "source": "Hilton et al. 2004 (ODARA), items paraphrased",
            "notes": "(unconfirmed) norm table not confirmed; bands are placeholders",
        },
    )


def never_overlap(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, column in TABLES.items():
        if vendor == "postgresql":
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
            schema_editor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {table}_periods_never_overlap EXCLUDE USING gist "
                f"({column} WITH =, daterange(effective_from, effective_to, '[)') WITH &&)"
            )
        elif vendor == "sqlite":
            overlap = (
                f"SELECT 1 FROM {table} AS other WHERE other.{column} = NEW.{column} AND other.id IS NOT NEW.id "  # noqa: S608
                "AND other.effective_from < COALESCE(NEW.effective_to, '9999-12-31') "
                "AND COALESCE(other.effective_to, '9999-12-31') > NEW.effective_from"
            )
            for event in ("INSERT", "UPDATE"):
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_no_overlap_{event.lower()} BEFORE {event} ON {table} "
                    f"WHEN EXISTS ({overlap}) BEGIN SELECT RAISE(ABORT, '{table}_periods_never_overlap'); END"
                )


def allow_overlap(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(
                f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {table}_periods_never_overlap"
            )
        elif vendor == "sqlite":
            for event in ("insert", "update"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_overlap_{event}")


class Migration(migrations.Migration):
    dependencies = [("offenders", "0001_initial")]
    operations = [
        migrations.RunPython(load, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(never_overlap, allow_overlap, elidable=False),
    ]
