"""The vacancy search: filters, ranking and its explanations; counts only, never the address."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ..models import Capacity
from ..queries import SearchQuery, distance_km, search_vacancies
from ..services import do_change_facility, do_report_vacancies
from .factories import ADDRESS, FacilityWorld, settlement

pytestmark = pytest.mark.django_db


def test_great_circle_distance() -> None:
    assert distance_km(51.18, 71.45, 51.18, 71.45) == 0
    # Astana - Almaty is about 970 km in a straight line.
    assert 940 < distance_km(51.1801, 71.4460, 43.2567, 76.9286) < 1000


def test_nearest_with_enough_places_first_and_each_rank_explained(fw: FacilityWorld) -> None:
    kosshy = settlement(fw.cw.p.astana, "Kosshy", "50.97000", "71.35000")
    near = fw.facility("Kosshy Centre", where=kosshy, languages=["kk"])
    results = search_vacancies(fw.worker, SearchQuery(place_type="women", origin=kosshy))
    assert [m.facility for m in results][:2] == [near, fw.shelter]
    assert results[-1].facility == fw.shymkent_shelter
    first, second = results[0], results[1]
    assert first.rank == 1 and "nearest" in first.reasons[0]
    assert "0 km from Kosshy" in first.reasons[1]
    assert second.reasons[0] == "Lower: farther away than the one above."
    assert "2 free places for women, enough for 1" in second.reasons


def test_stale_data_ranks_below_current_data_and_says_so(fw: FacilityWorld) -> None:
    old = timezone.now() - dt.timedelta(hours=30)
    do_report_vacancies(actor=fw.manager, facility=fw.shelter, place_type="women", vacant=2, as_of=old)
    results = search_vacancies(fw.worker, SearchQuery(place_type="women", origin=fw.astana_city))
    assert [m.facility for m in results] == [fw.shymkent_shelter, fw.shelter]
    assert results[1].reasons[0] == "Lower: its vacancy data is older than 24 hours."
    assert any("30 hours ago" in r for r in results[1].reasons)


def test_children_need_that_many_free_places_and_teenage_sons_a_facility_taking_them(
    fw: FacilityWorld,
) -> None:
    four = [{"age": a, "sex": "F"} for a in (1, 3, 5)]  # the mother and three children: 4 places
    do_report_vacancies(actor=fw.manager, facility=fw.shelter, place_type="women_children", vacant=3)
    query = SearchQuery(place_type="women_children", origin=fw.astana_city, children=four)
    assert [m.facility for m in search_vacancies(fw.worker, query)] == [fw.shymkent_shelter]
    query.include_full = True
    results = search_vacancies(fw.worker, query)
    assert [m.facility for m in results] == [fw.shymkent_shelter, fw.shelter]
    assert results[1].reasons[0] == "Lower: not enough free places now."
    son = SearchQuery(place_type="women_children", origin=fw.astana_city, children=[{"age": 15, "sex": "M"}])
    assert search_vacancies(fw.worker, son) == []
    do_change_facility(
        actor=fw.sysadmin, facility=fw.shelter, takes_teenage_sons=True, teenage_son_max_age=16
    )
    assert [m.facility for m in search_vacancies(fw.worker, son)] == [fw.shelter]


def test_accessibility_language_and_type_filter(fw: FacilityWorld) -> None:
    wheel = SearchQuery(place_type="women", origin=fw.astana_city, accessibility=["wheelchair"])
    assert [m.facility for m in search_vacancies(fw.worker, wheel)] == [fw.shelter]
    kazakh = SearchQuery(place_type="women", origin=fw.astana_city, language="kk")
    assert [m.facility for m in search_vacancies(fw.worker, kazakh)] == [fw.shelter]
    assert "speaks Kazakh" in search_vacancies(fw.worker, kazakh)[0].reasons
    drugs = SearchQuery(place_type="women", origin=fw.astana_city, types=["drug_treatment"])
    assert search_vacancies(fw.worker, drugs) == []


def test_without_a_settlement_the_region_asked_comes_first(fw: FacilityWorld) -> None:
    Capacity.objects.update(as_of=timezone.now())
    results = search_vacancies(fw.worker, SearchQuery(place_type="women", region=fw.cw.p.shymkent))
    assert results[0].facility == fw.shymkent_shelter


def test_held_places_are_not_offered(fw: FacilityWorld) -> None:
    from ..services import do_accept_request

    for _ in range(2):
        do_accept_request(actor=fw.manager, request=fw.request())
    results = search_vacancies(fw.worker, SearchQuery(place_type="women", origin=fw.astana_city))
    assert fw.shelter not in [m.facility for m in results]


def test_only_case_workers_search_and_the_results_never_hold_the_address(fw: FacilityWorld) -> None:
    query = SearchQuery(place_type="women", origin=fw.astana_city)
    assert search_vacancies(fw.manager, query) == []
    assert search_vacancies(fw.cw.p.outsider, query) == []
    results = search_vacancies(fw.worker, query)
    text = repr([(m.facility.__dict__, m.reasons, m.capacity.__dict__) for m in results])
    assert ADDRESS not in text
    assert "Kenesary" not in text
