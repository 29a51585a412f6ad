"""Intake benchmarks (issue 3 "Performance"): the signal list with filters and the signal detail page.

Registered into bench/run.py's harness by `register(benchmark, Skip)`. They measure pages rendered through
the Django test Client, logged in with a verified second factor (qorgau.core.testing.otp_login), as a
national-scope user and as a region-scope user (Almaty city), plus the ORM queries behind the list
(filters, count and the first page) so that a slow page can be told apart from a slow query.

They need signals: run the harness with `--demo-years 2021,2022,2023` (the three calibrated demo years,
~300,000 signals, cached under var/; see bench/README.md). Without signals they are skipped.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

LIST_REGION = "KZ-75"  # Almaty city: the region-scope user's region, and the national user's filter
FILTERS = {"status": "closed", "channel": "call_102"}
DETAIL_SAMPLE = 200  # signals the detail benchmarks cycle through


def _users(ctx: Any) -> dict[str, Any]:
    """A national-scope and a region-scope inspector (created once per run, not timed)."""
    if "intake_users" in ctx.extra:
        return ctx.extra["intake_users"]  # type: ignore[no-any-return]
    from qorgau.core.models import Agency, AgencyType, Region, Role, User
    from qorgau.core.permissions import Scope

    role = Role.objects.get(slug="district_inspector")
    region = Region.objects.get(code=LIST_REGION)
    police = Agency.objects.filter(type=AgencyType.POLICE, region=region, district=None).first()
    national, _ = User.objects.update_or_create(
        username="bench.national", defaults={"role": role, "scope": Scope.NATIONAL, "agency": police}
    )
    regional, _ = User.objects.update_or_create(
        username="bench.region", defaults={"role": role, "scope": Scope.REGIONS, "agency": police}
    )
    regional.scope_regions.set([region])
    ctx.extra["intake_users"] = {"national": national, "region": regional, "region_obj": region}
    return ctx.extra["intake_users"]  # type: ignore[no-any-return]


def _require_signals() -> None:
    from qorgau.intake.models import Signal

    if not Signal.objects.exists():
        raise _skip_class()("no signals loaded: run with --demo-years 2021,2022,2023")


_SKIP: list[type[Exception]] = []


def _skip_class() -> type[Exception]:
    return _SKIP[0]


def _url(name: str, *args: Any) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=args)
    except NoReverseMatch as exc:
        raise _skip_class()(f"no URL named {name} yet") from exc


def _getter(client: Any, urls: list[str]) -> Callable[[], object]:
    state = {"i": 0}

    def get() -> object:
        url = urls[state["i"] % len(urls)]
        state["i"] += 1
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return response

    return get


def _list_page(ctx: Any, who: str, query: dict[str, Any]) -> Callable[[], object]:
    from urllib.parse import urlencode

    from django.test import Client

    from qorgau.core.testing import otp_login

    _require_signals()
    users = _users(ctx)
    url = _url("intake:signal_list")
    client = otp_login(Client(), users[who])
    return _getter(client, [f"{url}?{urlencode(query)}" if query else url])


def _detail_sample(ctx: Any, region_code: str | None) -> list[int]:
    from qorgau.intake.models import Signal

    signals = Signal.objects.order_by("pk")
    if region_code:
        signals = signals.filter(region__code=region_code)
    ids = list(signals.values_list("pk", flat=True))
    rng = random.Random(ctx.seed)  # noqa: S311 - picks rows, not secrets
    return rng.sample(ids, min(DETAIL_SAMPLE, len(ids)))


def _detail_page(ctx: Any, who: str) -> Callable[[], object]:
    from django.test import Client

    from qorgau.core.testing import otp_login

    _require_signals()
    users = _users(ctx)
    ids = _detail_sample(ctx, None if who == "national" else LIST_REGION)
    urls = [_url("intake:signal_detail", pk) for pk in ids]
    client = otp_login(Client(), users[who])
    return _getter(client, urls)


def register(benchmark: Callable[..., Any], skip: type[Exception]) -> None:
    """Add the intake benchmarks to the harness's registry."""
    _SKIP[:] = [skip]

    @benchmark("signal_list_national")
    def bench_signal_list_national(ctx: Any) -> Callable[[], object]:
        """GET the signal list as a national user, filtered by region, status and channel."""
        region = _users(ctx)["region_obj"]
        return _list_page(ctx, "national", {"region": region.pk, **FILTERS})

    @benchmark("signal_list_national_all")
    def bench_signal_list_national_all(ctx: Any) -> Callable[[], object]:
        """GET the signal list as a national user, no filter (the count covers every signal)."""
        return _list_page(ctx, "national", {})

    @benchmark("signal_list_region")
    def bench_signal_list_region(ctx: Any) -> Callable[[], object]:
        """GET the signal list as a region-scope user (Almaty city), filtered by status and channel."""
        return _list_page(ctx, "region", dict(FILTERS))

    @benchmark("signal_list_overdue")
    def bench_signal_list_overdue(ctx: Any) -> Callable[[], object]:
        """GET the signal list as a national user, overdue signals only."""
        return _list_page(ctx, "national", {"overdue": "true"})

    @benchmark("signal_list_query")
    def bench_signal_list_query(ctx: Any) -> Callable[[], object]:
        """The list's ORM work alone: scope, filters, count and the first 50 rows (national user)."""
        from django.core.paginator import Paginator

        from qorgau.intake.filters import SignalFilter
        from qorgau.intake.queries import signal_list

        _require_signals()
        users = _users(ctx)
        user = users["national"]
        data = {"region": str(users["region_obj"].pk), **FILTERS}

        class _Request:
            GET = data

        _Request.user = user  # type: ignore[attr-defined]

        def run() -> object:
            qs = SignalFilter(data, queryset=signal_list(user), request=_Request()).qs  # type: ignore[arg-type]
            page = Paginator(qs, 50).page(1)
            return list(page.object_list), page.paginator.count

        return run

    @benchmark("signal_detail_national")
    def bench_signal_detail_national(ctx: Any) -> Callable[[], object]:
        """GET signal detail pages (200 random signals in turn) as a national user."""
        return _detail_page(ctx, "national")

    @benchmark("signal_detail_region")
    def bench_signal_detail_region(ctx: Any) -> Callable[[], object]:
        """GET signal detail pages (200 random Almaty signals in turn) as a region-scope user."""
        return _detail_page(ctx, "region")
