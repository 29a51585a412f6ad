"""Versions of one rule never overlap in time, enforced by the database, not only by `clean()`.

On PostgreSQL an exclusion constraint over the effective period (a daterange, `[from, to)`, an empty end
open) per rule (`topic` of a legal rule set, `kind` of a deadline rule); it needs btree_gist for the `=`
part (a trusted extension: the database owner may create it). SQLite has no exclusion constraints:
triggers refuse an INSERT or UPDATE that would overlap another version (SQLite serialises writers, so
a check in a trigger cannot race). Not in `Meta.constraints`, which cannot say "PostgreSQL only".
"""

from django.db import migrations

TABLES = (("intake_legalruleset", "topic"), ("intake_deadlinerule", "kind"))


def _pg_constraint(table: str, column: str) -> str:
    return (
        f"ALTER TABLE {table} ADD CONSTRAINT {table}_periods_never_overlap EXCLUDE USING gist "
        f"({column} WITH =, daterange(effective_from, effective_to, '[)') WITH &&)"
    )


def _sqlite_triggers(table: str, column: str) -> list[str]:
    # Table and column names are the constants above, never input.
    overlap = (
        f"SELECT 1 FROM {table} AS other WHERE other.{column} = NEW.{column} AND other.id IS NOT NEW.id "  # noqa: S608
        "AND other.effective_from < COALESCE(NEW.effective_to, '9999-12-31') "
        "AND COALESCE(other.effective_to, '9999-12-31') > NEW.effective_from"
    )
    return [
        f"CREATE TRIGGER {table}_no_overlap_{event.lower()} BEFORE {event} ON {table} "
        f"WHEN EXISTS ({overlap}) "
        f"BEGIN SELECT RAISE(ABORT, '{table}_periods_never_overlap'); END"
        for event in ("INSERT", "UPDATE")
    ]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        for table, column in TABLES:
            schema_editor.execute(_pg_constraint(table, column))
    elif vendor == "sqlite":
        for table, column in TABLES:
            for statement in _sqlite_triggers(table, column):
                schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, _column in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(
                f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {table}_periods_never_overlap"
            )
        elif vendor == "sqlite":
            for event in ("insert", "update"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_overlap_{event}")


class Migration(migrations.Migration):
    dependencies = [("intake", "0003_signal_received_idx")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
