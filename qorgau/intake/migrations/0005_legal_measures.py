"""Legal measures: a signal takes several (an order and a protocol); corrections link to what they correct."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_api_tokens"),
        ("intake", "0004_rule_periods_never_overlap"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="outcome",
            options={
                "ordering": ["signal", "-recorded_at", "-id"],
                "verbose_name": "legal measure",
                "verbose_name_plural": "legal measures",
            },
        ),
        migrations.AddField(
            model_name="outcome",
            name="corrects",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="corrections",
                to="intake.outcome",
                verbose_name="corrects the measure",
            ),
        ),
        migrations.AddField(
            model_name="outcome",
            name="order",
            field=models.ForeignKey(
                blank=True,
                help_text="For a protective order: the order issued.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="measures",
                to="intake.protectiveorder",
                verbose_name="protective order",
            ),
        ),
        migrations.AlterField(
            model_name="outcome",
            name="correction_reason",
            field=models.TextField(blank=True, verbose_name="reason for correcting the earlier measure"),
        ),
        migrations.AlterField(
            model_name="outcome",
            name="kind",
            field=models.CharField(
                choices=[
                    ("criminal_case", "criminal case registered"),
                    ("admin_protocol", "administrative protocol"),
                    ("protective_order", "protective order issued"),
                    ("special_requirements", "special requirements requested from a court"),
                    ("referred", "referred to another agency"),
                    ("no_offence", "no offence found"),
                ],
                max_length=24,
                verbose_name="measure",
            ),
        ),
        migrations.AlterField(
            model_name="signal",
            name="outcome",
            field=models.ForeignKey(
                blank=True,
                help_text="The current decisive measure (intake.models.DECISIVE_KINDS); set, the signal is closed.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="intake.outcome",
                verbose_name="decisive outcome",
            ),
        ),
    ]
