"""Vega-Lite specifications built as data (dicts), rendered in the page by vega-embed from npm.

The specs carry their data inline and nothing a browser would fetch; tests read them as data. The page
renders them with the canvas renderer and vega-embed's expression interpreter (`ast: true`), so that the
CSP needs neither 'unsafe-eval' nor inline styles (static/insights/charts.js).
"""

from __future__ import annotations

from typing import Any

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"  # names the dialect; never fetched


def trend_spec(
    rows: list[dict[str, Any]], *, title: str, this_label: str, before_label: str
) -> dict[str, Any]:
    """Signals per month, the period against the same months a year earlier. `rows` are
    {"month": "YYYY-MM", "signals": n, "previous_year": m}."""
    values = [
        {"month": row["month"], "series": series, "signals": row[key]}
        for row in rows
        for series, key in ((this_label, "signals"), (before_label, "previous_year"))
    ]
    return {
        "$schema": SCHEMA,
        "title": title,
        "width": "container",
        "height": 240,
        "data": {"values": values},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "month", "type": "ordinal", "title": None, "sort": None},
            "y": {"field": "signals", "type": "quantitative", "title": title},
            "color": {
                "field": "series",
                "type": "nominal",
                "title": None,
                "sort": [this_label, before_label],
            },
            "strokeDash": {
                "field": "series",
                "type": "nominal",
                "sort": [this_label, before_label],
                "legend": None,
            },
        },
    }


def bar_spec(rows: list[dict[str, Any]], *, title: str, field: str = "count") -> dict[str, Any]:
    """A horizontal bar per row ({"label": ..., field: n}), largest first."""
    values = [{"label": str(row["label"]), "value": row[field]} for row in rows]
    return {
        "$schema": SCHEMA,
        "title": title,
        "width": "container",
        "height": {"step": 22},
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "y": {"field": "label", "type": "nominal", "title": None, "sort": "-x"},
            "x": {"field": "value", "type": "quantitative", "title": title},
        },
    }
