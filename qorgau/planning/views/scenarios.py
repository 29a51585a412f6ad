"""Scenarios: the list (with comparison), the form, a scenario's progress and result (map and table),
the comparison side by side and the XLSX export."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from qorgau.core.audit import record
from qorgau.core.permissions import has_action
from qorgau.core.views_base import apply_errors, get_visible_or_404, htmx_partial, require_action

from ..forms import ScenarioForm
from ..mapping import svg_map
from ..models import ScenarioStatus
from ..queries import scenarios
from ..services import do_create_scenario


@login_required
@require_safe
def scenario_list(request: HttpRequest) -> HttpResponse:
    require_action(request, "planning.view")
    rows = list(scenarios(request.user)[:200])
    return render(
        request,
        "planning/scenario_list.html",
        {
            "scenarios": rows,
            "may_plan": has_action(request.user, "planning.plan"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def scenario_create(request: HttpRequest) -> HttpResponse:
    require_action(request, "planning.plan")
    form = ScenarioForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            scenario = do_create_scenario(
                actor=request.user,  # type: ignore[arg-type]  # login_required
                region=d["region"],
                name=d["name"],
                facility_type=d["facility_type"],
                model=d["model"],
                parameters=form.parameters(),
                travel_csv=d["travel_csv"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("planning:scenario_detail", pk=scenario.pk)
    return render(request, "planning/scenario_form.html", {"form": form})


@login_required
@require_safe
def scenario_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_action(request, "planning.view")
    scenario = get_visible_or_404(scenarios(request.user), request.user, pk=pk)
    running = scenario.status in (ScenarioStatus.QUEUED, ScenarioStatus.RUNNING)
    context = {"scenario": scenario, "running": running, "r": scenario.result}
    if scenario.status == ScenarioStatus.DONE:
        context["map"] = svg_map(
            scenario.result,
            scenario.parameters["radius_km"],
            scenario.demand_rule["detour_factor"],
            scenario.result.get("minutes", False),
        )
        by_code = {p["code"]: p for p in scenario.result.get("points", [])}
        context["gains"] = [by_code[c] for c in scenario.result.get("gains", [])[:20] if c in by_code]
        context["table"] = sorted(scenario.result.get("points", []), key=lambda p: -p["demand"])[:60]
    if htmx_partial(request):
        response = render(request, "planning/scenario_detail.html#status", context)
        if not running:
            response["HX-Refresh"] = "true"  # the result replaces the progress: load the whole page
        return response
    return render(request, "planning/scenario_detail.html", context)


@login_required
@require_safe
def scenario_compare(request: HttpRequest) -> HttpResponse:
    require_action(request, "planning.view")
    ids = []
    for raw in request.GET.getlist("ids")[:6]:
        if not raw.isdigit():
            raise Http404
        ids.append(int(raw))
    rows = {s.pk: s for s in scenarios(request.user).filter(pk__in=ids)}
    if not ids or len(rows) != len(set(ids)):
        raise Http404
    return render(
        request, "planning/scenario_compare.html", {"scenarios": [rows[i] for i in dict.fromkeys(ids)]}
    )


@login_required
@require_safe
def scenario_export(request: HttpRequest, pk: int) -> HttpResponse:
    require_action(request, "planning.view")
    scenario = get_visible_or_404(scenarios(request.user), request.user, pk=pk)
    if scenario.status != ScenarioStatus.DONE:
        raise Http404
    from openpyxl import Workbook

    r = scenario.result
    book = Workbook()
    sheet = book.active
    sheet.title = _("Summary")[:31]
    for key in (
        "status",
        "optimal",
        "objective",
        "bound",
        "gap",
        "seconds",
        "unit",
        "demand_source",
        "total",
        "covered_before",
        "covered_after",
        "avg_before",
        "avg_after",
        "worst_before",
        "worst_after",
        "beds_added",
        "cost",
    ):
        sheet.append([key, r.get(key)])
    sites = book.create_sheet(_("New sites")[:31])
    sites.append(["code", "name", "latitude", "longitude", "serves", "gains", "added_beds"])
    for s in r.get("opened", []):
        sites.append([s["code"], s["name"], s["lat"], s["lon"], s["serves"], s["gains"], s["added_beds"]])
    points = book.create_sheet(_("Demand points")[:31])
    points.append(["code", "name", "demand", "before_km", "after_km", "covered_before", "covered_after"])
    for p in r.get("points", []):
        points.append(
            [
                p["code"],
                p["name"],
                p["demand"],
                p["before_km"],
                p["after_km"],
                p["covered_before"],
                p["covered_after"],
            ]
        )
    out = io.BytesIO()
    book.save(out)
    actor = request.user
    record(actor=actor, action="scenario.export", obj=scenario, region=scenario.region_id)  # type: ignore[arg-type]
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{scenario.code}.xlsx"'
    return response
