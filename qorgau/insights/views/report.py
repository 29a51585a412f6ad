"""The akim's regional situation report: a printable page, and the same content as PDF and as XLSX.

The map shows the region alone coloured: other regions' figures are not the report's to show (a regional
user's scope); the one national figure is the national rate, which the issue asks the report to compare
with. Every download is audited.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from qorgau.core.views_base import require_action

from .. import geo
from ..report_pdf import report_pdf
from ..services import do_record_export
from ..tables import Table
from .common import build, resolve
from .dashboard import XLSX, table_xlsx

PDF = "application/pdf"


@login_required
@require_safe
def report(request: HttpRequest, code: str) -> HttpResponse:
    require_action(request, "insights.export")
    where = resolve(request, code)
    fmt = request.GET.get("format", "html")
    if fmt not in ("html", "pdf", "xlsx"):
        raise Http404
    context = build(request, where)
    region = where.region
    assert region is not None
    value = context["dash"]["figures"]["rate"]
    context["map"] = geo.choropleth(
        {region.code: value}, {region.code: f"{region.name}: {'—' if value is None else value}"}, {}
    )
    context["map_table"] = Table(
        "map",
        _("Signals per 10,000 people"),
        [_("Region"), _("Signals"), _("Per 10,000"), _("National signals per 10,000 people")],
        [[region.name, context["dash"]["figures"]["signals"], value, context["national_rate"]]],
    )
    if fmt == "html":
        return render(request, "insights/report.html", context)
    do_record_export(
        actor=request.user,
        what="report",
        fmt=fmt,
        region=region,
        district=None,
        params={"period": context["period_label"], **context["form"].filters()},
    )
    name = f"qorgau-report-{region.code}-{context['as_of']:%Y%m%d}"
    if fmt == "pdf":
        response = HttpResponse(report_pdf(context), content_type=PDF)
    else:
        tables = context["tables"]
        note = f"Qorgau · {region.name} · {context['period_label']} · {context['as_of']:%Y-%m-%d %H:%M}"
        response = HttpResponse(
            table_xlsx([tables[n] for n in ("tiles", "trend", "channels", "outcomes")], note),
            content_type=XLSX,
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
