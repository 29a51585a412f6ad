"""`manage.py demo`: the synthetic demo data set (foundation: districts, agencies, demo users, persons).

Refuses unless DEMO_MODE is on: it creates accounts whose password is printed and published.
On a database that already has agencies it refuses, unless `--if-empty` (skip quietly, as `make run` does)
or `--force` (top up: every row is found by its natural key, so nothing is duplicated or deleted).
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from qorgau.core.models import Agency
from qorgau.demo.foundation import (
    DEMO_PASSWORD,
    HOME_REGION,
    Foundation,
    MissingReferenceData,
    build_foundation,
)
from qorgau.demo.persons import create_persons, plan_persons


class Command(BaseCommand):
    help = (
        "Generate the synthetic demo data set (deterministic for --seed). Demo mode only. "
        "Refuses on a database with agencies unless --if-empty (skip) or --force (top up, never deletes)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2022, help="random seed (default 2022)")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if the database already has agencies"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="run on a database that already has agencies (adds what is missing, deletes nothing)",
        )
        parser.add_argument(
            "--persons", type=int, default=200, help="synthetic persons to register (default 200)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("DEMO_MODE is off: demo accounts with a published password are refused here.")
        existing = Agency.objects.count()
        if existing and options["if_empty"]:
            self.stdout.write(f"Demo data: skipped, the database already has {existing} agencies.")
            return
        if existing and not options["force"]:
            raise CommandError(
                f"The database already has {existing} agencies. Use --if-empty to skip, "
                "or --force to add the demo data set alongside (nothing is deleted)."
            )
        seed = options["seed"]
        started = time.perf_counter()
        self.stdout.write(f"Demo data (seed {seed}):")
        progress = self._progress
        try:
            with transaction.atomic():
                foundation = build_foundation(seed=seed, progress=progress)
                self._persons(foundation, seed=seed, count=options["persons"])
        except MissingReferenceData as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready in {time.perf_counter() - started:.1f} s. ")
            + f"Password of every demo.* account: {DEMO_PASSWORD}\n"
            "  Backup codes for the second factor: `manage.py demo_logins` (make run prints them)."
        )

    def _progress(self, message: str) -> None:
        self.stdout.write(f"  {message}")

    def _persons(self, foundation: Foundation, *, seed: int, count: int) -> None:
        if count <= 0:
            return
        specs = plan_persons(seed=seed, count=count)
        created, skipped = create_persons(
            specs, users=foundation.users, districts=foundation.districts[HOME_REGION]
        )
        self._progress(f"Persons: {created} registered in Astana ({skipped} already present).")
