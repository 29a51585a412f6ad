"""The demo's year of placements (qorgau/demo/national/placements.py): calibrated (every crisis-centre
case asks for a place, about two thirds come with children), stays under the rule version in force at
admission with extensions that have reasons, discharges with destination and outcome, and the vacancy
history that the placements and holds explain exactly."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from qorgau.cases.models import Case, Referral
from qorgau.facilities.models import (
    BedHold,
    Capacity,
    Placement,
    PlacementExtension,
    PlacementRequest,
    StayRule,
    VacancyUpdate,
    WaitingEntry,
)

pytestmark = pytest.mark.django_db

SCALE = 0.05  # about 220 crisis-centre cases


@pytest.fixture
def year() -> str:
    out = StringIO()
    call_command("demo", persons=0, scale=SCALE, stdout=out)
    return out.getvalue()


def test_every_crisis_centre_case_asks_for_a_place_two_thirds_with_children(year: str) -> None:
    assert "Placements 2022:" in year
    cases = Case.objects.filter(agency__type="crisis_centre")
    placed = Placement.objects.filter(case__agency__type="crisis_centre")
    assert placed.count() >= 0.9 * cases.filter(opened_at__year=2022).count()
    at_centres = placed.filter(facility__type="crisis_centre")
    with_children = sum(1 for kids in at_centres.values_list("children", flat=True) if kids)
    assert 0.58 < with_children / at_centres.count() < 0.75
    # Men of crisis-centre cases go to the adaptation centre's men's places (no men's places at centres).
    assert set(placed.filter(capacity__place_type="men").values_list("facility__type", flat=True)) == {
        "adaptation_centre"
    }
    assert set(placed.values_list("case__victim__sex", "capacity__place_type").distinct()) >= {
        ("F", "women"),
        ("F", "women_children"),
    }


def test_stays_keep_the_versioned_rule_and_extensions_have_reasons(year: str) -> None:
    placements = list(
        Placement.objects.select_related("rule", "facility", "case", "capacity").prefetch_related(
            "extensions"
        )
    )
    lengths = []
    for p in placements:
        assert p.rule == StayRule.effective(p.facility.type, p.admitted_at)
        assert p.rule.effective_from < dt.date(2023, 6, 29)  # 2022: the version before Order No. 263
        assert p.discharged_at is not None and p.admitted_at < p.discharged_at <= timezone.now()
        assert p.destination and p.outcome
        if p.case.closed_at is not None:
            assert p.discharged_at <= p.case.closed_at
        latest = p.rule.latest_end(timezone.localdate(p.admitted_at))
        extensions = list(p.extensions.all())
        if extensions:
            assert all(e.reason and e.new_end > e.previous_end == latest for e in extensions)
            assert p.planned_end == extensions[-1].new_end
        else:
            assert p.planned_end == latest
            assert timezone.localdate(p.discharged_at) <= latest
        lengths.append((p.discharged_at - p.admitted_at).total_seconds() / 86400)
        if p.capacity.place_type == "women_children":
            assert p.places == 1 + len(p.children)
    assert 25 < sum(lengths) / len(lengths) < 60
    assert PlacementExtension.objects.exists()
    assert Counter(Placement.objects.values_list("outcome", flat=True))["completed"] > len(placements) / 3


def test_requests_are_shelter_referrals_held_then_admitted(year: str) -> None:
    requests = PlacementRequest.objects.select_related("referral", "facility", "case")
    assert requests.filter(status="admitted").exists()
    for r in requests:
        assert r.referral.purpose.code == "shelter" and r.referral.to_agency_id == r.facility.agency_id
        assert r.facility.agency_id != r.case.agency_id  # the case's own centre admits directly
        assert r.decided_at is not None and r.requested_at < r.decided_at
        if r.status == "declined":
            assert r.decline_reason == "no_capacity" and r.referral.status == "declined"
        else:
            hold = BedHold.objects.get(request=r)
            assert hold.released_at is not None and hold.release == (
                "admitted" if r.status == "admitted" else "lapsed"
            )
            assert hold.released_at <= hold.expires_at
        if r.status == "admitted":
            assert r.placement.admitted_at == hold.released_at
            assert r.referral.status == "completed" and r.referral.ended_at == r.placement.discharged_at
    assert not Referral.objects.filter(
        purpose__code="shelter", status="accepted", case__closed_at__isnull=False
    )
    for entry in WaitingEntry.objects.all():
        assert entry.removed_at is not None and entry.removal in ("admitted", "elsewhere", "withdrawn")


def test_the_vacancy_history_is_what_the_placements_and_holds_left(year: str) -> None:
    updates: dict[int, list[VacancyUpdate]] = defaultdict(list)
    for u in VacancyUpdate.objects.order_by("as_of", "id"):
        updates[u.capacity_id].append(u)
        assert 0 <= u.held <= u.vacant <= u.beds
    mid = dt.datetime(2022, 7, 1, 6, tzinfo=dt.UTC)
    stays = list(Placement.objects.values_list("capacity_id", "places", "admitted_at", "discharged_at"))
    holds = list(BedHold.objects.values_list("capacity_id", "places", "held_at", "released_at"))
    checked = 0
    for capacity in Capacity.objects.filter(facility__type__in=["crisis_centre", "adaptation_centre"]):
        before = [u for u in updates[capacity.pk] if u.as_of <= mid and u.as_of.year == 2022]
        if not before:
            continue
        last = before[-1]
        taken = sum(n for c, n, a, d in stays if c == capacity.pk and a <= mid and (d is None or d > mid))
        held = sum(n for c, n, a, r in holds if c == capacity.pk and a <= mid and (r is None or r > mid))
        assert (last.beds - last.vacant, last.held) == (taken, held), capacity
        checked += 1
        kinds = Counter(u.kind for u in updates[capacity.pk])
        assert kinds["admission"] == sum(1 for c, *_ in stays if c == capacity.pk)
    assert checked > 50
    assert Placement.objects.filter(admitted_at__year=2022).exists()
    again = StringIO()
    call_command("demo", persons=0, scale=SCALE, force=True, stdout=again)
    assert "Placements 2022: already present, skipped." in again.getvalue()
