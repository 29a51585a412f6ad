"""The offenders actions for the existing default roles, and the two roles the app brings, frozen as
literals (docs/adding-a-domain.md, step 2). Adding actions that did not exist overrides no
administrator's choice; a deleted role is skipped; a role that exists keeps its name."""

from django.db import migrations

NEW_ROLES = {
    "narcologist": ("Narcologist", "Health facility: narcological examinations for compulsory treatment."),
    "programme_provider": (
        "Programme provider",
        "Runs correctional or psychological programmes for offenders.",
    ),
}

GRANTS = {
    "district_inspector": ["offenders.view", "offenders.refer"],
    "narcologist": ["offenders.view", "offenders.examine"],
    "facility_manager": ["offenders.view", "offenders.admit"],
    "programme_provider": ["offenders.view", "offenders.programme"],
    "case_worker": ["offenders.view", "offenders.partner"],
    "analyst": ["offenders.analyse"],
}


def grant(apps, schema_editor):
    Role = apps.get_model("core", "Role")
    for slug, (name, description) in NEW_ROLES.items():
        Role.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "actions": []}
        )
    for role in Role.objects.filter(slug__in=GRANTS):
        role.actions = sorted({*role.actions, *GRANTS[role.slug]})
        role.save(update_fields=["actions"])


def revoke(apps, schema_editor):
    Role = apps.get_model("core", "Role")
    for role in Role.objects.filter(slug__in=GRANTS):
        role.actions = [action for action in role.actions if action not in GRANTS[role.slug]]
        role.save(update_fields=["actions"])
    Role.objects.filter(slug__in=NEW_ROLES, actions=[]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("offenders", "0002_rules"),
        ("core", "0002_reference_data"),
        ("facilities", "0003_role_grants"),
    ]
    operations = [migrations.RunPython(grant, revoke, elidable=False)]
