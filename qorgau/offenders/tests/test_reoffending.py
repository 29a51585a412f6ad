"""Re-offending counted from the signals register equals an independent count on a constructed fixture."""

import datetime as dt

import pytest
from django.utils import timezone

from qorgau.intake.models import PartyRole, Signal, SignalParty
from qorgau.people.models import Person

from ..models import ProgrammeReferral, ProgrammeStatus
from ..queries import funnel, reoffending
from ..services import do_refer_to_programme
from .factories import OffenderWorld

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def _signal_at(ow: OffenderWorld, person: Person, at: dt.datetime) -> Signal:
    signal = ow.iw.register(offenders=[person], received_at=at)
    Signal.objects.filter(pk=signal.pk).update(received_at=at)
    return signal


def _ended(
    ow: OffenderWorld, person: Person, status: str, referred_days: int, ended_days: int
) -> ProgrammeReferral:
    signal = _signal_at(ow, person, NOW - dt.timedelta(days=referred_days + 1))
    referral = do_refer_to_programme(
        actor=ow.inspector, programme=ow.programme, offender=person, basis="police", signal=signal
    )
    ProgrammeReferral.objects.filter(pk=referral.pk).update(
        status=status,
        referred_at=NOW - dt.timedelta(days=referred_days),
        ended_at=NOW - dt.timedelta(days=ended_days),
        assessed_at=NOW - dt.timedelta(days=referred_days),
    )
    return referral


def _person(ow: OffenderWorld, n: int) -> Person:
    from .factories import make_intake_person

    return make_intake_person(ow, n)


def test_reoffending_equals_an_independent_count(ow: OffenderWorld) -> None:
    people = [_person(ow, n) for n in range(5)]
    # Five offenders finished a programme 400 days ago (both windows have passed), referred 500 days ago.
    plan = {
        0: ("completed", [30]),  # one signal 30 days after the end: re-offended within 6 and 12
        1: ("completed", [250]),  # 250 days after: within 12 months only
        2: ("completed", []),  # no new signal
        3: ("dropped_out", [10, 100]),  # two signals within 6 months
        4: ("dropped_out", [380]),  # after 12 months: counts in neither window
    }
    for n, (status, after_days) in plan.items():
        _ended(ow, people[n], status, referred_days=500, ended_days=400)
        for days in after_days:
            _signal_at(ow, people[n], NOW - dt.timedelta(days=400 - days))
    groups = {g.group: g for g in reoffending(ow.analyst, now=NOW)}

    # The independent count: straight from the parties table, person by person.
    def count(status: str, window: int) -> int:
        hits = 0
        for n, (s, _) in plan.items():
            if s != status:
                continue
            end = NOW - dt.timedelta(days=400)
            times = SignalParty.objects.filter(person=people[n], role=PartyRole.OFFENDER).values_list(
                "signal__received_at", flat=True
            )
            hits += any(end < t <= end + dt.timedelta(days=window) for t in times)
        return hits

    completed, dropped = groups["programme_completed"], groups["programme_dropped_out"]
    assert (completed.persons, completed.eligible_6, completed.eligible_12) == (3, 3, 3)
    assert completed.after_6 == count("completed", 182) == 1
    assert completed.after_12 == count("completed", 365) == 2
    assert dropped.after_6 == count("dropped_out", 182) == 1
    assert dropped.signals_6 == 2
    assert dropped.after_12 == count("dropped_out", 365) == 1
    # The signal that led to the referral (a day before it) is the "before" window's.
    assert completed.before == 3 and dropped.before == 2
    assert "not_referred" in groups


def test_a_window_that_has_not_passed_does_not_count(ow: OffenderWorld) -> None:
    person = _person(ow, 9)
    _ended(ow, person, ProgrammeStatus.COMPLETED, referred_days=120, ended_days=100)
    group = next(g for g in reoffending(ow.analyst, now=NOW) if g.group == "programme_completed")
    assert (group.persons, group.eligible_6, group.eligible_12, group.rate_6) == (1, 0, 0, None)


def test_the_funnel_counts_each_stage(ow: OffenderWorld) -> None:
    ow.refer()
    row = funnel(ow.analyst)[0]
    assert (row["referred"], row["assessed"], row["started"], row["completed"]) == (1, 0, 0, 0)


def test_an_analyst_of_another_region_sees_nothing(ow: OffenderWorld) -> None:
    from qorgau.core.models import Scope

    from .factories import user

    _ended(ow, _person(ow, 7), "completed", referred_days=500, ended_days=400)
    shymkent = user("analyst_s", None, "analyst", scope=Scope.REGIONS, regions=[ow.p.shymkent])
    assert [g.persons for g in reoffending(shymkent, now=NOW)] == [0]
    assert funnel(shymkent) == []


def test_one_offenders_figures_on_his_referral(ow: OffenderWorld) -> None:
    from ..queries import offender_reoffending

    person = _person(ow, 11)
    referral = _ended(ow, person, "completed", referred_days=500, ended_days=400)
    _signal_at(ow, person, NOW - dt.timedelta(days=300))  # 100 days after the end
    referral.refresh_from_db()
    figures = offender_reoffending(ow.inspector, person.pk, referral.referred_at, referral.ended_at)
    assert figures == {"before": 1, "after_6": 1, "after_12": 1, "since": 1}
