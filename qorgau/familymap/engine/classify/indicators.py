"""Indicators as Ibis expressions: which families are deprived in which indicator.

Every function takes and returns Ibis tables and builds no SQL of its own, so the same expressions run on
DuckDB (the default) and on Spark. Dates are computed in Python and enter as literals: no interval
arithmetic that backends spell differently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

from ..rules import Condition, IndicatorSpec, MemberFilter, RuleSetSpec

SPINE = "civil_persons"


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier (the last day of that month when it is shorter)."""
    month = day.month - 1 - months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, d))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _column(table: ir.Table, name: str) -> ir.Value:
    if "/" in name:
        numerator, denominator = (part.strip() for part in name.split("/", 1))
        den = table[denominator].cast("float64")
        return ibis.ifelse(den == 0, ibis.null("float64"), table[numerator].cast("float64") / den)
    return table[name]


def condition(table: ir.Table, cond: Condition) -> ir.BooleanValue:
    """`cond` on `table`'s rows; a null value meets no comparison (SQL's three-valued logic, filled)."""
    col = _column(table, cond.column)
    op, value = cond.op, cond.value
    if op == "is_null":
        return col.isnull()
    if op == "not_null":
        return col.notnull()
    if op == "is_true":
        return col.fill_null(False)
    if op == "is_false":
        return ~col.fill_null(True)
    if op in ("in", "not_in"):
        expr = col.isin(list(value))
        return (expr if op == "in" else ~expr).fill_null(False)
    if isinstance(value, str) and op in ("<", "<=", ">", ">=") and "/" in value:
        from ..rules.spec import number

        value = number(value)
    expr = {
        "<": lambda: col < value,
        "<=": lambda: col <= value,
        ">": lambda: col > value,
        ">=": lambda: col >= value,
        "==": lambda: col == value,
        "!=": lambda: col != value,
    }[op]()
    return expr.fill_null(False)


def members(persons: ir.Table, member: MemberFilter, day: dt.date) -> ir.Table:
    """(person_id, family_id) of the persons an indicator looks at on `day`."""
    rows = persons
    if member.age_min is not None:  # at least age_min years old on `day`
        rows = rows.filter(rows.birth_date <= years_before(day, member.age_min))
    if member.age_max is not None:  # at most age_max years old: born after the day age_max + 1 years ago
        rows = rows.filter(rows.birth_date > years_before(day, member.age_max + 1))
    if member.roles:
        rows = rows.filter(rows.role.isin(list(member.roles)))
    return rows.select("person_id", "family_id")


def _source_rows(source: ir.Table, indicator: IndicatorSpec, day: dt.date) -> ir.Table:
    rows = source.filter(source.person_id.notnull())
    if indicator.window_column and indicator.window_months:
        col = rows[indicator.window_column]
        rows = rows.filter(col >= months_before(day, indicator.window_months), col <= day)
    for cond in indicator.conditions:
        rows = rows.filter(condition(rows, cond))
    return rows


def deprived_families(
    tables: Mapping[str, ir.Table], persons: ir.Table, indicator: IndicatorSpec, day: dt.date
) -> ir.Table:
    """family_id of the families deprived in `indicator` on `day` (distinct)."""
    rows = _source_rows(tables[indicator.source], indicator, day)
    people = members(persons, indicator.members, day)
    if indicator.aggregate == "per_capita":
        assert indicator.value_column and indicator.cutoff is not None
        value = rows[indicator.value_column].cast("float64").fill_null(0)
        sums = (
            rows.mutate(_v=value)
            .join(people, "person_id")
            .group_by("family_id")
            .aggregate(_total=lambda t: t._v.sum())
        )
        sizes = persons.group_by("family_id").aggregate(_size=lambda t: t.count())
        joined = sizes.left_join(sums, "family_id")
        per_capita = joined._total.fill_null(0) / joined._size
        hit = per_capita < indicator.cutoff if indicator.cutoff_op == "<" else per_capita <= indicator.cutoff
        return joined.filter(hit).select(family_id=joined.family_id)
    matched = rows.select("person_id").join(people, "person_id")
    if indicator.aggregate == "any":
        return matched.select("family_id").distinct()
    if indicator.aggregate == "count":
        counts = matched.group_by("family_id").aggregate(_n=lambda t: t.count())
        return counts.filter(counts._n >= indicator.min_count).select("family_id")
    if indicator.aggregate == "none":
        having = matched.select("family_id").distinct()
        return people.select("family_id").distinct().anti_join(having, "family_id")
    raise ValueError(indicator.aggregate)


def hits(tables: Mapping[str, ir.Table], spec: RuleSetSpec, day: dt.date) -> ir.Table:
    """(family_id, bit) for every family and indicator in force that it is deprived in."""
    persons = tables[SPINE]
    parts = [
        deprived_families(tables, persons, indicator, day).select(
            "family_id", bit=ibis.literal(spec.bit(indicator.code), "int64")
        )
        for indicator in spec.in_force(day)
    ]
    return ibis.union(*parts, distinct=True) if len(parts) > 1 else parts[0]


def families(persons: ir.Table) -> ir.Table:
    """One row per family: region and district of its head (else of its lowest person_id), and size."""
    anchors = persons.group_by("family_id").aggregate(
        _head=persons.person_id.min(where=persons.role == "head"),
        _any=persons.person_id.min(),
        members=persons.count(),
    )
    anchors = anchors.mutate(person_id=anchors._head.fill_null(anchors._any))
    place = persons.select("person_id", "region", "district")
    return anchors.join(place, "person_id").select("family_id", "region", "district", "members")


def inputs_of(con: Any, paths: Mapping[str, Any]) -> dict[str, ir.Table]:
    """The linked source files as tables of backend `con` (DuckDB or Spark)."""
    return {name: con.read_parquet(str(path), table_name=f"fm_{name}") for name, path in paths.items()}
