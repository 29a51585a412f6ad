"""The gap table: demand against the network per region of the user's scope, and per district."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from qorgau.core.views_base import require_action

from ..demand import DEFAULT_RULES, district_rows, region_demand, rule_parameters, scope_regions
from ..forms import facility_type_choices


def _type(request: HttpRequest) -> str:
    value = request.GET.get("type", "crisis_centre")
    return value if value in DEFAULT_RULES else "crisis_centre"


@login_required
@require_safe
def gap_table(request: HttpRequest) -> HttpResponse:
    require_action(request, "planning.view")
    facility_type = _type(request)
    rule = rule_parameters(facility_type)
    rows = region_demand(request.user, facility_type, rule)
    return render(
        request,
        "planning/gaps.html",
        {
            "rows": rows,
            "rule": rule,
            "facility_type": facility_type,
            "types": facility_type_choices(),
        },
    )


@login_required
@require_safe
def region_gaps(request: HttpRequest, pk: int) -> HttpResponse:
    require_action(request, "planning.view")
    region = next((r for r in scope_regions(request.user) if r.pk == pk), None)
    if region is None:
        raise Http404
    facility_type = _type(request)
    return render(
        request,
        "planning/region_gaps.html",
        {
            "region": region,
            "rows": district_rows(request.user, region, facility_type),
            "rule": rule_parameters(facility_type),
            "facility_type": facility_type,
            "types": facility_type_choices(),
        },
    )
