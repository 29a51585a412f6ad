"""An offline map of a scenario: points projected to an SVG by their coordinates (no tiles, no script).

Equirectangular projection around the region's mean latitude; distance rings are circles of the
scenario's radius (in km, over the detour factor: the straight-line reach) around each new site.
"""

from __future__ import annotations

import math
from typing import Any

WIDTH, HEIGHT, PAD = 640, 460, 24
KM_PER_DEGREE = 111.2


def svg_map(result: dict[str, Any], radius_km: float, detour: float, minutes: bool) -> dict[str, Any]:
    points = result.get("points", [])
    if not points:
        return {}
    lats = [p["lat"] for p in points] + [s["lat"] for s in result.get("existing", [])]
    lons = [p["lon"] for p in points] + [s["lon"] for s in result.get("existing", [])]
    lat0 = math.radians(sum(lats) / len(lats))
    xs = [lon * math.cos(lat0) for lon in lons]
    span = max(max(xs) - min(xs), max(lats) - min(lats), 0.2)
    scale = min((WIDTH - 2 * PAD) / span, (HEIGHT - 2 * PAD) / span)
    x0, y1 = min(xs), max(lats)

    def at(lat: float, lon: float) -> tuple[float, float]:
        return round(PAD + (lon * math.cos(lat0) - x0) * scale, 1), round(PAD + (y1 - lat) * scale, 1)

    top = max((p["demand"] for p in points), default=1) or 1
    dots = []
    for p in points:
        x, y = at(p["lat"], p["lon"])
        state = (
            "gained"
            if p["covered_after"] > 0.5 and not p["covered_before"]
            else ("covered" if p["covered_after"] > 0.5 else "out")
        )
        dots.append(
            {
                "x": x,
                "y": y,
                "r": round(2.5 + 7 * math.sqrt(p["demand"] / top), 1),
                "state": state,
                "name": p["name"],
            }
        )
    ring = 0.0 if minutes else radius_km / detour / KM_PER_DEGREE * scale
    sites = [
        {**dict(zip(("x", "y"), at(s["lat"], s["lon"]), strict=True)), "name": s["name"]}
        for s in result.get("opened", [])
    ]
    existing = [
        {**dict(zip(("x", "y"), at(s["lat"], s["lon"]), strict=True)), "code": s["code"]}
        for s in result.get("existing", [])
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "dots": dots,
        "sites": sites,
        "existing": existing,
        "ring": round(ring, 1),
    }
