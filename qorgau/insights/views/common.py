"""What every dashboard page, export and report shares: the slice of the user's scope they cover and
the figures, trend and map of that slice."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from qorgau.core.models import District, Region
from qorgau.core.permissions import Scope
from qorgau.intake.queries import signals_by_period

from .. import charts, geo
from ..figures import dashboard, national_rate, region_rates
from ..periods import PeriodForm, add_months, months, reachable_regions, region_districts
from ..tables import build_tables

METRICS = ("rate", "children_rate", "overdue_rate")


def metric_label(code: str) -> str:
    labels = {
        "rate": _("Signals per 10,000 people"),
        "children_rate": _("Signals with children present, per 10,000 people"),
        "overdue_rate": _("Signals overdue, per 10,000 people"),
    }
    return labels[code]


@dataclass(frozen=True)
class Where:
    """The level a page covers: the user's whole reach, one region, or one district of it."""

    reach: list[Region]
    region: Region | None = None
    district: District | None = None


def resolve(request: HttpRequest, code: str | None = None, district: int | None = None) -> Where:
    """The regions `request.user` may open, and the region and district named in the URL (404 outside)."""
    reach = reachable_regions(request.user)
    if code is None:
        if not reach:
            raise Http404
        return Where(reach)
    region = next((r for r in reach if r.code == code), None)
    if region is None:
        raise Http404
    if district is None:
        return Where(reach, region)
    found = District.objects.filter(region=region, pk=district).first()
    if found is None:
        raise Http404
    return Where(reach, region, found)


def url_of(where: Where, name: str = "", **kwargs: Any) -> str:
    """The URL of `name` ("" for the dashboard, "export" ...) at the level of `where`."""
    if where.district is not None:
        route = f"insights:district_{name}" if name else "insights:district"
        return reverse(route, kwargs={"code": where.region.code, "district": where.district.pk, **kwargs})  # type: ignore[union-attr]
    if where.region is not None:
        route = f"insights:region_{name}" if name else "insights:region"
        return reverse(route, kwargs={"code": where.region.code, **kwargs})
    return reverse(f"insights:{name}" if name else "insights:dashboard", kwargs=kwargs or None)


def _figures_key(request: HttpRequest, where: Where, show_map: bool) -> str:
    """One user's figures of one page, query and language (own-scope paths name the user)."""
    region = where.region.pk if where.region else ""
    district = where.district.pk if where.district else ""
    raw = f"{request.user.pk}|{region}|{district}|{show_map}|{get_language()}|{request.GET.urlencode()}"
    return "insights:" + hashlib.sha256(raw.encode()).hexdigest()


def build(request: HttpRequest, where: Where, *, with_map: bool | None = None) -> dict[str, Any]:
    """Everything a dashboard of `where` shows, for the period and filters of the request. The figures
    are reused for INSIGHTS_CACHE_SECONDS (per user, query and language); the page shows when they were
    computed (`as_of`)."""
    show_map = with_map if with_map is not None else where.region is None
    seconds = settings.INSIGHTS_CACHE_SECONDS
    if not seconds:
        return _compute(request, where, show_map)
    key = _figures_key(request, where, show_map)
    cached = cache.get(key)
    if cached is None:
        context = _compute(request, where, show_map)
        cache.set(key, {k: v for k, v in context.items() if k != "form"}, seconds)
        return context
    return {**cached, "form": PeriodForm(request.GET or None)}


def _compute(request: HttpRequest, where: Where, show_map: bool) -> dict[str, Any]:
    user = request.user
    form = PeriodForm(request.GET or None)
    national = user.scope == Scope.NATIONAL  # type: ignore[union-attr]
    if where.region is not None:
        regions: frozenset[int] | None = frozenset({where.region.pk})
        population: int | None = None if where.district else where.region.population
    else:
        regions = None if national else frozenset(r.pk for r in where.reach)
        population = sum(r.population for r in where.reach)
    part = form.slice(regions=regions, district=where.district.pk if where.district else None)
    start, end = form.period()
    periods = months(start, end)
    earlier = months(add_months(*start, -12), add_months(*end, -12))
    this = signals_by_period(user, part, periods)
    before = signals_by_period(user, part, earlier)
    trend = [
        {"month": f"{p[0]:%Y-%m}", "signals": n, "previous_year": m}
        for p, n, m in zip(periods, this, before, strict=True)
    ]
    dash = dashboard(user, part, population=population)
    metric = request.GET.get("metric", "rate")
    metric = metric if metric in METRICS else "rate"
    context: dict[str, Any] = {
        "form": form,
        "where": where,
        "part": part,
        "period_label": f"{start[0]}-{start[1]:02d} to {end[0]}-{end[1]:02d}",
        "dash": dash,
        "trend": trend,
        "as_of": timezone.localtime(),
        "districts": region_districts(where.region) if where.region and not where.district else [],
        "query": request.GET.urlencode(),
        "metric": metric,
        "metric_label": metric_label(metric),
        "metrics": [(code, metric_label(code)) for code in METRICS],
        "region_rows": None,
        "reach": where.reach,
        "reach_all": national and where.region is None,
        "can_export": user.can("insights.export"),  # type: ignore[union-attr]
        "export_base": url_of(where) + "export/" if user.can("insights.export") else "",  # type: ignore[union-attr]
    }
    if where.region is not None:
        context["national_rate"] = national_rate(part)
    if show_map:
        rows = region_rates(user, part, where.reach)
        context["region_rows"] = rows
        values = {r["code"]: r[metric] for r in rows}
        labels = {r["code"]: f"{r['region'].name}: {'—' if r[metric] is None else r[metric]}" for r in rows}
        links = {r["code"]: reverse("insights:region", kwargs={"code": r["code"]}) for r in rows}
        all_labels = {r.code: r.name for r in Region.objects.all()}
        context["map"] = geo.choropleth(values, {**all_labels, **labels}, links)
    context["tables"] = build_tables(context)
    context["trend_spec"] = charts.trend_spec(
        trend, title=_("Signals per month"), this_label=_("this period"), before_label=_("a year earlier")
    )
    context["channel_spec"] = charts.bar_spec(dash["channels"], title=_("Signals by channel"))
    return context
