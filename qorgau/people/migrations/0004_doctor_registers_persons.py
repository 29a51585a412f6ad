"""The doctor, who reports signals from health facilities, registers the victim too (people.add): the
signal form offered "Register a signal" but no way to find or create the persons. Frozen: the action and
the role are literals, as in every data migration."""

from django.db import migrations

ROLE, ACTION = "doctor", "people.add"


def grant(apps, schema_editor):
    Role = apps.get_model("core", "Role")
    for role in Role.objects.filter(slug=ROLE):
        if ACTION not in role.actions:
            role.actions = sorted({*role.actions, ACTION})
            role.save(update_fields=["actions"])


def revoke(apps, schema_editor):
    Role = apps.get_model("core", "Role")
    for role in Role.objects.filter(slug=ROLE):
        role.actions = [action for action in role.actions if action != ACTION]
        role.save(update_fields=["actions"])


class Migration(migrations.Migration):
    dependencies = [("people", "0003_consent_rule"), ("core", "0002_reference_data")]
    operations = [migrations.RunPython(grant, revoke, elidable=False)]
