"""Chart specs as data, the map's colours and legend, the period picker."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from qorgau.core.testing import otp_login

from ..charts import bar_spec, trend_spec
from ..geo import NO_DATA, PALETTE, breaks, choropleth, colour
from ..periods import MAX_MONTHS, PeriodForm, add_months, months
from .factories import InsightsWorld


def test_the_trend_spec_carries_both_series_inline() -> None:
    spec = trend_spec(
        [
            {"month": "2026-01", "signals": 4, "previous_year": 3},
            {"month": "2026-02", "signals": 5, "previous_year": 6},
        ],
        title="Signals",
        this_label="now",
        before_label="before",
    )
    assert spec["$schema"].endswith("vega-lite/v6.json")
    assert spec["data"]["values"] == [
        {"month": "2026-01", "series": "now", "signals": 4},
        {"month": "2026-01", "series": "before", "signals": 3},
        {"month": "2026-02", "series": "now", "signals": 5},
        {"month": "2026-02", "series": "before", "signals": 6},
    ]
    assert spec["mark"]["type"] == "line"
    assert spec["encoding"]["y"]["field"] == "signals"
    assert "url" not in json.dumps(spec["data"])  # nothing to fetch: works offline and under the CSP


def test_the_bar_spec_sorts_by_value() -> None:
    spec = bar_spec([{"label": "102", "count": 7}, {"label": "111", "count": 2}], title="Channels")
    assert spec["data"]["values"] == [{"label": "102", "value": 7}, {"label": "111", "value": 2}]
    assert spec["encoding"]["y"]["sort"] == "-x"


def test_quantile_classes_and_colours() -> None:
    values = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]
    bounds = breaks(values)
    assert bounds == [2.0, 4.0, 6.0, 8.0, 10.0]
    assert colour(1.0, bounds) == PALETTE[0] and colour(10.0, bounds) == PALETTE[-1]
    assert colour(None, bounds) == NO_DATA


def test_the_choropleth_colours_regions_with_values_and_greys_the_rest() -> None:
    result = choropleth({"KZ-71": 5.0, "KZ-79": 1.0}, {"KZ-71": "Astana: 5.0"}, {"KZ-71": "/insights/KZ-71/"})
    shapes = {s.code: s for s in result["shapes"]}
    assert len(shapes) == 20
    assert shapes["KZ-71"].fill != NO_DATA and shapes["KZ-71"].href == "/insights/KZ-71/"
    assert shapes["KZ-10"].fill == NO_DATA and shapes["KZ-10"].href == ""
    assert [c.code for c in result["cities"]] == ["KZ-71", "KZ-75", "KZ-79"]
    assert [item["high"] for item in result["legend"]] == [1.0, 5.0]


def test_months_and_the_period_limit() -> None:
    periods = months((2025, 11), (2026, 2))
    assert [f"{start:%Y-%m}" for start, _ in periods] == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert periods[0][1] == periods[1][0]
    assert add_months(2026, 1, -12) == (2025, 1)
    assert not PeriodForm({"start": "2020-01", "end": "2026-01"}).is_valid()  # > MAX_MONTHS
    assert MAX_MONTHS == 36
    assert not PeriodForm({"start": "2026-05", "end": "2026-01"}).is_valid()
    assert not PeriodForm({"start": "2026-13"}).is_valid()
    form = PeriodForm({"start": "2026-01", "end": "2026-03", "channel": "line_111"})
    assert form.is_valid()
    part = form.slice(regions=None)
    assert part.channel == "line_111" and (part.end - part.start) > dt.timedelta(days=89)


@pytest.mark.django_db
def test_a_bad_period_shows_an_error_and_the_default_figures(iw: InsightsWorld) -> None:
    response = otp_login(Client(), iw.analyst).get("/insights/?start=2026-05&end=2026-01&channel=nope")
    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.django_db
def test_the_pdf_report_renders_kazakh_and_russian(iw: InsightsWorld) -> None:
    iw.signal(days_ago=1)
    client = otp_login(Client(), iw.analyst)
    for language in ("kk", "ru"):
        response = client.get("/insights/KZ-71/report/?format=pdf", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
