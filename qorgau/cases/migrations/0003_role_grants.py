"""The cases actions for the existing default roles, frozen as literals (docs/adding-a-domain.md, step 2).

Adding actions that did not exist overrides no administrator's choice; a deleted role is skipped.
"""

from django.db import migrations

CASE_WORKER = ["cases.view", "cases.add", "cases.change", "cases.refer", "cases.close"]
SPECIALIST = ["cases.view", "cases.change"]
GRANTS = {
    "case_worker": CASE_WORKER,
    "psychologist": SPECIALIST,
    "lawyer": SPECIALIST,
    "doctor": SPECIALIST,
    "facility_manager": ["cases.view", "cases.change"],
}


def grant(apps, schema_editor):
    Role = apps.get_model("core", "Role")
    for role in Role.objects.filter(slug__in=GRANTS):
        role.actions = sorted({*role.actions, *GRANTS[role.slug]})
        role.save(update_fields=["actions"])


def revoke(apps, schema_editor):
    Role = apps.get_model("core", "Role")
    for role in Role.objects.filter(slug__in=GRANTS):
        role.actions = [action for action in role.actions if action not in GRANTS[role.slug]]
        role.save(update_fields=["actions"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_referral_purposes"), ("core", "0002_reference_data")]
    operations = [migrations.RunPython(grant, revoke, elidable=False)]
