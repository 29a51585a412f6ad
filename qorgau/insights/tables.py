"""Every table the dashboards show, as headers and rows: the page renders these, and the CSV and XLSX
exports write the very same rows (exports equal the screen)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass
class Table:
    name: str
    title: Any
    headers: list[Any]
    rows: list[list[Any]] = field(default_factory=list)


def build_tables(context: dict[str, Any]) -> dict[str, Table]:
    dash = context["dash"]
    tables = {
        "tiles": Table(
            "tiles",
            _("Key figures"),
            [_("Figure"), _("Value"), _("Detail")],
            [[t.label, t.value, t.detail] for t in dash["tiles"]],
        ),
        "trend": Table(
            "trend",
            _("Signals by month"),
            [_("Month"), _("Signals"), _("Same month a year earlier")],
            [[r["month"], r["signals"], r["previous_year"]] for r in context["trend"]],
        ),
        "channels": Table(
            "channels",
            _("Signals by channel"),
            [_("Channel"), _("Signals"), _("Share, %")],
            [[c["label"], c["count"], c["share"]] for c in dash["channels"]],
        ),
        "outcomes": Table(
            "outcomes",
            _("Outcomes of the period's signals"),
            [_("Outcome"), _("Signals")],
            [[o["label"], o["count"]] for o in dash["outcomes"]],
        ),
    }
    if context.get("region_rows") is not None:
        tables["regions"] = Table(
            "regions",
            _("Signals per 10,000 people by region"),
            [
                _("ISO code"),
                _("Region"),
                _("Signals"),
                _("Per 10,000"),
                _("Children present, per 10,000"),
                _("Overdue, per 10,000"),
            ],
            [
                [r["code"], r["region"].name, r["signals"], r["rate"], r["children_rate"], r["overdue_rate"]]
                for r in context["region_rows"]
            ],
        )
    return tables
