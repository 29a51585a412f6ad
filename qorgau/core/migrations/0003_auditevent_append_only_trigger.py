"""The audit log is append-only in the database too: on PostgreSQL a trigger refuses UPDATE, DELETE and
TRUNCATE of core_auditevent, whatever client issues them (the model and queryset already refuse in Python).

SQLite has no such protection; production runs on PostgreSQL. The only way round the trigger is a database
superuser's `SET session_replication_role = replica` (ordinary triggers do not fire then), which is the
documented, audited maintenance path for retention purges (docs/operations.md).
"""

from django.db import migrations

FUNCTION = "core_auditevent_append_only"

CREATE_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'core_auditevent is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS core_auditevent_no_update_delete ON core_auditevent;
CREATE TRIGGER core_auditevent_no_update_delete
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();

DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;
CREATE TRIGGER core_auditevent_no_truncate
    BEFORE TRUNCATE ON core_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}();
"""

DROP_SQL = f"""
DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;
DROP TRIGGER IF EXISTS core_auditevent_no_update_delete ON core_auditevent;
DROP FUNCTION IF EXISTS {FUNCTION}();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_SQL, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_reference_data")]
    operations = [migrations.RunPython(create_trigger, drop_trigger, elidable=False)]
