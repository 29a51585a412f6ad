"""The dashboard pages, exports, the regional report and the public open-data page."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from qorgau.core.models import AuditEvent, District, Region
from qorgau.core.testing import otp_login

from ..geo import boundaries
from ..tables import Table
from .factories import InsightsWorld

pytestmark = pytest.mark.django_db


def _signals(iw: InsightsWorld) -> None:
    iw.signal(days_ago=1)
    iw.signal(days_ago=2, channel="line_111")
    iw.signal(days_ago=2, shymkent=True)


def test_the_analyst_dashboard_counts_astana_and_maps_only_astana(iw: InsightsWorld) -> None:
    _signals(iw)
    client = otp_login(Client(), iw.analyst)
    response = client.get("/insights/")
    assert response.status_code == 200
    tiles = {t.key: t.value for t in response.context["dash"]["tiles"]}
    assert tiles["signals"] == 2
    body = response.content.decode()
    assert body.count('class="region-shape"') == 20  # every region drawn, joined by ISO code
    rows = response.context["tables"]["regions"].rows
    assert [r[0] for r in rows] == ["KZ-71"]  # the table beside the map: the analyst's region alone
    assert 'href="/insights/KZ-79/"' not in body


def test_another_regions_dashboard_is_not_found(iw: InsightsWorld) -> None:
    client = otp_login(Client(), iw.analyst)
    assert client.get("/insights/KZ-79/").status_code == 404
    assert client.get("/insights/KZ-79/export/tiles/").status_code == 404
    assert client.get("/insights/KZ-79/report/").status_code == 404
    district = District.objects.create(
        region=iw.p.shymkent, code="KZ79-X", name_en="X", name_ru="X", name_kk="X"
    )
    assert client.get(f"/insights/KZ-71/{district.pk}/").status_code == 404  # not a district of Astana
    assert client.get("/insights/KZ-71/").status_code == 200


def test_the_region_page_compares_with_the_national_rate(iw: InsightsWorld) -> None:
    _signals(iw)
    response = otp_login(Client(), iw.analyst).get("/insights/KZ-71/")
    population = sum(Region.objects.values_list("population", flat=True))
    assert response.context["national_rate"] == round(3 * 10_000 / population, 1)
    assert response.context["dash"]["figures"]["rate"] == round(2 * 10_000 / iw.p.astana.population, 1)


def test_the_csv_export_equals_the_table_on_screen_and_is_audited(iw: InsightsWorld) -> None:
    _signals(iw)
    client = otp_login(Client(), iw.analyst)
    screen: Table = client.get("/insights/KZ-71/").context["tables"]["channels"]
    response = client.get("/insights/KZ-71/export/channels/?format=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [str(h) for h in screen.headers]
    assert rows[1:] == [[str(v) for v in row] for row in screen.rows]
    event = AuditEvent.objects.get(action="insights.export")
    assert event.object_id == "channels" and event.changes["format"] == "csv"
    assert event.subject_region_id == iw.p.astana.pk


def test_the_xlsx_export_holds_the_same_rows(iw: InsightsWorld) -> None:
    _signals(iw)
    client = otp_login(Client(), iw.national)
    screen: Table = client.get("/insights/").context["tables"]["regions"]
    response = client.get("/insights/export/regions/?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert values == [list(row) for row in screen.rows]
    assert len(values) == 20


def test_the_report_as_page_pdf_and_xlsx(iw: InsightsWorld) -> None:
    _signals(iw)
    client = otp_login(Client(), iw.analyst)
    page = client.get("/insights/KZ-71/report/")
    assert page.status_code == 200 and "data-compare" in page.content.decode()
    pdf = client.get("/insights/KZ-71/report/?format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.get("/insights/KZ-71/report/?format=xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert len(book.sheetnames) == 4
    assert AuditEvent.objects.filter(action="insights.export", object_id="report").count() == 2


def test_the_map_data_has_all_20_regions_by_iso_code() -> None:
    assert sorted(boundaries()) == sorted(Region.objects.values_list("code", flat=True))
    assert len(boundaries()) == 20


def test_the_open_data_page_needs_no_login_sets_no_cookie_and_suppresses(iw: InsightsWorld) -> None:
    response = Client().get("/open-data/")
    assert response.status_code == 200
    assert not response.cookies
    body = response.content.decode()
    assert body.count('class="region-shape"') == 20
    assert "data-rule" in body
    table = response.context["table"]
    for r, row in enumerate(table.published.values):
        for c, value in enumerate(row):
            if 0 < value < 10:
                assert (r, c) in table.published.hidden
    csv_response = Client().get("/open-data/signals.csv")
    lines = list(csv.reader(io.StringIO(csv_response.content.decode())))
    assert len(lines) == 22 and lines[-1][0] == "KZ"


def test_the_dashboard_needs_the_insights_action(iw: InsightsWorld) -> None:
    assert otp_login(Client(), iw.w.officer).get("/insights/").status_code == 403


def test_the_open_data_page_of_a_past_year_and_bad_years(iw: InsightsWorld) -> None:
    from django.utils import timezone

    last = timezone.localdate().year - 1
    response = Client().get(f"/open-data/?year={last}")
    assert [q.label for q in response.context["table"].quarters] == [f"{last} Q{n}" for n in range(1, 5)]
    assert Client().get(f"/open-data/signals.csv?year={last}").status_code == 200
    for bad in ("1999", str(last + 1), "20x3", "", "2023 "):
        assert Client().get("/open-data/", {"year": bad}).status_code == 404, bad


def test_cached_figures_are_reused_with_their_time_and_per_user(iw: InsightsWorld, settings: object) -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.INSIGHTS_CACHE_SECONDS = 60  # type: ignore[attr-defined]
    cache.clear()
    _signals(iw)
    client = otp_login(Client(), iw.analyst)
    first = client.get("/insights/KZ-71/")
    iw.signal(days_ago=1)  # not counted until the figures expire
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/insights/KZ-71/")
    assert again.context["dash"]["figures"]["signals"] == first.context["dash"]["figures"]["signals"] == 2
    assert again.context["as_of"] == first.context["as_of"]
    assert not [q for q in queries.captured_queries if "intake_signal" in q["sql"]]
    national = otp_login(Client(), iw.national).get("/insights/KZ-71/")
    assert national.context["dash"]["figures"]["signals"] == 3  # another user: computed afresh
    cache.clear()


def test_the_report_is_prepared_in_the_background_for_its_requester_only(
    iw: InsightsWorld, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    from ..models import ReportRun
    from ..tasks import generate_report

    _signals(iw)
    client = otp_login(Client(), iw.analyst)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/insights/KZ-71/report/run/", {"format": "pdf", "query": "channel=call_102"})
    assert DBTaskResult.objects.filter(task_path="qorgau.insights.tasks.generate_report").count() == 1
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/insights/runs/{run.pk}/"
    assert (run.status, run.progress, run.region_id) == ("queued", 0, iw.p.astana.pk)
    assert run.query == "channel=call_102"
    assert AuditEvent.objects.filter(action="insights.report_request", object_id=str(run.pk)).exists()
    page = client.get(f"/insights/runs/{run.pk}/")
    assert 'hx-trigger="every 1s"' in page.content.decode()  # it polls while waiting
    assert client.get(f"/insights/runs/{run.pk}/download/").status_code == 404  # not ready yet

    generate_report.call(run.pk)  # what the worker (db_worker) runs
    run.refresh_from_db()
    assert (run.status, run.progress) == ("done", 100)
    assert run.content is not None and bytes(run.content).startswith(b"%PDF")
    assert run.filename.endswith(".pdf")
    done = client.get(f"/insights/runs/{run.pk}/", HTTP_HX_REQUEST="true")
    assert "data-run-download" in done.content.decode() and "every 1s" not in done.content.decode()
    download = client.get(f"/insights/runs/{run.pk}/download/")
    assert download.status_code == 200 and download.content.startswith(b"%PDF")

    other = otp_login(Client(), iw.shymkent_analyst)
    assert other.get(f"/insights/runs/{run.pk}/").status_code == 404
    assert other.get(f"/insights/runs/{run.pk}/download/").status_code == 404
    assert other.post("/insights/KZ-71/report/run/", {"format": "pdf"}).status_code == 404
