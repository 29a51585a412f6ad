"""Tile figures equal independent counts of a small fixture, computed in the user's scope."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from django.utils import timezone

from qorgau.cases.queries import referral_figures
from qorgau.core.aggregates import HoursBetween, Slice, percentile
from qorgau.intake.models import Signal
from qorgau.intake.queries import signal_figures, signals_by_period, signals_by_region

from ..figures import dashboard, rate
from .factories import InsightsWorld

pytestmark = pytest.mark.django_db


def _period(days: int = 100) -> Slice:
    now = timezone.now()
    return Slice(start=now - dt.timedelta(days=days), end=now + dt.timedelta(days=1))


def _fixture(iw: InsightsWorld) -> dict[str, list[Signal]]:
    astana = [
        iw.signal(days_ago=10, channel="call_102"),
        iw.signal(days_ago=20, channel="line_111", children_present=True),
        iw.signal(days_ago=40.5, channel="call_102", forms=["physical"]),
    ]
    shymkent = [iw.signal(days_ago=5, shymkent=True), iw.signal(days_ago=6, shymkent=True)]
    earlier = [iw.signal(days_ago=365 + 30)]  # the same period a year earlier, Astana
    decided = [iw.decide(astana[0]), iw.decide(astana[2], "no_offence"), iw.decide(shymkent[0])]
    return {"astana": astana, "shymkent": shymkent, "earlier": earlier, "decided": decided}


def _hours(signal: Signal) -> int:
    assert signal.closed_at is not None
    return math.floor((signal.closed_at - signal.received_at).total_seconds() / 3600)


def test_the_analyst_counts_astana_only_and_the_national_user_everything(iw: InsightsWorld) -> None:
    rows = _fixture(iw)
    mine = signal_figures(iw.analyst, _period())
    assert mine["total"] == 3
    assert mine["channels"] == {"call_102": 2, "line_111": 1}
    assert mine["outcomes"]["admin_protocol"] == 1 and mine["outcomes"]["no_offence"] == 1
    assert mine["open"] == 1 and mine["overdue"] == 1  # 20 days without an outcome
    assert mine["children_present"] == 1
    # One victim and one offender in all three Astana signals: both are repeats.
    assert (mine["victims"], mine["repeat_victims"]) == (1, 1)
    assert (mine["offenders"], mine["repeat_offenders"]) == (1, 1)
    decided_astana = sorted(_hours(s) for s in rows["decided"] if s.region_id == iw.p.astana.pk)
    assert mine["hours_median"] == decided_astana[0]  # nearest rank of two values: the lower
    assert mine["hours_p90"] == decided_astana[1]
    assert mine["previous_year"] == 1

    everything = signal_figures(iw.national, _period())
    assert everything["total"] == 5
    assert everything["victims"] == 3 and everything["repeat_victims"] == 1
    assert signal_figures(iw.shymkent_analyst, _period())["total"] == 2


def test_filters_narrow_the_count(iw: InsightsWorld) -> None:
    _fixture(iw)
    part = _period()
    assert signal_figures(iw.analyst, Slice(part.start, part.end, channel="line_111"))["total"] == 1
    assert signal_figures(iw.analyst, Slice(part.start, part.end, form="physical"))["total"] == 1
    assert signal_figures(iw.analyst, Slice(part.start, part.end, relationship="spouse"))["total"] == 3
    assert signal_figures(iw.analyst, Slice(part.start, part.end, relationship="sibling"))["total"] == 0


def test_a_regional_analyst_asking_for_another_region_gets_nothing(iw: InsightsWorld) -> None:
    rows = _fixture(iw)
    part = _period()
    now = timezone.now()
    late = [
        s
        for s in Signal.objects.filter(pk__in=[x.pk for x in rows["astana"]])
        if s.status != "closed"
        and (s.outcome_due < now or (s.first_contact_at is None and s.first_contact_due < now))
    ]
    assert len(late) == 1  # the open one, 20 days old
    shymkent_only = Slice(part.start, part.end, regions=frozenset({iw.p.shymkent.pk}))
    assert signal_figures(iw.analyst, shymkent_only)["total"] == 0
    assert signals_by_region(iw.analyst, part) == {
        iw.p.astana.pk: {"signals": 3, "children": 1, "overdue": len(late)}
    }
    assert set(signals_by_region(iw.national, part)) == {iw.p.astana.pk, iw.p.shymkent.pk}


def test_rates_per_10000_people_use_the_region_population(iw: InsightsWorld) -> None:
    _fixture(iw)
    astana = iw.p.astana
    result = dashboard(iw.analyst, _period(), population=astana.population)
    assert result["figures"]["rate"] == round(3 * 10_000 / astana.population, 1)
    assert rate(15, 1_430_105) == 0.1
    assert rate(5, None) is None


def test_monthly_periods_count_each_signal_once(iw: InsightsWorld) -> None:
    rows = _fixture(iw)
    now = timezone.now()
    periods = [
        (now - dt.timedelta(days=30 * (i + 1)), now - dt.timedelta(days=30 * i)) for i in reversed(range(3))
    ]
    counts = signals_by_period(iw.national, Slice(periods[0][0], periods[-1][1]), periods)
    expected = [
        sum(1 for s in rows["astana"] + rows["shymkent"] if start <= s.received_at < end)
        for start, end in periods
    ]
    assert counts == expected and sum(counts) == 5


def test_referral_figures_in_scope_are_zero_without_referrals(iw: InsightsWorld) -> None:
    assert referral_figures(iw.analyst, _period()) == {
        "total": 0,
        "accepted": 0,
        "declined": 0,
        "cases_opened": 0,
        "hours_median": None,
        "hours_p90": None,
    }


def test_hours_between_floors_on_the_database(iw: InsightsWorld) -> None:
    signal = iw.signal(days_ago=3)
    for hours in (0.5, 1, 23.99, 24, 49.5):
        Signal.objects.filter(pk=signal.pk).update(closed_at=signal.received_at + dt.timedelta(hours=hours))
        value = Signal.objects.annotate(h=HoursBetween("received_at", "closed_at")).get(pk=signal.pk).h
        assert value == math.floor(hours), hours


def test_percentile_is_the_nearest_rank() -> None:
    values = [5, 1, 9, 3, 7, 2, 8, 4, 6, 10]
    histogram = [(v, 1) for v in values]
    assert percentile(histogram, 0.5) == 5
    assert percentile(histogram, 0.9) == 9
    assert percentile([(4, 3), (10, 1)], 0.5) == 4
    assert percentile([], 0.5) is None
