"""Loading the demand points (reference geography; idempotent, run by the demo and `load_reference`)."""

from __future__ import annotations

from django.db import transaction

from ..geography import demand_points
from ..models import DemandPoint


def do_load_demand_points() -> int:
    """Create the demand points that are missing (by code); returns how many were created."""
    with transaction.atomic():
        have = set(DemandPoint.objects.values_list("code", flat=True))
        rows = [DemandPoint(**p) for p in demand_points() if p["code"] not in have]
        DemandPoint.objects.bulk_create(rows, batch_size=500)
    return len(rows)
