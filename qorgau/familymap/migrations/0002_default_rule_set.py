"""The shipped standard rules as rule set v1, published; and the database's refusal to change a published
rule set (model and service refuse it too: this catches a queryset update or raw SQL). Deleting one is
refused by the model and by the runs that point to it (PROTECT); not by a trigger, which would also stop
the test runner's flush of the tables.

The rules are read from engine/rules/default.json (the reference data file) on a database that has no rule
set yet; a later change of the file reaches an existing database as a new draft, never as an edit of v1.
"""

import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

DEFAULT = Path(__file__).resolve().parents[1] / "engine" / "rules" / "default.json"

FROZEN = (
    "OLD.status <> 'draft' AND ("
    "NEW.document IS NOT OLD.document OR NEW.name IS NOT OLD.name OR NEW.version IS NOT OLD.version "
    "OR NEW.notes IS NOT OLD.notes OR NEW.published_at IS NOT OLD.published_at "
    "OR NEW.based_on_id IS NOT OLD.based_on_id "
    "OR NOT (NEW.status = OLD.status OR (OLD.status = 'published' AND NEW.status = 'retired')))"
)
PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION familymap_ruleset_frozen() RETURNS trigger AS $$
BEGIN
  IF {FROZEN.replace(" IS NOT ", " IS DISTINCT FROM ")} THEN
    RAISE EXCEPTION 'familymap_ruleset_frozen' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql
"""


def load_default(apps, schema_editor):
    RuleSet = apps.get_model("familymap", "RuleSet")
    if RuleSet.objects.exists():
        return
    document = json.loads(DEFAULT.read_text(encoding="utf-8"))
    RuleSet.objects.create(
        version=1,
        name=document.get("name", "Standard rules"),
        status="published",
        document=document,
        notes="Shipped with the application (engine/rules/default.json).",
        published_at=timezone.now(),
    )


def frozen_forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
        schema_editor.execute(
            "CREATE TRIGGER familymap_ruleset_frozen BEFORE UPDATE ON familymap_ruleset "
            "FOR EACH ROW EXECUTE FUNCTION familymap_ruleset_frozen()"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE TRIGGER familymap_ruleset_frozen_update BEFORE UPDATE ON familymap_ruleset WHEN {FROZEN} "
            "BEGIN SELECT RAISE(ABORT, 'familymap_ruleset_frozen'); END"
        )


def frozen_backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS familymap_ruleset_frozen ON familymap_ruleset")
        schema_editor.execute("DROP FUNCTION IF EXISTS familymap_ruleset_frozen()")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS familymap_ruleset_frozen_update")


class Migration(migrations.Migration):
    dependencies = [("familymap", "0001_initial")]
    operations = [
        migrations.RunPython(frozen_forwards, frozen_backwards, elidable=False),
        migrations.RunPython(load_default, migrations.RunPython.noop, elidable=False),
    ]
