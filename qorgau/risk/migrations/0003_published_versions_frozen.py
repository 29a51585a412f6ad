"""The database refuses what the services refuse: a published instrument version and its items are never
edited, and published versions of one instrument (and versions of the referral rule) never overlap.

Only the end of a published version may be set (a new version ends it on the day it starts). Deleting is
not guarded here (the tests' flush deletes every row); the admin and the services never delete a
published version. On PostgreSQL: triggers and exclusion constraints (btree_gist, as intake's 0004);
on SQLite: triggers. Frozen SQL, never generated from live code.
"""

# ruff: noqa: S608  (table and column names are the constants of this file, never input)

from django.db import migrations

VERSION_FIELDS = ("instrument_id", "number", "status", "scoring", "bands", "effective_from")

SQLITE = [
    "CREATE TRIGGER risk_item_frozen_insert BEFORE INSERT ON risk_item "
    "WHEN (SELECT status FROM risk_instrumentversion WHERE id = NEW.version_id) = 'published' "
    "BEGIN SELECT RAISE(ABORT, 'risk_published_versions_frozen'); END",
    "CREATE TRIGGER risk_item_frozen_update BEFORE UPDATE ON risk_item "
    "WHEN (SELECT status FROM risk_instrumentversion WHERE id = OLD.version_id) = 'published' "
    "OR (SELECT status FROM risk_instrumentversion WHERE id = NEW.version_id) = 'published' "
    "BEGIN SELECT RAISE(ABORT, 'risk_published_versions_frozen'); END",
    "CREATE TRIGGER risk_version_frozen_update BEFORE UPDATE ON risk_instrumentversion "
    "WHEN OLD.status = 'published' AND ("
    + " OR ".join(f"NEW.{field} IS NOT OLD.{field}" for field in VERSION_FIELDS)
    + ") BEGIN SELECT RAISE(ABORT, 'risk_published_versions_frozen'); END",
    *[
        f"CREATE TRIGGER risk_version_no_overlap_{event.lower()} BEFORE {event} ON risk_instrumentversion "
        "WHEN NEW.status = 'published' AND EXISTS (SELECT 1 FROM risk_instrumentversion AS other "
        "WHERE other.instrument_id = NEW.instrument_id AND other.id IS NOT NEW.id "
        "AND other.status = 'published' "
        "AND other.effective_from < COALESCE(NEW.effective_to, '9999-12-31') "
        "AND COALESCE(other.effective_to, '9999-12-31') > NEW.effective_from) "
        "BEGIN SELECT RAISE(ABORT, 'risk_versions_never_overlap'); END"
        for event in ("INSERT", "UPDATE")
    ],
    *[
        f"CREATE TRIGGER risk_referralrule_no_overlap_{event.lower()} BEFORE {event} ON risk_referralrule "
        "WHEN EXISTS (SELECT 1 FROM risk_referralrule AS other "
        "WHERE other.code = NEW.code AND other.id IS NOT NEW.id "
        "AND other.effective_from < COALESCE(NEW.effective_to, '9999-12-31') "
        "AND COALESCE(other.effective_to, '9999-12-31') > NEW.effective_from) "
        "BEGIN SELECT RAISE(ABORT, 'risk_referralrule_periods_never_overlap'); END"
        for event in ("INSERT", "UPDATE")
    ],
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS risk_item_frozen_insert",
    "DROP TRIGGER IF EXISTS risk_item_frozen_update",
    "DROP TRIGGER IF EXISTS risk_version_frozen_update",
    "DROP TRIGGER IF EXISTS risk_version_no_overlap_insert",
    "DROP TRIGGER IF EXISTS risk_version_no_overlap_update",
    "DROP TRIGGER IF EXISTS risk_referralrule_no_overlap_insert",
    "DROP TRIGGER IF EXISTS risk_referralrule_no_overlap_update",
]

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "CREATE FUNCTION risk_item_frozen() RETURNS trigger AS $$ BEGIN "
    "IF EXISTS (SELECT 1 FROM risk_instrumentversion v WHERE v.id = NEW.version_id AND v.status = 'published') "
    "THEN RAISE EXCEPTION 'risk_published_versions_frozen' USING ERRCODE = 'check_violation'; END IF; "
    "IF TG_OP = 'UPDATE' THEN "
    "IF EXISTS (SELECT 1 FROM risk_instrumentversion v WHERE v.id = OLD.version_id AND v.status = 'published') "
    "THEN RAISE EXCEPTION 'risk_published_versions_frozen' USING ERRCODE = 'check_violation'; END IF; END IF; "
    "RETURN NEW; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER risk_item_frozen BEFORE INSERT OR UPDATE ON risk_item "
    "FOR EACH ROW EXECUTE FUNCTION risk_item_frozen()",
    "CREATE FUNCTION risk_version_frozen() RETURNS trigger AS $$ BEGIN "
    "RAISE EXCEPTION 'risk_published_versions_frozen' USING ERRCODE = 'check_violation'; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER risk_version_frozen BEFORE UPDATE ON risk_instrumentversion FOR EACH ROW "
    "WHEN (OLD.status = 'published' AND ("
    + " OR ".join(f"NEW.{field} IS DISTINCT FROM OLD.{field}" for field in VERSION_FIELDS)
    + ")) EXECUTE FUNCTION risk_version_frozen()",
    "ALTER TABLE risk_instrumentversion ADD CONSTRAINT risk_versions_never_overlap EXCLUDE USING gist "
    "(instrument_id WITH =, daterange(effective_from, effective_to, '[)') WITH &&) WHERE (status = 'published')",
    "ALTER TABLE risk_referralrule ADD CONSTRAINT risk_referralrule_periods_never_overlap EXCLUDE USING gist "
    "(code WITH =, daterange(effective_from, effective_to, '[)') WITH &&)",
]
POSTGRES_DROP = [
    "ALTER TABLE risk_referralrule DROP CONSTRAINT IF EXISTS risk_referralrule_periods_never_overlap",
    "ALTER TABLE risk_instrumentversion DROP CONSTRAINT IF EXISTS risk_versions_never_overlap",
    "DROP TRIGGER IF EXISTS risk_version_frozen ON risk_instrumentversion",
    "DROP FUNCTION IF EXISTS risk_version_frozen()",
    "DROP TRIGGER IF EXISTS risk_item_frozen ON risk_item",
    "DROP FUNCTION IF EXISTS risk_item_frozen()",
]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRES)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRES_DROP)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("risk", "0002_dash_default")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
