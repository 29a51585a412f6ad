"""The offender's single relationship is gone: relationships are per offender-victim pair (0009 moved them)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("intake", "0009_party_pairs_data")]

    operations = [migrations.RemoveField(model_name="signalparty", name="relationship")]
