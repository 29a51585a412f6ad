"""The akim's regional situation report: a printable page, and the same content as PDF and as XLSX,
downloaded at once or prepared in the background with its progress shown (tasks.generate_report).

The map shows the region alone coloured: other regions' figures are not the report's to show (a regional
user's scope); the one national figure is the national rate, which the issue asks the report to compare
with. Every download and every request for a report is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from qorgau.core.views_base import htmx_partial, require_action

from .. import geo
from ..models import ReportRun, ReportStatus
from ..report_pdf import report_pdf
from ..services import do_record_export, do_report_progress, do_request_report
from ..tables import Table
from .common import build, resolve
from .dashboard import XLSX, table_xlsx

PDF = "application/pdf"
TYPES = {"pdf": PDF, "xlsx": XLSX}


def _context(request: HttpRequest, code: str) -> dict[str, Any]:
    where = resolve(request, code)
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
    return context


def render_report(
    request: HttpRequest, code: str, fmt: str, progress: ReportRun | None = None
) -> tuple[bytes, str]:
    """The report file (`fmt`: pdf or xlsx) and its name; `progress` is the background run to update."""
    context = _context(request, code)
    if progress is not None:
        do_report_progress(run=progress, status=ReportStatus.RUNNING, progress=60)
    region = context["where"].region
    name = f"qorgau-report-{region.code}-{context['as_of']:%Y%m%d}.{fmt}"
    if fmt == "pdf":
        return report_pdf(context), name
    tables = context["tables"]
    note = f"Qorgau · {region.name} · {context['period_label']} · {context['as_of']:%Y-%m-%d %H:%M}"
    return table_xlsx([tables[n] for n in ("tiles", "trend", "channels", "outcomes")], note), name


def _download(content: bytes, name: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
def report(request: HttpRequest, code: str) -> HttpResponse:
    require_action(request, "insights.export")
    fmt = request.GET.get("format", "html")
    if fmt not in ("html", "pdf", "xlsx"):
        raise Http404
    if fmt == "html":
        return render(request, "insights/report.html", _context(request, code))
    where = resolve(request, code)
    content, name = render_report(request, code, fmt)
    do_record_export(
        actor=request.user,
        what="report",
        fmt=fmt,
        region=where.region,
        district=None,
        params={"query": request.GET.urlencode()[:300]},
    )
    return _download(content, name, fmt)


@login_required
@require_POST
def report_run(request: HttpRequest, code: str) -> HttpResponse:
    """Ask for the report in the background; then the run's page shows its progress."""
    require_action(request, "insights.export")
    where = resolve(request, code)
    fmt = request.POST.get("format", "")
    if fmt not in TYPES:
        raise Http404
    query = request.POST.get("query", "")
    assert where.region is not None
    run = do_request_report(
        actor=request.user, region=where.region, fmt=fmt, query=query, language=get_language() or "ru"
    )
    return redirect("insights:run", pk=run.pk)


def _own_run(request: HttpRequest, pk: int) -> ReportRun:
    require_action(request, "insights.export")
    return get_object_or_404(ReportRun.objects.select_related("region"), pk=pk, requested_by=request.user)


@login_required
@require_safe
def run_status(request: HttpRequest, pk: int) -> HttpResponse:
    run = _own_run(request, pk)
    template = "insights/report_run.html#status" if htmx_partial(request) else "insights/report_run.html"
    return render(request, template, {"run": run})


@login_required
@require_safe
def run_download(request: HttpRequest, pk: int) -> HttpResponse:
    run = _own_run(request, pk)
    if run.status != ReportStatus.DONE or run.content is None:
        raise Http404
    do_record_export(
        actor=request.user,
        what="report",
        fmt=run.fmt,
        region=run.region,
        district=None,
        params={"run": run.pk},
    )
    return _download(bytes(run.content), run.filename, run.fmt)
