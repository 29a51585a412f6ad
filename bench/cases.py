"""Cases benchmarks (issue 9 "Performance"): the case list and the case page, and the reads behind them.

Registered into bench/run.py's harness by `register(benchmark, Skip)`. With the pages routed
(`cases:case_list`, `cases:case_detail`) they GET them through the Django test Client, logged in with a
verified second factor (qorgau.core.testing.otp_login), as the demo case worker (agency scope, Astana
crisis centre: its own cases and those shared with it by referral) and as a national-scope case worker
(every case). The `_query` benchmarks time the ORM reads alone (qorgau/cases/queries.py and the reads a
case page makes), so that a slow page can be told apart from a slow query; they run without the pages.

Each page's query count is measured once in the setup (not timed) and printed. They need the demo
cases: run the harness with `--demo-years 2022` (the calibrated national year with its cases, cached
under var/; see bench/README.md). Without cases they are skipped.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

DETAIL_SAMPLE = 100  # cases the detail benchmarks cycle through

_SKIP: list[type[Exception]] = []
QUERY_COUNTS: dict[str, int] = {}


def _skip(message: str) -> Exception:
    return _SKIP[0](message)


def _require_cases() -> None:
    from qorgau.cases.models import Case

    if not Case.objects.exists():
        raise _skip("no cases loaded: run with --demo-years 2022")


def _users(ctx: Any) -> dict[str, Any]:
    """The demo case worker and a national-scope case worker (created once per run, not timed)."""
    if "cases_users" in ctx.extra:
        return ctx.extra["cases_users"]  # type: ignore[no-any-return]
    from qorgau.core.models import Role, User
    from qorgau.core.permissions import Scope

    worker = User.objects.get(username="demo.case_worker")
    national, _ = User.objects.update_or_create(
        username="bench.cases_national",
        defaults={
            "role": Role.objects.get(slug="case_worker"),
            "scope": Scope.NATIONAL,
            "agency": worker.agency,
        },
    )
    ctx.extra["cases_users"] = {"worker": worker, "national": national}
    return ctx.extra["cases_users"]  # type: ignore[no-any-return]


def _url(name: str, *args: Any) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=args)
    except NoReverseMatch as exc:
        raise _skip(f"no URL named {name} yet (the cases pages)") from exc


def _count_queries(name: str, fn: Callable[[], object]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm caches (content types, sessions) as the timed runs will have them
    with CaptureQueriesContext(connection) as captured:
        fn()
    QUERY_COUNTS[name] = len(captured.captured_queries)
    print(f"  queries per call, {name}: {len(captured.captured_queries)}")


def _sample(ctx: Any, user: Any) -> list[int]:
    """Case ids the user sees through their own scope, with the most recorded on them first."""
    from django.db.models import Count

    from qorgau.cases.models import Case

    rows = (
        Case.objects.visible_to(user, "view", grants=False)
        .annotate(n=Count("services", distinct=True) + Count("referrals", distinct=True))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)[: DETAIL_SAMPLE * 3]
    )
    ids = list(rows)
    rng = random.Random(ctx.seed)  # noqa: S311 - picks rows, not secrets
    return rng.sample(ids, min(DETAIL_SAMPLE, len(ids)))


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


def _page(ctx: Any, name: str, who: str, urls: Callable[[Any], list[str]]) -> Callable[[], object]:
    from django.test import Client

    from qorgau.core.testing import otp_login

    _require_cases()
    user = _users(ctx)[who]
    client = otp_login(Client(), user)
    fn = _getter(client, urls(user))
    _count_queries(name, _getter(client, urls(user)[:1]))
    return fn


def detail_reads(user: Any, pk: int) -> object:
    """What a case page reads, in the ORM: the case in scope, its sections, the current safety plan,
    goals, services with specialists and sessions, children, referrals, closures and transfers."""
    from django.db.models import Prefetch

    from qorgau.cases.models import Case, CaseService, ServiceSession
    from qorgau.cases.queries import case_sections, current_safety_plan

    case = (
        Case.objects.visible_to(user, "view")
        .select_related("agency", "region", "assigned_to", "victim")
        .get(pk=pk)
    )
    sections = case_sections(user, case)
    sessions = Prefetch("sessions", queryset=ServiceSession.objects.order_by("-held_on", "-id"))
    return (
        sections,
        current_safety_plan(case),
        list(case.goals.all()),
        list(
            CaseService.objects.filter(case=case)
            .select_related("specialist", "specialist__user")
            .prefetch_related(sessions)
        ),
        list(case.children.select_related("person")),
        list(case.referrals.select_related("to_agency", "purpose")),
        list(case.closures.all()),
        list(case.transfers.select_related("from_agency", "to_agency")),
    )


def register(benchmark: Callable[..., Any], skip: type[Exception]) -> None:
    """Add the cases benchmarks to the harness's registry."""
    _SKIP[:] = [skip]

    @benchmark("case_list_worker")
    def bench_case_list_worker(ctx: Any) -> Callable[[], object]:
        """GET the case list as the demo case worker (agency scope, plus cases shared by referral)."""
        return _page(ctx, "case_list_worker", "worker", lambda _u: [_url("cases:case_list")])

    @benchmark("case_list_national")
    def bench_case_list_national(ctx: Any) -> Callable[[], object]:
        """GET the case list as a national-scope case worker (every case of the demo years)."""
        return _page(ctx, "case_list_national", "national", lambda _u: [_url("cases:case_list")])

    @benchmark("case_detail_worker")
    def bench_case_detail_worker(ctx: Any) -> Callable[[], object]:
        """GET case pages (100 of the agency's fullest cases in turn) as the demo case worker."""
        return _page(
            ctx,
            "case_detail_worker",
            "worker",
            lambda user: [_url("cases:case_detail", pk) for pk in _sample(ctx, user)],
        )

    @benchmark("case_detail_national")
    def bench_case_detail_national(ctx: Any) -> Callable[[], object]:
        """GET case pages (100 of the fullest cases nationally, in turn) as a national-scope user."""
        return _page(
            ctx,
            "case_detail_national",
            "national",
            lambda user: [_url("cases:case_detail", pk) for pk in _sample(ctx, user)],
        )

    @benchmark("case_home_worker")
    def bench_case_home_worker(ctx: Any) -> Callable[[], object]:
        """GET the home page (work queues: my cases, referrals waiting, overdue reviews) as the worker."""
        _url("cases:case_list")  # the queues come with the cases pages
        return _page(ctx, "case_home_worker", "worker", lambda _u: [_url("core:home")])

    @benchmark("case_list_query")
    def bench_case_list_query(ctx: Any) -> Callable[[], object]:
        """ORM: queries.case_list as the national user, its count and the first 50 rows."""
        from qorgau.cases.queries import case_list

        _require_cases()
        user = _users(ctx)["national"]

        def run() -> object:
            qs = case_list(user)
            return qs.count(), list(qs[:50])

        _count_queries("case_list_query", run)
        return run

    @benchmark("case_queues_query")
    def bench_case_queues_query(ctx: Any) -> Callable[[], object]:
        """ORM: the worker's queues (my cases, referrals waiting, overdue reviews), counts and first 10."""
        from django.utils import timezone

        from qorgau.cases.queries import my_cases, referrals_waiting, safety_reviews_overdue

        _require_cases()
        user = _users(ctx)["worker"]

        def run() -> object:
            today = timezone.localdate()
            out = []
            for qs in (my_cases(user), referrals_waiting(user), safety_reviews_overdue(user, today)):
                out.append((qs.count(), list(qs[:10])))
            return out

        _count_queries("case_queues_query", run)
        return run

    @benchmark("case_detail_query")
    def bench_case_detail_query(ctx: Any) -> Callable[[], object]:
        """ORM: the reads of a case page (100 of the fullest cases in turn) as the national user."""
        _require_cases()
        user = _users(ctx)["national"]
        ids = _sample(ctx, user)
        state = {"i": 0}

        def run() -> object:
            pk = ids[state["i"] % len(ids)]
            state["i"] += 1
            return detail_reads(user, pk)

        _count_queries("case_detail_query", lambda: detail_reads(user, ids[0]))
        return run
