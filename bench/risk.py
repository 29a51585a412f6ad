"""Risk benchmarks (issue 9 "Performance"): scoring a whole year's completed assessments in one pass.

Registered into bench/run.py's harness by `register(benchmark, Skip)`. `risk_score_year` runs
`qorgau.risk.queries.score_year` over the demo year's completed assessments (one pass over their answers,
the instrument version's bands read once) and checks that it agrees with the score and level stored on
each assessment when it was completed; the number of assessments scored is printed. Needs the demo year:
run the harness with `--demo-years 2022` (see bench/README.md); without assessments it is skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def register(benchmark: Callable[..., Any], skip: type[Exception]) -> None:
    """Add the risk benchmarks to the harness's registry."""

    @benchmark("risk_score_year")
    def bench_risk_score_year(ctx: Any) -> Callable[[], object]:
        """Score every completed assessment of the demo year in one pass (agreeing with the stored scores)."""
        from qorgau.risk.models import Assessment, AssessmentStatus
        from qorgau.risk.queries import score_year

        completed = Assessment.objects.filter(status=AssessmentStatus.COMPLETED)
        first = completed.order_by("started_at").values_list("started_at", flat=True).first()
        if first is None:
            raise skip("no completed assessments: run with --demo-years 2022")
        year = first.year
        scored = score_year(year)
        stored = dict(completed.filter(started_at__year=year).values_list("pk", "score").order_by())
        wrong = [pk for pk, (score, _band) in scored.items() if stored.get(pk) != score]
        if wrong or len(scored) != len(stored):
            raise AssertionError(f"score_year disagrees with the stored scores for {len(wrong)} assessments")
        print(f"  risk_score_year: {len(scored):,} completed assessments of {year} scored per pass")
        return lambda: score_year(year)
