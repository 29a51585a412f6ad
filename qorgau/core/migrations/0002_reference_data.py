from django.db import migrations


def load(apps, schema_editor):
    from qorgau.core.reference import load_regions, load_roles

    load_regions(apps.get_model("core", "Region"))
    load_roles(apps.get_model("core", "Role"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
