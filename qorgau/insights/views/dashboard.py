"""The dashboards (the user's whole reach, a region, a district) and the export of any of their tables."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from openpyxl import Workbook

from qorgau.core.views_base import require_action

from ..services import do_record_export
from ..tables import Table
from .common import build, resolve

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(request: HttpRequest, code: str | None = None, district: int | None = None) -> HttpResponse:
    require_action(request, "insights.view")
    where = resolve(request, code, district)
    context = build(request, where)
    return render(request, "insights/dashboard.html", context)


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_safe
def region(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, code)


@login_required
@require_safe
def district(request: HttpRequest, code: str, district: int) -> HttpResponse:
    return _page(request, code, district)


def _cell(value: Any) -> Any:
    return value if isinstance(value, int | float) or value is None else str(value)


def table_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(h) for h in table.headers])
    for row in table.rows:
        writer.writerow(["" if v is None else _cell(v) for v in row])
    return out.getvalue()


def table_xlsx(tables: list[Table], note: str) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(str(table.title)[:31])
        sheet.append([note])
        sheet.append([str(h) for h in table.headers])
        for row in table.rows:
            sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _export(
    request: HttpRequest, table: str, code: str | None = None, district: int | None = None
) -> HttpResponse:
    require_action(request, "insights.export")
    where = resolve(request, code, district)
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    context = build(request, where, with_map=table == "regions" or None)
    found = context["tables"].get(table)
    if found is None:
        raise Http404
    do_record_export(
        actor=request.user,
        what=table,
        fmt=fmt,
        region=where.region,
        district=where.district.pk if where.district else None,
        params={"period": context["period_label"], **context["form"].filters()},
    )
    name = f"qorgau-{table}-{where.region.code if where.region else 'all'}"
    if fmt == "csv":
        response = HttpResponse(table_csv(found), content_type=CSV)
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    else:
        note = f"Qorgau · {context['period_label']} · {context['as_of']:%Y-%m-%d %H:%M}"
        response = HttpResponse(table_xlsx([found], note), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
def export(request: HttpRequest, table: str) -> HttpResponse:
    return _export(request, table)


@login_required
@require_safe
def region_export(request: HttpRequest, code: str, table: str) -> HttpResponse:
    return _export(request, table, code)


@login_required
@require_safe
def district_export(request: HttpRequest, code: str, district: int, table: str) -> HttpResponse:
    return _export(request, table, code, district)
