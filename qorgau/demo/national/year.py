"""Generating one national demo year (see the package docstring for what it writes and keeps)."""

from __future__ import annotations

import datetime as dt
import random
import time

from django.utils import timezone

from ..foundation import Foundation
from .calibration import (
    RECONCILIATION_NOTES,
    STAFF_PREFIX,
    Progress,
    apportion,
    outcome_targets,
    region_counts,
)
from .context import YearContext, YearStats
from .region_year import RegionYear
from .staff import Station


def year_already_generated(year: int) -> bool:
    from qorgau.intake.models import Signal

    return Signal.objects.filter(
        registration_number__contains=f"-{year}-", registered_by__username__startswith=STAFF_PREFIX
    ).exists()


def generate_year(
    f: Foundation,
    stations: dict[str, list[Station]],
    *,
    year: int,
    scale: float,
    seed: int,
    progress: Progress,
    batch_size: int = 5000,
) -> YearStats:
    """Generate one demo year in bulk. Skips (stats.skipped) a year whose demo signals already exist."""
    stats = YearStats(year=year)
    if year_already_generated(year):
        stats.skipped = True
        progress(f"Year {year}: demo signals already present, skipped.")
        return stats
    started = time.perf_counter()
    now = timezone.now()
    tz = timezone.get_current_timezone()
    # Times are generated in UTC (fast arithmetic and storage); the period is the local (Asia/Almaty) year.
    start = dt.datetime(year, 1, 1, tzinfo=tz).astimezone(dt.UTC)
    end = min(
        dt.datetime(year + 1, 1, 1, tzinfo=tz).astimezone(dt.UTC) - dt.timedelta(hours=2),
        now - dt.timedelta(hours=2),
    )
    if end <= start:
        raise ValueError(f"The year {year} has not started yet.")
    populations = {code: region.population for code, region in f.regions.items()}
    counts = region_counts(populations, scale)
    total = sum(counts.values())
    codes = list(f.regions)
    targets = {
        kind: dict(zip(codes, apportion(n, [counts[c] for c in codes]), strict=True))
        for kind, n in outcome_targets(year, total).items()
    }
    ctx = YearContext(year=year, seed=seed, now=now, start=start, end=end, batch_size=batch_size)
    done = 0
    for code in codes:
        region_started = time.perf_counter()
        n = counts[code]
        RegionYear(ctx, f, stations[code], f.regions[code], n, {k: t[code] for k, t in targets.items()}).run(
            stats
        )
        done += n
        stats.by_region[code] = n
        rate = n / max(time.perf_counter() - region_started, 1e-6)
        progress(
            f"{year} {code} {f.regions[code].name_en}: {n} signals ({rate:,.0f}/s; "
            f"{done * 100 // max(total, 1)}% of {total})"
        )
    ctx.reset_sequences()
    stats.reconciliations = _reconciliations(ctx)
    stats.seconds = time.perf_counter() - started
    return stats


def _reconciliations(ctx: YearContext) -> int:
    """Requests to reconcile, decided by the real guard on the data just written (so always consistent)."""
    from qorgau.intake.models import ReconciliationDecision, Signal, as_local_date
    from qorgau.intake.reconciliation import decide_reconciliation
    from qorgau.people.models import Person

    if not ctx.reconcile:
        return 0
    rng = random.Random(f"{ctx.seed}:{ctx.year}:reconciliation")
    signals = Signal.objects.in_bulk([s for s, _o, _u, _d in ctx.reconcile])
    persons = Person.objects.in_bulk([o for _s, o, _u, _d in ctx.reconcile])
    rows = []
    for signal_id, offender_id, user_id, decided_at in ctx.reconcile:
        signal = signals[signal_id]
        verdict = decide_reconciliation(signal, persons[offender_id], signal.received_at)
        requested_at = signal.received_at + (decided_at - signal.received_at) * rng.uniform(0.2, 0.9)
        rows.append(
            ReconciliationDecision(
                signal=signal,
                offender_id=offender_id,
                requested_at=requested_at,
                law_date=as_local_date(signal.received_at),
                decided_by_id=user_id,
                allowed=verdict.allowed,
                rule_set=verdict.rule_set,
                rule=verdict.rule,
                rule_code=verdict.rule_code,
                explanation=verdict.explanation,
                request_note=rng.choice(RECONCILIATION_NOTES),
            )
        )
    ReconciliationDecision.objects.bulk_create(rows, batch_size=ctx.batch_size)
    return len(rows)
