"""Occupancy over time, per facility (its staff, and the network's managers) and per region or the whole
network (facilities.network): a chart of the daily occupancy and the table of months beside it, from the
vacancy history (history.py). Counts only; a facility or region outside the user's scope answers 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from qorgau.core.models import Region
from qorgau.core.permissions import has_action
from qorgau.core.views_base import require_action

from ..history import capacities_for, chart, daily, monthly
from ..models import Facility, VacancyChange, VacancyUpdate


def _year(request: HttpRequest, capacities: Any) -> tuple[int, list[int]]:
    """The year asked (?year=), else the latest with admissions; and the years that have history."""
    today = timezone.localdate()
    years = sorted(
        set(
            VacancyUpdate.objects.filter(capacity__in=capacities.values("pk"))
            .annotate(y=ExtractYear("as_of"))
            .values_list("y", flat=True)
            .distinct()
        )
    )
    asked = request.GET.get("year", "")
    if asked:
        if not asked.isdigit() or int(asked) not in years:
            raise Http404
        return int(asked), years
    admitted = (
        VacancyUpdate.objects.filter(capacity__in=capacities.values("pk"), kind=VacancyChange.ADMISSION)
        .order_by("-as_of")
        .values_list("as_of", flat=True)
        .first()
    )
    return (timezone.localdate(admitted).year if admitted else today.year), years


def _render(request: HttpRequest, capacities: Any, title: str, context: dict[str, Any]) -> HttpResponse:
    year, years = _year(request, capacities)
    start = dt.date(year, 1, 1)
    end = min(dt.date(year, 12, 31), timezone.localdate())
    days = daily(capacities, start, end)
    context |= {
        "title": title,
        "year": year,
        "years": years,
        "months": monthly(days),
        "chart": chart(days),
        "start": start,
        "end": end,
    }
    return render(request, "facilities/occupancy.html", context)


@login_required
@require_safe
def facility_occupancy(request: HttpRequest, pk: int) -> HttpResponse:
    if not (has_action(request.user, "facilities.network") or has_action(request.user, "facilities.change")):
        raise PermissionDenied
    facility = Facility.objects.select_related("agency", "region").filter(pk=pk).first()
    capacities = capacities_for(request.user, facility=facility) if facility is not None else None
    if facility is None or capacities is None or not capacities.exists():
        raise Http404
    title = _("Occupancy over time: %(facility)s") % {"facility": facility}
    return _render(request, capacities, title, {"facility": facility})


@login_required
@require_safe
def network_occupancy(request: HttpRequest) -> HttpResponse:
    require_action(request, "facilities.network")
    region = None
    asked = request.GET.get("region", "")
    if asked:
        region = Region.objects.filter(pk=int(asked)).first() if asked.isdigit() else None
        if region is None:
            raise Http404
    capacities = capacities_for(request.user, region=region.pk if region else None)
    if region is not None and not capacities.exists():
        raise Http404  # a region outside the user's scope, or without facilities
    regions = Region.objects.filter(pk__in=capacities_for(request.user).values("facility__region")).order_by(
        "name_ru"
    )
    if region is not None:
        title = _("Occupancy over time: %(region)s") % {"region": region}
    else:
        title = _("Occupancy over time: the whole network in your scope")
    return _render(request, capacities, title, {"region": region, "regions": list(regions)})
