"""The family map actions for the existing default roles, frozen as literals (docs/adding-a-domain.md,
step 2). Adding actions that did not exist overrides no administrator's choice; a deleted role is skipped.
"""

from django.db import migrations

GRANTS = {
    "district_social_worker": ["familymap.view"],
    "analyst": ["familymap.run", "familymap.rules"],
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
    dependencies = [("familymap", "0002_default_rule_set"), ("core", "0002_reference_data")]
    operations = [migrations.RunPython(grant, revoke, elidable=False)]
