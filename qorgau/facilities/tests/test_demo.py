"""The demo network (qorgau/demo/national/facilities.py): 69 crisis centres, the other three kinds in
every region, real settlements, the three cities highest, plausible occupancy, addresses encrypted."""

from __future__ import annotations

from collections import Counter

import pytest

from qorgau.demo.foundation import build_foundation
from qorgau.demo.national.facilities import create_network

from ..models import Capacity, Facility, FacilityType, Settlement

pytestmark = pytest.mark.django_db


def test_the_demo_network_is_calibrated() -> None:
    foundation = build_foundation(seed=7)
    summary = create_network(foundation.agencies, foundation.users["system_admin"], seed=7)
    assert summary["crisis_centres"] == 69
    kinds = Counter((f.region.code, f.type) for f in Facility.objects.select_related("region"))
    for code in foundation.regions:
        for type_ in FacilityType:
            assert kinds[(code, type_.value)] >= 1, (code, type_)
    crisis = Counter(code for (code, type_), n in kinds.items() for _ in range(n) if type_ == "crisis_centre")
    top = {code for code, _ in crisis.most_common(3)}
    assert top == {"KZ-75", "KZ-71", "KZ-79"}
    assert Settlement.objects.filter(geonames_id__isnull=False).count() > 60
    # Russian and Kazakh names from GeoNames' alternate names (settlement_names.py).
    names = {s.name_en: (s.name_ru, s.name_kk) for s in Settlement.objects.all()}
    assert names["Almaty"] == ("Алматы", "Алматы")
    assert names["Karagandy"] == ("Караганда", "Қарағанды")
    assert names["Kyzylorda"] == ("Кызылорда", "Қызылорда")
    places = list(Capacity.objects.filter(facility__type="crisis_centre"))
    beds, vacant = sum(c.beds for c in places), sum(c.vacant for c in places)
    assert 0.5 < (beds - vacant) / beds < 0.85
    assert all(0 <= c.vacant <= c.beds for c in Capacity.objects.all())
    assert all(f.address_encrypted and " " not in f.address_encrypted for f in Facility.objects.all())
    assert create_network(foundation.agencies, foundation.users["system_admin"], seed=7) == {"facilities": 0}
