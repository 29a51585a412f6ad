"""Existing outcomes become legal measures (docs/decisions.md, "Legal measures").

Frozen: the kinds are written here as they were when this migration was written, and nothing is imported
from the live code (which changes after it).

1. Corrections: within a signal, a row recorded after a superseded row corrects it (`corrects`).
2. Each current "protective order" measure is linked to an order of its signal (the latest not yet linked).
3. A protective order no longer decides a signal: a signal closed by one is open again (registered, or in
   progress when assigned or contacted) until its decisive measure is recorded.
4. Each order without a measure (issued without recording it as the outcome) gets one, recorded by whoever
   issued it when they issued it.
"""

from django.db import migrations
from django.db.models import Count, Q

PROTECTIVE_ORDER = "protective_order"


def forwards(apps, schema_editor):
    Outcome = apps.get_model("intake", "Outcome")
    Signal = apps.get_model("intake", "Signal")
    ProtectiveOrder = apps.get_model("intake", "ProtectiveOrder")

    # 1. the chain of corrections
    corrected = Outcome.objects.filter(superseded_at__isnull=False).values_list("signal_id", flat=True)
    for signal_id in sorted(set(corrected)):
        rows = list(Outcome.objects.filter(signal_id=signal_id).order_by("recorded_at", "id"))
        for earlier, later in zip(rows, rows[1:], strict=False):
            if earlier.superseded_at is not None and later.corrects_id is None:
                later.corrects_id = earlier.pk
                later.save(update_fields=["corrects"])

    # 2. current order measures linked to their orders
    linked: set[int] = set()
    current_orders = Outcome.objects.filter(kind=PROTECTIVE_ORDER, superseded_at__isnull=True)
    for measure in current_orders.order_by("recorded_at", "id"):
        order = (
            ProtectiveOrder.objects.filter(signal_id=measure.signal_id)
            .exclude(pk__in=linked)
            .order_by("-served_at", "-id")
            .first()
        )
        if order is not None:
            linked.add(order.pk)
            measure.order_id = order.pk
            measure.save(update_fields=["order"])

    # 3. signals closed by a protective order are open again
    for signal in Signal.objects.filter(outcome__kind=PROTECTIVE_ORDER):
        signal.outcome_id = None
        signal.closed_at = None
        worked = signal.assigned_to_id is not None or signal.first_contact_at is not None
        signal.status = "in_progress" if worked else "registered"
        signal.save(update_fields=["outcome", "closed_at", "status"])

    # 4. a measure for each order that has none
    unrecorded = ProtectiveOrder.objects.annotate(
        n=Count("measures", filter=Q(measures__superseded_at__isnull=True))
    ).filter(n=0)
    Outcome.objects.bulk_create(
        Outcome(
            signal_id=order.signal_id,
            kind=PROTECTIVE_ORDER,
            order_id=order.pk,
            decided_at=order.served_at,
            recorded_by_id=order.issued_by_id,
            recorded_at=order.created_at,
        )
        for order in unrecorded.order_by("id").iterator()
    )


class Migration(migrations.Migration):
    dependencies = [("intake", "0005_legal_measures")]

    # Backwards the new columns go with 0005; reopened signals stay open (their outcome was an order).
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
