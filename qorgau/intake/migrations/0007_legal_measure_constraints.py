"""At most one current decisive measure per signal, one current measure per order, one correction per row."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("intake", "0006_legal_measures_data")]

    operations = [
        migrations.AddConstraint(
            model_name="outcome",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("kind__in", ["admin_protocol", "criminal_case", "no_offence", "referred"]),
                    ("superseded_at__isnull", True),
                ),
                fields=("signal",),
                name="outcome_one_current_decisive",
            ),
        ),
        migrations.AddConstraint(
            model_name="outcome",
            constraint=models.UniqueConstraint(
                condition=models.Q(("order__isnull", False), ("superseded_at__isnull", True)),
                fields=("order",),
                name="outcome_one_current_per_order",
            ),
        ),
        migrations.AddConstraint(
            model_name="outcome",
            constraint=models.UniqueConstraint(
                condition=models.Q(("corrects__isnull", False)),
                fields=("corrects",),
                name="outcome_corrected_once",
            ),
        ),
    ]
