"""Facilities benchmarks (issue 11 "Performance"): the vacancy search over the national network.

Registered into bench/run.py's harness by `register(benchmark, Skip)`. The network is the demo's
(qorgau/demo/national/facilities.py: 129 facilities, 69 crisis centres, GeoNames settlements), created
once per run if absent (not timed). Timed: `queries.search_vacancies` for a case worker, a place for a
woman with two children from a random settlement, and the search page through the test Client. The
median is reported with its ratio to the `pk_lookup` baseline of the same run (bench/README.md).

With a year of placements: `bench/run.py --demo-years 2022 --only facilities_vacancy_search --only
facilities_search_page` (the demo command writes the year's placements). Admissions under 20 concurrent
requests on PostgreSQL: bench/facilities_admit.py. Figures: bench/README.md, "Facilities".
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any


def _network(ctx: Any) -> dict[str, Any]:
    if "facilities" in ctx.extra:
        return ctx.extra["facilities"]  # type: ignore[no-any-return]
    from qorgau.core.models import Agency
    from qorgau.demo.national.facilities import create_network
    from qorgau.facilities.models import Facility, Settlement

    if not Facility.objects.exists():
        agencies: dict[tuple[str, str], Agency] = {}
        for agency in Agency.objects.filter(region__isnull=False, district__isnull=True).select_related(
            "region"
        ):
            agencies.setdefault((agency.region.code, agency.type), agency)  # type: ignore[union-attr]
        create_network(agencies, ctx.users["system_admin"], seed=ctx.seed)
    settlements = list(Settlement.objects.all())
    ctx.extra["facilities"] = {"settlements": settlements, "worker": ctx.users["case_worker"]}
    return ctx.extra["facilities"]  # type: ignore[no-any-return]


def register(benchmark: Callable[..., Any], skip: type[Exception]) -> None:
    @benchmark("facilities_vacancy_search", baseline="pk_lookup")
    def bench_vacancy_search(ctx: Any) -> Callable[[], object]:
        """Vacancy search over the national network: a woman with two children, from a random settlement."""
        from qorgau.facilities.queries import SearchQuery, search_vacancies

        data = _network(ctx)
        rng = random.Random(f"{ctx.seed}:vacancy-search")  # noqa: S311 (samples, not secrets)
        children = [{"age": 4, "sex": "F"}, {"age": 9, "sex": "M"}]

        def run() -> object:
            origin = rng.choice(data["settlements"])
            query = SearchQuery(
                place_type="women_children", origin=origin, children=children, include_full=True
            )
            return search_vacancies(data["worker"], query)

        return run

    @benchmark("facilities_search_page", baseline="pk_lookup")
    def bench_search_page(ctx: Any) -> Callable[[], object]:
        """The vacancy search page of a case (test Client, second factor verified), random origin."""
        from django.test import Client

        from qorgau.cases.models import Case
        from qorgau.core.testing import otp_login

        data = _network(ctx)
        worker = data["worker"]
        case = Case.objects.visible_to(worker, "change", grants=False).first()
        if case is None:
            raise skip("no case of the demo case worker (the cases demo has not landed)")
        client = otp_login(Client(), worker)
        rng = random.Random(f"{ctx.seed}:search-page")  # noqa: S311 (samples, not secrets)
        url = f"/facilities/search/{case.pk}/"

        def run() -> object:
            origin = rng.choice(data["settlements"])
            response = client.get(
                url, {"place_type": "women_children", "origin": origin.pk, "children": "4F, 9M"}
            )
            assert response.status_code == 200
            return response

        return run
