"""What one generated year shares: its statistics, its context (primary keys, deadline rules, IINs,
reconciliation requests) and the planned families and signals of a region."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from .bulk import Ids, IinStore, fast_name_key
from .staff import Station


@dataclass
class YearStats:
    year: int
    signals: int = 0
    persons: int = 0
    families: int = 0
    parties: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    open: int = 0
    protective_orders: int = 0
    compliance_checks: int = 0
    breaches: int = 0
    reconciliations: int = 0
    repeat_families: int = 0  # families (victim and offender) with more than one signal in the year
    by_region: dict[str, int] = field(default_factory=dict)
    skipped: bool = False
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "by_region"} | {"by_region": self.by_region}


class _Rules:
    """The DeadlineRule rows in memory, looked up per local day like DeadlineRule.effective."""

    def __init__(self) -> None:
        from qorgau.intake.models import DeadlineRule

        self.rows = list(DeadlineRule.objects.order_by("-effective_from"))

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one instance per generated year
    def effective(self, kind: str, day: dt.date) -> Any:
        from qorgau.intake.models import DeadlineRuleMissing

        for rule in self.rows:
            if rule.kind != kind or rule.effective_from > day:
                continue
            if rule.effective_to is None or day < rule.effective_to:
                return rule
        raise DeadlineRuleMissing(f"No deadline rule {kind!r} is in force on {day}.")


@dataclass
class YearContext:
    year: int
    seed: int
    now: dt.datetime
    start: dt.datetime
    end: dt.datetime
    batch_size: int
    ids: Ids = field(default_factory=Ids)
    rules: _Rules = field(default_factory=_Rules)
    iins: IinStore | None = None
    reconcile: list[tuple[int, int, int, dt.datetime]] = field(default_factory=list)
    name_key: Callable[..., str] | None = None

    def __post_init__(self) -> None:
        self.iins = IinStore(self.year)
        self.name_key = fast_name_key

    def reset_sequences(self) -> None:
        """PostgreSQL sequences after inserts with explicit keys (SQLite's AUTOINCREMENT follows itself)."""
        from django.core.management.color import no_style

        sql = connection.ops.sequence_reset_sql(no_style(), list(self.ids.last))
        if sql:
            with connection.cursor() as cursor:
                for statement in sql:
                    cursor.execute(statement)


@dataclass
class PlannedFamily:
    victim: Any
    offender: Any
    child: Any | None
    relationship: str
    station: Station
    address: str
    orders: list[tuple[Any, set[int]]] = field(default_factory=list)  # (order, protected ids), by service
    # Astana families whose signals are all the demo users' own: the duty officer meets repeat victims and
    # offenders in his own agency's signals, and their histories show at the first try.
    home: bool = False


@dataclass
class Planned:
    received_at: dt.datetime
    registered_at: dt.datetime
    family: PlannedFamily
    with_child: bool
