"""Children as parties of a signal, and the relationship per offender-victim pair (PartyRelationship)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0007_legal_measure_constraints"),
        ("people", "0005_person_name_key_prefixes"),
    ]

    operations = [
        migrations.CreateModel(
            name="PartyRelationship",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "relationship",
                    models.CharField(
                        choices=[
                            ("spouse", "spouse"),
                            ("former_spouse", "former spouse"),
                            ("partner", "partner"),
                            ("parent", "parent (the victim is the child)"),
                            ("child", "child (the victim is the parent)"),
                            ("sibling", "sibling"),
                            ("other_relative", "other relative"),
                            ("cohabitant", "cohabitant"),
                        ],
                        help_text="What the alleged offender is to the victim.",
                        max_length=20,
                        verbose_name="relationship to the victim",
                    ),
                ),
            ],
            options={
                "verbose_name": "relationship of an offender to a victim",
                "verbose_name_plural": "relationships of offenders to victims",
                "ordering": ["signal", "offender", "victim"],
            },
        ),
        migrations.AddField(
            model_name="signalparty",
            name="child_involvement",
            field=models.CharField(
                blank=True,
                choices=[
                    ("witness", "witnessed the violence"),
                    ("affected", "directly affected (harmed, threatened or neglected)"),
                ],
                help_text="For a child: a witness of the violence or directly affected by it.",
                max_length=16,
                verbose_name="what the child went through",
            ),
        ),
        migrations.AlterField(
            model_name="signalparty",
            name="role",
            field=models.CharField(
                choices=[
                    ("victim", "victim"),
                    ("offender", "alleged offender"),
                    ("reporter", "reporter"),
                    ("witness", "witness"),
                    ("child", "child"),
                ],
                max_length=16,
                verbose_name="role",
            ),
        ),
        migrations.AddConstraint(
            model_name="signalparty",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("role", "child"), models.Q(("child_involvement", ""), _negated=True)),
                    models.Q(models.Q(("role", "child"), _negated=True), ("child_involvement", "")),
                    _connector="OR",
                ),
                name="signal_party_child_involvement",
            ),
        ),
        migrations.AddField(
            model_name="partyrelationship",
            name="offender",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="relationships_as_offender",
                to="intake.signalparty",
                verbose_name="alleged offender",
            ),
        ),
        migrations.AddField(
            model_name="partyrelationship",
            name="signal",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="relationships",
                to="intake.signal",
                verbose_name="signal",
            ),
        ),
        migrations.AddField(
            model_name="partyrelationship",
            name="victim",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="relationships_as_victim",
                to="intake.signalparty",
                verbose_name="victim",
            ),
        ),
        migrations.AddConstraint(
            model_name="partyrelationship",
            constraint=models.UniqueConstraint(
                fields=("offender", "victim"), name="party_relationship_unique_pair"
            ),
        ),
    ]
