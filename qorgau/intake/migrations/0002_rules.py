from django.db import migrations


def load(apps, schema_editor):
    from qorgau.intake.reference import load_deadlines, load_reconciliation_rules

    load_deadlines(apps.get_model("intake", "DeadlineRule"))
    load_reconciliation_rules(
        apps.get_model("intake", "LegalRuleSet"), apps.get_model("intake", "ReconciliationRule")
    )


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
