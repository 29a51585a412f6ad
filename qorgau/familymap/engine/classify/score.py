"""Alkire-Foster classification as Ibis expressions: score, identification, levels, overrides, H, A, M0.

For family i with deprivations g_ij (1 when deprived in indicator j) and weights w_j summing to 1, the
deprivation score is c_i = sum_j w_j g_ij. A family is identified (`poor`) when c_i >= k (the dual
cut-off of Alkire & Foster 2011). Over n families of which q are identified: H = q / n (headcount ratio),
A = sum of c_i of the identified / q (intensity), M0 = H * A = sum of censored scores / n.

The level is the highest of A-E whose threshold the score reaches, lifted by the override rules (a family
whose fired indicators include all of an override's `when_all` is at least its `min_level`). Scores are
rounded to SCORE_DIGITS decimals before any comparison, so that DuckDB and Spark (whose float sums may
differ in the last bit) agree on every boundary.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from ..rules import LEVELS, RuleSetSpec
from ..rules.spec import SCORE_DIGITS


def classify(families: ir.Table, hits: ir.Table, spec: RuleSetSpec) -> ir.Table:
    """Per family: region, district, members, score, poor, score_level, override_level, level (0-4 = A-E),
    mask (bit n set: indicator n of the rule set fired)."""
    weights = ibis.memtable(
        {
            "bit": [spec.bit(i.code) for i in spec.indicators],
            "weight": [i.weight for i in spec.indicators],
        },
        schema={"bit": "int64", "weight": "float64"},
    )
    scored = (
        hits.join(weights, "bit")
        .group_by("family_id")
        .aggregate(
            points=lambda t: t.weight.sum(),
            # the bits of distinct indicators: their sum is their OR. Summed as a decimal, then cast: a sum of
            # int64 is a 128-bit integer on DuckDB, which its Parquet writer turns into a double; Spark's
            # Ibis backend has no bit_or.
            mask=lambda t: (ibis.literal(1, "int64") << t.bit).cast("decimal(20, 0)").sum(),
        )
    )
    table = families.left_join(scored, "family_id").drop("family_id_right")
    score = table.points.fill_null(0.0).round(SCORE_DIGITS)
    mask = table["mask"].fill_null(0).cast("int64")
    table = table.mutate(score=score, mask=mask).drop("points")
    k = round(spec.k, SCORE_DIGITS)
    thresholds = {level: round(value, SCORE_DIGITS) for level, value in spec.thresholds.items()}
    score_level = ibis.cases(
        *[(table.score >= thresholds[level], LEVELS.index(level)) for level in reversed(LEVELS[1:])],
        else_=0,
    ).cast("int8")
    override_level: ir.IntegerValue = ibis.literal(0, "int8")
    for override in spec.overrides:
        required = sum(1 << spec.bit(code) for code in override.when_all)
        met = (table["mask"] & required) == required
        override_level = ibis.greatest(
            override_level, ibis.ifelse(met, LEVELS.index(override.min_level), 0).cast("int8")
        )
    table = table.mutate(poor=table.score >= k, score_level=score_level, override_level=override_level)
    return table.mutate(level=ibis.greatest(table.score_level, table.override_level).cast("int8"))


def aggregates(classified: ir.Table, by: tuple[str, ...] = ("region", "district")) -> ir.Table:
    """n, q, H, A, M0 and the count of families per level, grouped `by` (() for the whole set)."""
    t = classified
    metrics = {
        "n": t.count(),
        # counts, not sums of 0/1: a sum of integers is a 128-bit integer on DuckDB (a double in Parquet)
        "q": t.count(where=t.poor),
        "identified_points": ibis.ifelse(t.poor, t.score, 0.0).sum(),
        **{f"level_{level}": t.count(where=t.level == n) for n, level in enumerate(LEVELS)},
    }
    grouped = t.group_by(list(by)).aggregate(**metrics) if by else t.aggregate(**metrics)
    h = grouped.q.cast("float64") / grouped.n
    a = ibis.ifelse(grouped.q > 0, grouped.identified_points / grouped.q, 0.0)
    m0 = grouped.identified_points / grouped.n
    return grouped.mutate(H=h, A=a, M0=m0).drop("identified_points")
