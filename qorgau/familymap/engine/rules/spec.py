"""The rule-set document and its checks (no Django, no Ibis: plain data)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

LEVELS = ("A", "B", "C", "D", "E")  # A well-off ... E emergency; the engine uses their index 0..4
DOMAINS = ("economic", "social", "housing", "health", "education", "safety")
OPERATORS = ("<", "<=", ">", ">=", "==", "!=", "in", "not_in", "is_null", "not_null", "is_true", "is_false")
# How the rows of a family's members make the family deprived in an indicator:
#   any: some member (of those the member filter keeps) has a row meeting the conditions;
#   none: no such member has one (a family with no such member is not deprived);
#   count: at least `min_count` such rows;
#   per_capita: the sum of `value_column` over such rows divided by the family's size meets `cutoff`.
AGGREGATES = ("any", "none", "count", "per_capita")
MAX_INDICATORS = 62  # the reason is a 64-bit mask of fired indicators
SCORE_DIGITS = 9  # scores are rounded to this many decimals before any comparison (portable equality)
DEFAULT_PATH = Path(__file__).with_name("default.json")


class RuleSetError(ValueError):
    """A rule-set document that does not add up; `problems` lists every fault found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def number(value: Any) -> float:
    """A weight or cut-off: a number, or a fraction written as a string ("1/12") for exact sums."""
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, str):
        return float(Fraction(value))
    if isinstance(value, int | float):
        return float(value)
    raise ValueError(f"not a number: {value!r}")


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


@dataclass(frozen=True)
class Condition:
    """`column op value`; `column` may be a ratio "a/b" of two numeric columns."""

    column: str
    op: str
    value: Any = None


@dataclass(frozen=True)
class MemberFilter:
    """Which members of a family an indicator looks at: ages (on the reference date) and roles."""

    age_min: int | None = None
    age_max: int | None = None
    roles: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return self.age_min is None and self.age_max is None and not self.roles


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    domain: str
    source: str
    weight: float
    conditions: tuple[Condition, ...]  # the deprivation cut-off and any filters, all must hold
    aggregate: str = "any"
    members: MemberFilter = field(default_factory=MemberFilter)
    window_column: str | None = None  # rows dated within `window_months` before the reference date
    window_months: int | None = None
    min_count: int = 1
    value_column: str | None = None  # per_capita
    cutoff_op: str = "<"  # per_capita
    cutoff: float | None = None  # per_capita
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    label: dict[str, str] = field(default_factory=dict)

    def in_force(self, day: dt.date) -> bool:
        return (self.effective_from is None or self.effective_from <= day) and (
            self.effective_to is None or day < self.effective_to
        )


@dataclass(frozen=True)
class OverrideSpec:
    """A family whose fired indicators include every one of `when_all` is at least `min_level`."""

    code: str
    when_all: tuple[str, ...]
    min_level: str
    label: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleSetSpec:
    name: str
    k: float
    thresholds: dict[str, float]  # level -> least score (B..E); below B's is A
    indicators: tuple[IndicatorSpec, ...]
    overrides: tuple[OverrideSpec, ...] = ()
    unit: str = "family"

    def in_force(self, day: dt.date) -> tuple[IndicatorSpec, ...]:
        """The indicators in force on `day`, in the order of the document (their bit in the mask)."""
        return tuple(i for i in self.indicators if i.in_force(day))

    def bit(self, code: str) -> int:
        return next(n for n, indicator in enumerate(self.indicators) if indicator.code == code)

    def codes_of_mask(self, mask: int) -> list[str]:
        return [i.code for n, i in enumerate(self.indicators) if mask >> n & 1]


def _condition(raw: Any, where: str, problems: list[str]) -> Condition | None:
    if not isinstance(raw, dict) or "column" not in raw or "op" not in raw:
        problems.append(f"{where}: a condition needs column and op")
        return None
    if raw["op"] not in OPERATORS:
        problems.append(f"{where}: unknown operator {raw['op']!r}")
        return None
    value = raw.get("value")
    if raw["op"] in ("in", "not_in"):
        if not isinstance(value, list) or not value:
            problems.append(f"{where}: {raw['op']} needs a list of values")
            return None
        value = tuple(value)
    elif raw["op"] in ("<", "<=", ">", ">=") and not isinstance(value, int | float | str):
        problems.append(f"{where}: {raw['op']} needs a value")
        return None
    return Condition(str(raw["column"]), raw["op"], value)


def _indicator(raw: dict[str, Any], problems: list[str]) -> IndicatorSpec | None:
    code = str(raw.get("code", ""))
    where = f"indicator {code or '?'}"
    if not code:
        problems.append("an indicator has no code")
    if raw.get("domain") not in DOMAINS:
        problems.append(f"{where}: domain must be one of {', '.join(DOMAINS)}")
    if not raw.get("source"):
        problems.append(f"{where}: no source")
    aggregate = raw.get("aggregate", "any")
    if aggregate not in AGGREGATES:
        problems.append(f"{where}: aggregate must be one of {', '.join(AGGREGATES)}")
    try:
        weight = number(raw.get("weight", 0))
    except (ValueError, ZeroDivisionError):
        problems.append(f"{where}: weight is not a number")
        weight = 0.0
    if weight < 0:
        problems.append(f"{where}: weight below 0")
    conditions = [_condition(c, where, problems) for c in raw.get("conditions", [])]
    members_raw = raw.get("members") or {}
    members = MemberFilter(
        age_min=members_raw.get("age_min"),
        age_max=members_raw.get("age_max"),
        roles=tuple(members_raw.get("roles", ())),
    )
    window = raw.get("window") or {}
    cutoff = None
    if aggregate == "per_capita":
        if not raw.get("value_column") or "cutoff" not in raw:
            problems.append(f"{where}: per_capita needs value_column and cutoff")
        else:
            cutoff = number(raw["cutoff"])
        if raw.get("cutoff_op", "<") not in ("<", "<="):
            problems.append(f"{where}: per_capita cutoff_op is < or <=")
    elif not conditions:
        problems.append(f"{where}: no conditions (the deprivation cut-off)")
    try:
        start, end = _date(raw.get("effective_from")), _date(raw.get("effective_to"))
    except ValueError:
        problems.append(f"{where}: effective dates are not ISO dates")
        start = end = None
    if start and end and end <= start:
        problems.append(f"{where}: effective_to is not after effective_from")
    if None in conditions:
        return None
    return IndicatorSpec(
        code=code,
        domain=str(raw.get("domain")),
        source=str(raw.get("source")),
        weight=weight,
        conditions=tuple(c for c in conditions if c is not None),
        aggregate=aggregate,
        members=members,
        window_column=window.get("column"),
        window_months=window.get("months"),
        min_count=int(raw.get("min_count", 1)),
        value_column=raw.get("value_column"),
        cutoff_op=raw.get("cutoff_op", "<"),
        cutoff=cutoff,
        effective_from=start,
        effective_to=end,
        label=dict(raw.get("label") or {}),
    )


def parse(document: dict[str, Any]) -> RuleSetSpec:
    """The specification of a rule-set document; RuleSetError with every problem found."""
    problems: list[str] = []
    indicators = [_indicator(raw, problems) for raw in document.get("indicators", [])]
    codes = [i.code for i in indicators if i]
    if not codes:
        problems.append("no indicators")
    if len(codes) != len(set(codes)):
        problems.append("indicator codes repeat")
    if len(codes) > MAX_INDICATORS:
        problems.append(f"more than {MAX_INDICATORS} indicators")
    try:
        k = number(document.get("k"))
    except (ValueError, ZeroDivisionError):
        problems.append("k is not a number")
        k = 0.0
    if not 0 < k <= 1:
        problems.append("k must be above 0 and at most 1")
    total = sum(i.weight for i in indicators if i)
    if indicators and abs(total - 1) > 1e-9:
        problems.append(f"weights add up to {total:.6f}, not 1")
    thresholds: dict[str, float] = {}
    raw_thresholds = document.get("thresholds") or {}
    if set(raw_thresholds) != set(LEVELS[1:]):
        problems.append("thresholds are needed for B, C, D and E")
    else:
        try:
            thresholds = {level: number(raw_thresholds[level]) for level in LEVELS[1:]}
        except (ValueError, ZeroDivisionError):
            problems.append("a threshold is not a number")
        values = [thresholds.get(level, 0) for level in LEVELS[1:]]
        if values != sorted(values) or len(set(values)) != len(values) or (values and values[0] <= 0):
            problems.append("thresholds must rise strictly from B to E, above 0")
    overrides = []
    for raw in document.get("overrides", []):
        code = str(raw.get("code", "?"))
        when = tuple(raw.get("when_all", ()))
        if not when or any(c not in codes for c in when):
            problems.append(f"override {code}: when_all must name indicators of the set")
        if raw.get("min_level") not in LEVELS[1:]:
            problems.append(f"override {code}: min_level must be B, C, D or E")
        overrides.append(OverrideSpec(code, when, str(raw.get("min_level")), dict(raw.get("label") or {})))
    if problems:
        raise RuleSetError(problems)
    return RuleSetSpec(
        name=str(document.get("name", "")),
        k=k,
        thresholds=thresholds,
        indicators=tuple(i for i in indicators if i),
        overrides=tuple(overrides),
    )


def default_document() -> dict[str, Any]:
    """The shipped standard rules (a copy: callers may change theirs)."""
    return json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
