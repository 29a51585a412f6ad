"""The portal's service account: the `registered_by` and audit actor of the signals that messages from the
public help page become (intake/services/public.py). Inactive, no password, no role, no agency, no scope:
nobody signs in as it and it sees nothing."""

from django.db import migrations

USERNAME = "portal.public"


def create(apps, schema_editor):
    User = apps.get_model("core", "User")
    if not User.objects.filter(username=USERNAME).exists():
        User.objects.create(
            username=USERNAME,
            password="!",  # noqa: S106  an unusable password (django.contrib.auth.hashers.UNUSABLE_PASSWORD_PREFIX)
            is_active=False,
            first_name="Public help page",
        )


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial"), ("core", "0009_idempotency_records")]
    # Going back keeps the account: the signals it registered and the audit rows name it, and deleting
    # it would cascade into whatever later apps hold (an inactive account without a role is harmless).
    operations = [migrations.RunPython(create, migrations.RunPython.noop, elidable=False)]
