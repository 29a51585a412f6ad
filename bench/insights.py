"""Insights benchmarks (issue 13 "Fast"): the dashboards over three demo years, computed live.

Registered into bench/run.py's harness by `register(benchmark, Skip)`. Run on the demo years:

    .venv/bin/python bench/run.py --demo-years 2021,2022,2023 --only insights_dashboard_national \
        --only insights_dashboard_region --only insights_figures_national --only insights_signal_tiles_sql \
        --only insights_open_data

Timed: the dashboard page as the national system administrator and as the demo analyst (regional scope)
through the test Client with a verified second factor, the figures alone (the ORM work of every tile),
the public open-data page, and a named peer: one hand-written SQL statement that counts the same signal
tiles (total, open, overdue, children, channels as conditional sums) over the same rows, the floor any
ORM version of those counts can reach on this database. Each median is reported with its ratio to the
`pk_lookup` baseline of the same run (bench/README.md). The period is the last twelve months of the
demo's data (the last demo year), so that the figures count a full year of signals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any


def _year(ctx: Any) -> tuple[str, str, dt.datetime, dt.datetime]:
    from django.utils import timezone

    from qorgau.intake.models import Signal

    last = Signal.objects.order_by("-received_at").values_list("received_at", flat=True).first()
    if last is None:
        raise ctx.extra["skip"]("no signals (run with --demo-years)")
    year = timezone.localtime(last).year
    start = dt.datetime(year, 1, 1, tzinfo=timezone.get_current_timezone())
    end = dt.datetime(year + 1, 1, 1, tzinfo=timezone.get_current_timezone())
    return f"{year}-01", f"{year}-12", start, end


def register(benchmark: Callable[..., Any], skip: type[Exception]) -> None:
    def page(ctx: Any, role: str, path: str) -> Callable[[], object]:
        from django.test import Client

        from qorgau.core.testing import otp_login

        ctx.extra["skip"] = skip
        first, last, _, _ = _year(ctx)
        client = otp_login(Client(), ctx.users[role])
        query = {"start": first, "end": last}

        def run() -> object:
            response = client.get(path, query)
            assert response.status_code == 200, response.status_code
            return response

        return run

    @benchmark("insights_dashboard_national", baseline="pk_lookup")
    def bench_national(ctx: Any) -> Callable[[], object]:
        """The national dashboard (every tile, the map, the trend) for a year, as the system administrator."""
        return page(ctx, "system_admin", "/insights/")

    @benchmark("insights_dashboard_region", baseline="pk_lookup")
    def bench_region(ctx: Any) -> Callable[[], object]:
        """The demo analyst's region dashboard (regional scope) for a year."""
        user = ctx.users["analyst"]
        region = next(iter(sorted(user.region_ids)), None) or user.agency.region_id
        from qorgau.core.models import Region

        return page(ctx, "analyst", f"/insights/{Region.objects.get(pk=region).code}/")

    @benchmark("insights_figures_national", baseline="pk_lookup")
    def bench_figures(ctx: Any) -> Callable[[], object]:
        """The ORM work of every tile (signals, referrals, risk, network) for a year, national scope."""
        from qorgau.core.aggregates import Slice
        from qorgau.core.models import Region
        from qorgau.insights.figures import dashboard

        ctx.extra["skip"] = skip
        _, _, start, end = _year(ctx)
        user = ctx.users["system_admin"]
        population = sum(Region.objects.values_list("population", flat=True))
        return lambda: dashboard(user, Slice(start, end), population=population)

    @benchmark("insights_signal_tiles_sql", baseline="pk_lookup")
    def bench_raw_sql(ctx: Any) -> Callable[[], object]:
        """Peer: the signal counts (total, open, overdue, children, per channel) as one hand-written SQL."""
        from django.db import connection
        from django.utils import timezone

        from qorgau.intake.models import Channel

        ctx.extra["skip"] = skip
        _, _, start, end = _year(ctx)
        channels = ", ".join(f"SUM(CASE WHEN channel = '{c.value}' THEN 1 ELSE 0 END)" for c in Channel)
        # The channel codes are the model's constants; the values are parameters.
        sql = (
            "SELECT COUNT(*), SUM(CASE WHEN status <> 'closed' THEN 1 ELSE 0 END), "  # noqa: S608
            "SUM(CASE WHEN status <> 'closed' AND (outcome_due < %s OR (first_contact_at IS NULL AND "
            "first_contact_due < %s)) THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN children_present THEN 1 ELSE 0 END), {channels} "
            "FROM intake_signal WHERE received_at >= %s AND received_at < %s"
        )

        def run() -> object:
            now = timezone.now()
            with connection.cursor() as cursor:
                cursor.execute(sql, [now, now, start, end])
                return cursor.fetchone()

        return run

    @benchmark("insights_open_data", baseline="pk_lookup")
    def bench_open_data(ctx: Any) -> Callable[[], object]:
        """The public open-data page (no login) of the last demo year: quarters, suppression, map."""
        from django.test import Client

        ctx.extra["skip"] = skip
        first, _, _, _ = _year(ctx)
        client = Client()
        path = f"/open-data/?year={first[:4]}"

        def run() -> object:
            response = client.get(path)
            assert response.status_code == 200
            return response

        return run
