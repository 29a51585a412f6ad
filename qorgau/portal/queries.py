"""Reads of the portal: the public page's directory and content, the prevention register, and the
evaluation of an activity's association with signals (computed inside the user's scope)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from qorgau.core.models import Region, User
from qorgau.facilities.queries import PublicFacility, public_directory
from qorgau.intake.models import Channel
from qorgau.intake.queries import daily_counts_by_region

from .evaluation import Fit, fit_segmented
from .models import Activity, HelpPage

# --- the public page ------------------------------------------------------------------------------------


def published_pages(now: dt.datetime | None = None) -> dict[str, HelpPage]:
    """The latest saved version of each page whose publish moment has come, by slug (one query)."""
    now = now or timezone.now()
    pages: dict[str, HelpPage] = {}
    for page in HelpPage.objects.filter(published_at__lte=now).order_by("slug", "-id"):
        pages.setdefault(page.slug, page)
    return pages


def directory_by_region() -> list[tuple[Region, list[PublicFacility]]]:
    """Every region with its public crisis and family support centres (two queries)."""
    centres: dict[int, list[PublicFacility]] = {}
    for centre in public_directory():
        centres.setdefault(centre.region_id, []).append(centre)
    return [(region, centres.get(region.pk, [])) for region in Region.objects.order_by("name_en")]


# --- the register ---------------------------------------------------------------------------------------


def activities(user: User, action: str = "view") -> QuerySet[Activity]:
    return Activity.objects.visible_to(user, action).select_related("region", "district", "agency")


# --- the evaluation -------------------------------------------------------------------------------------

WEEKS_BEFORE = 52
WEEKS_AFTER = 26
QUIET = 8


@dataclass
class Series:
    label: str
    rates: list[float]  # per 10,000 people per week
    counts: list[int]
    fit: Fit | None = None
    error: str = ""


@dataclass
class Evaluation:
    activity: Activity
    weeks: list[dt.date]  # the Monday of each week
    start_week: int  # index of the activity's first week
    end_week: int  # index of the first week after it
    region: Series
    hotline: Series
    comparison: Series
    comparison_regions: list[Region] = field(default_factory=list)
    means: dict[str, dict[str, float | None]] = field(default_factory=dict)
    sees_signals: bool = True


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _weekly(counts: dict[tuple[int, dt.date], int], region_ids: set[int], weeks: list[dt.date]) -> list[int]:
    index = {week: i for i, week in enumerate(weeks)}
    out = [0] * len(weeks)
    for (region_id, day), n in counts.items():
        i = index.get(_monday(day))
        if region_id in region_ids and i is not None:
            out[i] += n
    return out


def _series(label: str, counts: list[int], population: int, start: int) -> Series:
    rates = [n * 10_000 / population for n in counts] if population else [0.0] * len(counts)
    series = Series(label=label, rates=rates, counts=counts)
    try:
        series.fit = fit_segmented(rates, start)
    except ValueError as exc:
        series.error = str(exc)
    return series


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def evaluate(user: User, activity: Activity, *, today: dt.date | None = None) -> Evaluation:
    """Signals per 10,000 people a week in the activity's region, WEEKS_BEFORE weeks before it to
    WEEKS_AFTER after (or today), with the segmented regression of evaluation/its.py; the same for calls
    to the 111 line recorded as signals, and for the comparable regions: those with no activity of the
    register within QUIET weeks of this one. Counts come from the signals the user may see (intake.view, their
    scope, no grants): a user who sees no signals of the region gets empty series, said on the page."""
    today = today or timezone.localdate()
    first = _monday(activity.starts_on) - dt.timedelta(weeks=WEEKS_BEFORE)
    last = min(_monday(activity.ends_on) + dt.timedelta(weeks=WEEKS_AFTER + 1), _monday(today))
    weeks = []
    week = first
    while week < last:
        weeks.append(week)
        week += dt.timedelta(weeks=1)
    start = weeks.index(_monday(activity.starts_on)) if _monday(activity.starts_on) in weeks else len(weeks)
    end = min(start + (activity.ends_on - _monday(activity.starts_on)).days // 7 + 1, len(weeks))
    # Comparable: no activity of the register within QUIET weeks of this one (a whole-window rule would
    # leave none when every region runs school hours every term).
    quiet_from = activity.starts_on - dt.timedelta(weeks=QUIET)
    quiet_to = activity.ends_on + dt.timedelta(weeks=QUIET)
    active = set(
        Activity.objects.filter(starts_on__lte=quiet_to, ends_on__gte=quiet_from).values_list(
            "region_id", flat=True
        )
    )
    regions = list(Region.objects.order_by("name_en"))
    comparison = [r for r in regions if r.pk not in active and r.pk != activity.region_id]
    ids = {r.pk for r in comparison} | {activity.region_id}
    counts = daily_counts_by_region(user, first, last, regions=ids)
    hotline = daily_counts_by_region(
        user, first, last, regions=[activity.region_id], channel=Channel.LINE_111
    )
    population = activity.region.population
    own = _weekly(counts, {activity.region_id}, weeks)
    others = _weekly(counts, {r.pk for r in comparison}, weeks)
    result = Evaluation(
        activity=activity,
        weeks=weeks,
        start_week=start,
        end_week=end,
        region=_series(activity.region.name, own, population, start),
        hotline=_series("111", _weekly(hotline, {activity.region_id}, weeks), population, start),
        comparison=_series("comparison", others, sum(r.population for r in comparison), start),
        comparison_regions=comparison,
        sees_signals=bool(counts),
    )
    for key in ("region", "hotline", "comparison"):
        rates = getattr(result, key).rates
        result.means[key] = {
            "before": _mean(rates[:start]),
            "during": _mean(rates[start:end]),
            "after": _mean(rates[end:]),
        }
    return result


def chart(evaluation: Evaluation, width: int = 720, height: int = 240) -> dict[str, Any]:
    """SVG coordinates of the region's weekly rate, its fit, the counterfactual and its band, and the
    campaign period (drawn server side: no chart script on the page)."""
    series = evaluation.region
    values = series.rates[:]
    if series.fit is not None:
        values += series.fit.high + series.fit.low
    top = max([*values, 0.001])
    bottom = min([*values, 0.0])
    n = max(len(series.rates) - 1, 1)

    def xy(i: int, v: float) -> str:
        x = 40 + (width - 50) * i / n
        y = 10 + (height - 40) * (1 - (v - bottom) / ((top - bottom) or 1))
        return f"{x:.1f},{y:.1f}"

    out: dict[str, Any] = {
        "width": width,
        "height": height,
        "observed": " ".join(xy(i, v) for i, v in enumerate(series.rates)),
        "top": top,
        "bottom": bottom,
        "x_start": 40 + (width - 50) * evaluation.start_week / n,
        "x_end": 40 + (width - 50) * evaluation.end_week / n,
    }
    if series.fit is not None:
        fit = series.fit
        out["fitted"] = " ".join(xy(i, v) for i, v in enumerate(fit.fitted))
        out["counterfactual"] = " ".join(
            xy(i, v) for i, v in enumerate(fit.counterfactual) if i >= evaluation.start_week - 1
        )
        upper = [xy(i, v) for i, v in enumerate(fit.high) if i >= evaluation.start_week - 1]
        lower = [xy(i, v) for i, v in enumerate(fit.low) if i >= evaluation.start_week - 1]
        out["band"] = " ".join(upper + lower[::-1])
    out["x_width"] = max(out["x_end"] - out["x_start"], 1.0)
    return out
