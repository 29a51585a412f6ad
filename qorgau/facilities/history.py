"""Occupancy over time, from the vacancy history (`VacancyUpdate`: every report, admission, discharge,
hold and release with its "as of" time). Counts only, inside the user's scope.

A capacity's state on a day is its last update at or before the end of that (local) day; a day before a
capacity's first update does not count it. Two queries whatever the period: the capacities in scope and
their updates up to the period's end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from qorgau.core.permissions import has_action, in_scope

from .models import Capacity, Facility, VacancyUpdate
from .queries import staff_facility

LONGEST_PERIOD = 731  # days a page or the API shows at once


@dataclass
class Day:
    day: dt.date
    beds: int = 0
    occupied: int = 0
    held: int = 0
    reported: int = 0  # capacities with any update by then

    @property
    def occupancy(self) -> int | None:
        return round(100 * self.occupied / self.beds) if self.beds else None


@dataclass
class Month:
    month: dt.date
    days: int
    beds: float
    occupied: float
    peak: int
    peak_occupancy: int | None

    @property
    def occupancy(self) -> int | None:
        return round(100 * self.occupied / self.beds) if self.beds else None


def capacities_for(
    user: Any, *, facility: Facility | None = None, region: int | None = None
) -> QuerySet[Capacity]:
    """The capacities whose history the user may see: the network's in their scope (facilities.network),
    or their own facility's (its staff). Another facility or region is an empty set (the caller's 404)."""
    if has_action(user, "facilities.network"):
        rows = in_scope(Capacity.objects.all(), Capacity.scope_paths, user)
        if facility is not None:
            rows = rows.filter(facility=facility)
        if region is not None:
            rows = rows.filter(facility__region=region)
        return rows
    own = staff_facility(user)
    if own is None or (facility is not None and facility.pk != own.pk):
        return Capacity.objects.none()
    if region is not None and own.region_id != region:
        return Capacity.objects.none()
    return Capacity.objects.filter(facility=own)


def _day_end(day: dt.date) -> dt.datetime:
    tz = timezone.get_current_timezone()
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=tz).astimezone(dt.UTC)


def daily(capacities: QuerySet[Capacity], start: dt.date, end: dt.date) -> list[Day]:
    """Places, occupied and held places on each day from `start` to `end` (inclusive)."""
    days = [Day(start + dt.timedelta(days=n)) for n in range((end - start).days + 1)]
    if not days:
        return []
    ends = [_day_end(d.day) for d in days]
    updates = (
        VacancyUpdate.objects.filter(capacity__in=capacities.values("pk"), as_of__lt=ends[-1])
        .order_by("capacity_id", "as_of", "id")
        .values_list("capacity_id", "as_of", "beds", "vacant", "held")
    )
    current: int | None = None
    state: tuple[int, int, int] | None = None
    index = 0

    def fill(upto: int) -> None:
        # Days index..upto-1 take the capacity's current state.
        if state is None:
            return
        beds, vacant, held = state
        for d in days[index:upto]:
            d.beds += beds
            d.occupied += beds - vacant
            d.held += held
            d.reported += 1

    for capacity, as_of, beds, vacant, held in updates.iterator(chunk_size=5000):
        if capacity != current:
            fill(len(days))
            current, state, index = capacity, None, 0
        while index < len(days) and ends[index] <= as_of:
            fill(index + 1)
            index += 1
        state = (beds, vacant, held)
    fill(len(days))
    return days


def monthly(days: list[Day]) -> list[Month]:
    """Each month's average places and occupied places, and its fullest day."""
    out: list[Month] = []
    by_month: dict[dt.date, list[Day]] = {}
    for d in days:
        if d.reported:
            by_month.setdefault(d.day.replace(day=1), []).append(d)
    for month, rows in sorted(by_month.items()):
        peak = max(rows, key=lambda d: (d.occupied, d.day))
        out.append(
            Month(
                month=month,
                days=len(rows),
                beds=sum(d.beds for d in rows) / len(rows),
                occupied=sum(d.occupied for d in rows) / len(rows),
                peak=peak.occupied,
                peak_occupancy=peak.occupancy,
            )
        )
    return out


def chart(days: list[Day], *, width: int = 720, height: int = 180) -> dict[str, Any]:
    """An SVG polyline of occupancy (per cent) over the days, and the places line: for the template."""
    shown = [d for d in days if d.reported]
    if len(shown) < 2:
        return {}
    step = width / (len(days) - 1)
    points = " ".join(
        f"{i * step:.1f},{height - height * min(d.occupied / d.beds, 1.0):.1f}"
        for i, d in enumerate(days)
        if d.reported and d.beds
    )
    ticks = [
        {"x": round(i * step, 1), "label": d.day.strftime("%m.%Y")}
        for i, d in enumerate(days)
        if d.day.day == 1
    ]
    return {"width": width, "height": height, "points": points, "ticks": ticks}
