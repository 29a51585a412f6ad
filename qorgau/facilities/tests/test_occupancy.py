"""Occupancy over time (history.py and its pages): the daily series follows the vacancy history exactly,
months summarise it, and the pages show a chart with the table beside it, inside the user's scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from qorgau.core.testing import otp_login

from ..history import capacities_for, daily, monthly
from ..models import Capacity, VacancyUpdate
from .factories import ADDRESS, FacilityWorld

pytestmark = pytest.mark.django_db


def history(fw: FacilityWorld) -> Capacity:
    """The shelter's women's places (2): 0 taken from 1 March 2025, 1 from the 10th, 2 from the 20th;
    in April one is held for a day."""
    capacity = Capacity.objects.get(facility=fw.shelter, place_type="women")
    start = dt.datetime(2025, 3, 1, 6, tzinfo=dt.UTC)
    for days, vacant, held in ((0, 2, 0), (9, 1, 0), (19, 0, 0), (31, 2, 0), (35, 2, 1), (36, 2, 0)):
        VacancyUpdate.objects.create(
            capacity=capacity,
            kind="reported",
            beds=2,
            vacant=vacant,
            held=held,
            as_of=start + dt.timedelta(days=days),
        )
    return capacity


def test_the_daily_series_is_the_last_update_of_each_day(fw: FacilityWorld) -> None:
    history(fw)
    days = daily(capacities_for(fw.manager), dt.date(2025, 2, 27), dt.date(2025, 4, 10))
    by_day = {d.day: d for d in days}
    assert by_day[dt.date(2025, 2, 28)].reported == 0 and by_day[dt.date(2025, 2, 28)].beds == 0
    assert [by_day[dt.date(2025, 3, n)].occupied for n in (1, 9, 10, 19, 20, 31)] == [0, 0, 1, 1, 2, 2]
    assert by_day[dt.date(2025, 4, 1)].occupied == 0
    assert by_day[dt.date(2025, 4, 5)].held == 1 and by_day[dt.date(2025, 4, 6)].held == 0
    march, april = monthly(days)[0], monthly(days)[1]
    assert march.month == dt.date(2025, 3, 1) and march.days == 31 and march.beds == 2
    assert round(march.occupied, 3) == round((10 * 1 + 12 * 2) / 31, 3)
    assert (march.peak, march.peak_occupancy) == (2, 100)
    assert april.peak == 0
    # Outside the scope: another region's manager sees nothing of it.
    assert not capacities_for(fw.shymkent_manager, facility=fw.shelter).exists()
    assert not capacities_for(fw.worker).exists()  # a case worker keeps no facility and no network


def test_the_facility_page_and_the_region_page(client: Client, fw: FacilityWorld) -> None:
    history(fw)
    otp_login(client, fw.manager)
    page = client.get(f"/facilities/{fw.shelter.pk}/occupancy/?year=2025")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<tr data-month="2025-03">' in html and "<polyline" in html and ADDRESS not in html
    assert client.get(f"/facilities/{fw.shelter.pk}/occupancy/?year=1999").status_code == 404
    assert client.get(f"/facilities/{fw.shymkent_shelter.pk}/occupancy/").status_code == 404
    otp_login(client, fw.sysadmin)
    region = client.get(f"/facilities/network/occupancy/?region={fw.shelter.region_id}&year=2025")
    assert region.status_code == 200
    assert '<tr data-month="2025-03">' in region.content.decode()
    assert client.get("/facilities/network/occupancy/?region=999999").status_code == 404
    otp_login(client, fw.worker)
    assert client.get("/facilities/network/occupancy/").status_code == 403
    assert client.get(f"/facilities/{fw.shelter.pk}/occupancy/").status_code == 403
