"""`manage.py load_demand_points`: the GeoNames settlements and synthetic rural points (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from qorgau.planning.services import do_load_demand_points


class Command(BaseCommand):
    help = (
        "Load the planning demand points (GeoNames settlements, synthetic rural points); keeps existing ones."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        created = do_load_demand_points()
        self.stdout.write(f"Demand points: {created} created.")
