"""Each offender's relationship becomes the relationship of each of its offender-victim pairs.

Until now a signal kept one relationship (on each alleged offender's party row, the same for every victim).
It now becomes one PartyRelationship per pair of that offender with each victim of the signal. An offender
without a recorded relationship gets no rows (nothing is invented).

Frozen: nothing is imported from the live code (which changes after this migration was written).
"""

from django.db import migrations

OFFENDER, VICTIM = "offender", "victim"
BATCH = 2000


def forwards(apps, schema_editor):
    SignalParty = apps.get_model("intake", "SignalParty")
    PartyRelationship = apps.get_model("intake", "PartyRelationship")

    offenders = (
        SignalParty.objects.filter(role=OFFENDER)
        .exclude(relationship="")
        .order_by("signal_id", "id")
        .values_list("id", "signal_id", "relationship")
    )
    rows = []
    last_signal, victims = None, []
    for offender_id, signal_id, relationship in offenders.iterator(chunk_size=BATCH):
        if signal_id != last_signal:
            last_signal = signal_id
            victims = list(
                SignalParty.objects.filter(signal_id=signal_id, role=VICTIM)
                .order_by("id")
                .values_list("id", flat=True)
            )
        rows += [
            PartyRelationship(
                signal_id=signal_id, offender_id=offender_id, victim_id=victim_id, relationship=relationship
            )
            for victim_id in victims
        ]
        if len(rows) >= BATCH:
            PartyRelationship.objects.bulk_create(rows)
            rows = []
    PartyRelationship.objects.bulk_create(rows)


def backwards(apps, schema_editor):
    """Back to one relationship per offender: the first of its pairs (by victim)."""
    SignalParty = apps.get_model("intake", "SignalParty")
    PartyRelationship = apps.get_model("intake", "PartyRelationship")
    first = {}
    for offender_id, relationship in PartyRelationship.objects.order_by(
        "offender_id", "victim_id"
    ).values_list("offender_id", "relationship"):
        first.setdefault(offender_id, relationship)
    for offender_id, relationship in first.items():
        SignalParty.objects.filter(pk=offender_id).update(relationship=relationship)
    PartyRelationship.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("intake", "0008_party_pairs")]

    operations = [migrations.RunPython(forwards, backwards)]
