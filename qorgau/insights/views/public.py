"""The public open-data page (no login): signals by region and quarter with small cells suppressed, the
rates per 10,000 people, the map, and the same table as CSV. It sets no cookie: its template neither
asks for a CSRF token nor touches the session."""

from __future__ import annotations

import csv
import io

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import geo
from ..opendata import open_table

SUPPRESSED = "x"
FIRST_YEAR = 2015


def _year(request: HttpRequest) -> int | None:
    """`?year=YYYY`: a complete past year (FIRST_YEAR on), else None (the last four complete quarters);
    anything else answers 404."""
    value = request.GET.get("year")
    if value is None:
        return None
    last = timezone.localdate().year - 1
    if not (len(value) == 4 and value.isdigit() and FIRST_YEAR <= int(value) <= last):
        raise Http404
    return int(value)


@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    table = open_table(year=year)
    rows = table.rows()
    values = {row["code"]: row["rate"] for row in rows}
    labels = {
        row["code"]: f"{row['region'].name}: {_('suppressed') if row['rate'] is None else row['rate']}"
        for row in rows
    }
    context = {
        "table": table,
        "rows": rows,
        "national": table.national(),
        "map": geo.choropleth(values, labels, {}),
        "suppressed": SUPPRESSED,
        "year": year,
        "years": list(range(timezone.localdate().year - 1, FIRST_YEAR - 1, -1)),
    }
    return render(request, "insights/open_data.html", context)


@require_safe
def open_data_csv(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    table = open_table(year=year)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["iso_code", "region", *[q.label for q in table.quarters], "total", "per_10000"])

    def shown(value: object) -> object:
        return SUPPRESSED if value is None else value

    for row in table.rows():
        writer.writerow(
            [
                row["code"],
                row["region"].name_en,
                *map(shown, row["cells"]),
                shown(row["total"]),
                shown(row["rate"]),
            ]
        )
    national = table.national()
    writer.writerow(
        [
            "KZ",
            "Kazakhstan",
            *map(shown, national["cells"]),
            shown(national["total"]),
            shown(national["rate"]),
        ]
    )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="qorgau-open-data-signals.csv"'
    return response
