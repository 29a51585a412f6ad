"""`manage.py demo`: the synthetic demo data set: districts, agencies, demo users, persons, and the
calibrated national year of signals (qorgau/demo/national/: ~100,000 signals at --scale 1).

`demo --year 2023 --force` or `demo --years 2021,2022,2023` adds years; a year whose demo signals exist
is skipped, so re-running never duplicates.

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
from qorgau.demo.national import YearStats, ensure_staff, generate_year
from qorgau.demo.national.risk import generate_risk
from qorgau.demo.persons import create_persons, plan_persons


def _years(value: str) -> list[int]:
    try:
        years = sorted({int(part) for part in value.split(",") if part.strip()})
    except ValueError as exc:
        raise CommandError(
            f"--years takes years separated by commas, e.g. 2021,2022,2023: {value!r}"
        ) from exc
    if not years:
        raise CommandError("--years needs at least one year.")
    return years


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
        parser.add_argument("--year", type=int, default=2022, help="the demo year of signals (default 2022)")
        parser.add_argument(
            "--years",
            help="several demo years, e.g. 2021,2022,2023 (instead of --year); existing ones skipped",
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="signals per year as a share of the national 100,000 (default 1.0; 0 = no signals)",
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
        seed, scale = options["seed"], options["scale"]
        years = _years(options["years"]) if options["years"] else [options["year"]]
        if scale < 0:
            raise CommandError("--scale cannot be negative.")
        started = time.perf_counter()
        self.stdout.write(f"Demo data (seed {seed}):")
        progress = self._progress
        try:
            with transaction.atomic():
                foundation = build_foundation(seed=seed, progress=progress)
                self._persons(foundation, seed=seed, count=options["persons"])
                from qorgau.demo.national.facilities import create_network

                create_network(
                    foundation.agencies, foundation.users["system_admin"], seed=seed, progress=progress
                )
                from qorgau.demo.national.portal import generate_activities, load_content

                load_content(progress)
                for year in years:
                    generate_activities(year=year, seed=seed, progress=progress)
                if scale > 0:
                    self._years(foundation, years=years, scale=scale, seed=seed)
                from qorgau.demo.national.planning import create_planning

                create_planning(foundation.users, progress=progress)
                from qorgau.demo.national.familymap import create_family_map

                create_family_map(foundation.users["analyst"], seed=seed, progress=progress)
        except MissingReferenceData as exc:
            raise CommandError(str(exc)) from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if scale > 0:
            self._analyze()
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

    def _years(self, foundation: Foundation, *, years: list[int], scale: float, seed: int) -> None:
        from qorgau.core.audit import record
        from qorgau.demo.national.cases import CaseStats, generate_cases
        from qorgau.demo.national.placements import generate_placements

        stations = ensure_staff(foundation, seed=seed, progress=self._progress)
        results: list[YearStats] = []
        cases: list[CaseStats] = []
        for year in years:
            stats = generate_year(
                foundation, stations, year=year, scale=scale, seed=seed, progress=self._progress
            )
            results.append(stats)
            if not stats.skipped:
                self._year_done(stats)
                generate_risk(
                    year, seed=seed, progress=self._progress, chair=foundation.users.get("conference_chair")
                )
            # The year's victim cases (skipped when present): after its signals, whose victims they are.
            cases.append(
                generate_cases(foundation, year=year, scale=scale, seed=seed, progress=self._progress)
            )
            placed = generate_placements(year, seed=seed, progress=self._progress)  # the cases' stays
            cases[-1].placements = {} if placed.skipped else placed.as_dict()
            from qorgau.demo.national.offenders import generate_offenders

            generate_offenders(foundation, year=year, scale=scale, seed=seed, progress=self._progress)
        made = [s for s in results if not s.skipped]
        made_cases = [c.as_dict() for c in cases if not c.skipped]
        if made or made_cases:
            # Bulk demo rows get no per-row audit; one event says what was generated.
            record(
                actor=None,
                username="manage.py demo",
                action="demo.generate",
                changes={
                    "seed": seed,
                    "scale": scale,
                    "years": [s.as_dict() for s in made],
                    "cases": made_cases,
                },
            )

    def _year_done(self, stats: YearStats) -> None:
        kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(stats.outcomes.items()))
        self._progress(
            f"Year {stats.year}: {stats.signals} signals in {stats.seconds:.1f} s "
            f"({stats.signals / max(stats.seconds, 1e-6):,.0f}/s); {stats.persons} persons, "
            f"{stats.families} families ({stats.repeat_families} with repeat signals); "
            f"outcomes: {kinds}; "
            f"still open {stats.open}; {stats.protective_orders} protective orders, "
            f"{stats.compliance_checks} compliance checks, {stats.breaches} breaches, "
            f"{stats.reconciliations} reconciliation decisions."
        )

    def _analyze(self) -> None:
        """Refresh the planner's statistics after a bulk load. SQLite has none until ANALYZE runs, and
        without them it scans the whole signal table for a regional user's list (OR of scope paths)."""
        from django.db import connection

        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self._progress(f"Planner statistics refreshed (ANALYZE) in {time.perf_counter() - started:.1f} s.")
