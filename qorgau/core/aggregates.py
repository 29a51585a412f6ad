"""SQL helpers for aggregate reads (dashboards): durations as whole hours, percentiles from histograms.

A median over 100,000 signals need not read 100,000 rows: the database groups the durations into whole
hours (a few hundred groups) and the percentile is read from that histogram, exact at the resolution
of an hour. Works on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Count, Func, IntegerField, Q


class HoursBetween(Func):
    """Whole hours from `start` to `end` (floor), as an integer column."""

    output_field = IntegerField()
    arity = 2

    def _parts(self, compiler: Any) -> tuple[str, str, list[Any]]:
        start, end = self.source_expressions
        start_sql, start_params = compiler.compile(start)
        end_sql, end_params = compiler.compile(end)
        return start_sql, end_sql, [*end_params, *start_params]

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        start, end, params = self._parts(compiler)
        # julianday is in days as a float: a microsecond's margin keeps 24 h from flooring to 23.
        return f"CAST((julianday({end}) - julianday({start})) * 24 + 0.000001 AS INTEGER)", params

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        start, end, params = self._parts(compiler)
        return f"FLOOR(EXTRACT(EPOCH FROM ({end} - {start})) / 3600)::integer", params

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **extra: Any) -> Any:
        raise NotImplementedError(f"HoursBetween on {connection.vendor}")


def percentile(histogram: Iterable[tuple[int, int]], share: float) -> int | None:
    """The nearest-rank percentile of values given as (value, count) pairs: the smallest value whose
    cumulative count reaches ceil(share * total). None when there are no values."""
    pairs = sorted((value, count) for value, count in histogram if count)
    total = sum(count for _, count in pairs)
    if not total:
        return None
    rank = max(1, math.ceil(share * total))
    seen = 0
    for value, count in pairs:
        seen += count
        if seen >= rank:
            return value
    return pairs[-1][0]  # pragma: no cover - the loop always reaches the rank


@dataclass(frozen=True)
class Slice:
    """What a dashboard counts: a period [start, end), the regions (None: all the user's scope reaches),
    a district, and the filters of the trends page (empty: any)."""

    start: dt.datetime
    end: dt.datetime
    regions: frozenset[int] | None = None
    district: int | None = None
    channel: str = ""
    form: str = ""
    relationship: str = ""

    def shifted(self, *, years: int) -> Slice:
        """The same slice `years` earlier (29 February falls back to the 28th)."""

        def back(moment: dt.datetime) -> dt.datetime:
            try:
                return moment.replace(year=moment.year - years)
            except ValueError:
                return moment.replace(year=moment.year - years, day=28)

        return replace(self, start=back(self.start), end=back(self.end))

    def with_period(self, start: dt.datetime, end: dt.datetime) -> Slice:
        return replace(self, start=start, end=end)


def conditional_counts(periods: Sequence[tuple[dt.datetime, dt.datetime]], field: str) -> dict[str, Any]:
    """Count() expressions, one per period, for one aggregate() pass over the rows (no per-row function
    such as TruncMonth, which SQLite runs in Python)."""
    return {
        f"p{i}": Count("pk", filter=Q(**{f"{field}__gte": start, f"{field}__lt": end}))
        for i, (start, end) in enumerate(periods)
    }
