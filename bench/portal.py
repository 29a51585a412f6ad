"""Portal benchmarks (issue 16 "Fast"): the public help page's server time and page weight.

Registered into bench/run.py's harness by `register(benchmark, Skip)`. The help content and the
facility network are the demo's (qorgau/demo/national/portal/content.py, facilities.py), created once
per run if absent (not timed). Timed through the test Client, anonymous, like a visitor: the home page,
a region's centres and the "write to us" form; the baseline is `portal_peer_healthz`, the cheapest page
of the same stack in the same run (the load balancer's health check through the same middleware), and
`pk_lookup` as for every benchmark. Page weight (bytes as served, and gzip level 6 as a proxy would
send it) is printed once per page when the benchmark is set up: the pages are self-contained (CSS and
the exit script inline, nothing else to fetch), so that is the whole transfer.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from typing import Any


def _site(ctx: Any) -> None:
    if ctx.extra.get("portal"):
        return
    from qorgau.core.models import Agency
    from qorgau.demo.national.facilities import create_network
    from qorgau.demo.national.portal import load_content
    from qorgau.facilities.models import Facility

    load_content(lambda _m: None)
    if not Facility.objects.exists():
        agencies: dict[tuple[str, str], Agency] = {}
        for agency in Agency.objects.filter(region__isnull=False, district__isnull=True).select_related(
            "region"
        ):
            agencies.setdefault((agency.region.code, agency.type), agency)  # type: ignore[union-attr]
        create_network(agencies, ctx.users["system_admin"], seed=ctx.seed)
    ctx.extra["portal"] = True


def _page(ctx: Any, path: str) -> Callable[[], object]:
    from django.test import Client

    _site(ctx)
    client = Client()
    first = client.get(path)
    if first.status_code != 200:
        raise RuntimeError(f"{path} answered {first.status_code}")
    body = first.content
    print(f"  page weight {path}: {len(body):,} bytes, {len(gzip.compress(body, 6)):,} gzipped")

    def get() -> object:
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        return response

    return get


def register(benchmark: Callable[..., Any], skip: type[Exception]) -> None:
    @benchmark("portal_peer_healthz", baseline="pk_lookup")
    def bench_peer(ctx: Any) -> Callable[[], object]:
        """Peer: the health check through the same middleware (the stack's floor for one request)."""
        from django.test import Client

        client = Client()
        return lambda: client.get("/healthz")

    @benchmark("portal_home", baseline="portal_peer_healthz")
    def bench_home(ctx: Any) -> Callable[[], object]:
        """The public help page's home (hotlines, menu), anonymous, in Kazakh."""
        return _page(ctx, "/help/kk/")

    @benchmark("portal_region", baseline="portal_peer_healthz")
    def bench_region(ctx: Any) -> Callable[[], object]:
        """Almaty Region's crisis and family support centres (name, hours, phone), anonymous."""
        return _page(ctx, "/help/ru/regions/KZ-19/")

    @benchmark("portal_write_form", baseline="portal_peer_healthz")
    def bench_write(ctx: Any) -> Callable[[], object]:
        """The "write to us" form (the 20 regions, a signed form moment), anonymous."""
        return _page(ctx, "/help/en/write/")
