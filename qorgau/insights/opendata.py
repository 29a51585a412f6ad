"""The public open-data table: signals by region and quarter, small cells suppressed (suppression.py).

Published: the last four complete quarters, one row per region (all 20, by ISO code), a total per
region, a national total per quarter, the grand total, and each region's rate per 10,000 people over
the four quarters. A region whose total is hidden has no rate either (rate x population is the count).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from qorgau.core.models import Region
from qorgau.intake.queries import public_signal_counts

from .figures import rate
from .periods import add_months, month_start
from .suppression import THRESHOLD, Published, suppress


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def label(self) -> str:
        return f"{self.year} Q{self.number}"

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        first = (self.year, 3 * self.number - 2)
        return month_start(*first), month_start(*add_months(*first, 3))


def last_quarters(today: dt.date | None = None, n: int = 4) -> list[Quarter]:
    """The `n` complete quarters before the current one, oldest first."""
    today = today or timezone.localdate()
    year, number = today.year, (today.month - 1) // 3 + 1
    quarters = []
    for _ in range(n):
        number -= 1
        if number == 0:
            year, number = year - 1, 4
        quarters.append(Quarter(year, number))
    return quarters[::-1]


@dataclass(frozen=True)
class OpenTable:
    quarters: list[Quarter]
    regions: list[Region]
    published: Published
    threshold: int

    def rows(self) -> list[dict[str, Any]]:
        """Each region's published cells (None where suppressed), total and rate; then the national row."""
        out = []
        count = len(self.quarters)
        for r, region in enumerate(self.regions):
            total = self.published.shown(r, count)
            out.append(
                {
                    "code": region.code,
                    "region": region,
                    "cells": [self.published.shown(r, c) for c in range(count)],
                    "total": total,
                    "rate": rate(total, region.population) if total is not None else None,
                }
            )
        return out

    def national(self) -> dict[str, Any]:
        count, last = len(self.quarters), len(self.regions)
        total = self.published.shown(last, count)
        population = sum(r.population for r in self.regions)
        return {
            "cells": [self.published.shown(last, c) for c in range(count)],
            "total": total,
            "rate": rate(total, population) if total is not None else None,
        }


def year_quarters(year: int) -> list[Quarter]:
    return [Quarter(year, n) for n in range(1, 5)]


def open_table(
    today: dt.date | None = None, threshold: int = THRESHOLD, *, year: int | None = None
) -> OpenTable:
    """The published table of the last four complete quarters, or of the four quarters of a past `year`."""
    quarters = year_quarters(year) if year is not None else last_quarters(today)
    regions = list(Region.objects.order_by("code"))
    counts = public_signal_counts([q.bounds for q in quarters])
    cells = [counts.get(region.pk, [0] * len(quarters)) for region in regions]
    return OpenTable(quarters, regions, suppress(cells, threshold), threshold)
