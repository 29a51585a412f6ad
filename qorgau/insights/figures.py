"""The dashboard's figures for one slice of a user's scope, assembled from each app's aggregate queries.

Everything here is a count, a share or a rate; no row of a record leaves the queries. Each figure is
computed inside the user's scope (the apps' queries start from `core.permissions.in_scope`), for the
regions the slice names, which the views take from the regions the user may open (periods.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.cases.queries import referral_figures
from qorgau.core.aggregates import Slice
from qorgau.core.models import Region
from qorgau.facilities.queries import network_figures
from qorgau.intake.queries import (
    aggregate_filter_choices,
    public_signal_counts,
    signal_figures,
    signals_by_region,
)
from qorgau.risk.queries import risk_figures

PER = 10_000
# The outcomes the brief asks for, in its order (DOMAIN.md B2), then the rest.
OUTCOME_ORDER = ("criminal_case", "admin_protocol", "protective_order", "no_offence", "referred")


def rate(count: int | None, population: int | None) -> float | None:
    """Per 10,000 people, one decimal; None without a population."""
    if count is None or not population:
        return None
    return round(count * PER / population, 1)


def share(part: int | None, whole: int | None) -> int | None:
    """A whole percentage, None when the whole is zero."""
    if part is None or not whole:
        return None
    return round(100 * part / whole)


def change(now: int, before: int) -> int | None:
    """Percent change against the earlier count; None when there was nothing to compare with."""
    return round(100 * (now - before) / before) if before else None


def days(hours: int | None) -> float | None:
    return None if hours is None else round(hours / 24, 1)


@dataclass(frozen=True)
class Tile:
    key: str
    label: Any
    value: Any
    detail: Any = ""


def dashboard(
    user: Any, part: Slice, *, population: int | None, at: dt.datetime | None = None
) -> dict[str, Any]:
    """Every tile of the dashboard for `part` (population: of the regions counted, None for a district)."""
    at = at or timezone.now()
    signals = signal_figures(user, part, at)
    referrals = referral_figures(user, part)
    risk = risk_figures(user, part, timezone.localtime(at).date())
    network = network_figures(user, part)
    labels = aggregate_filter_choices()
    channel_labels = dict(labels["channel"])
    outcome_labels = dict(labels["outcome"])
    total = signals["total"]
    channels = [
        {"code": code, "label": channel_labels.get(code, code), "count": n, "share": share(n, total)}
        for code, n in sorted(signals["channels"].items(), key=lambda item: (-item[1], item[0]))
    ]
    outcomes = [
        {"code": code, "label": outcome_labels[code], "count": signals["outcomes"].get(code, 0)}
        for code in OUTCOME_ORDER
    ]
    figures = {
        "signals": total,
        "rate": rate(total, population),
        "previous_year": signals["previous_year"],
        "change": change(total, signals["previous_year"]),
        "open": signals["open"],
        "overdue": signals["overdue"],
        "repeat_victims_share": share(signals["repeat_victims"], signals["victims"]),
        "repeat_offenders_share": share(signals["repeat_offenders"], signals["offenders"]),
        "days_median": days(signals["hours_median"]),
        "days_p90": days(signals["hours_p90"]),
        "children": signals["children"],
        "children_present": signals["children_present"],
        "assessments": risk["assessments"],
        "high_risk_share": share(risk["high_risk"], risk["assessments"]),
        "conference_referrals": risk["conference_referrals"],
        "overdue_actions": risk["overdue_actions"],
        "referrals": referrals["total"],
        "referrals_accepted_share": share(
            referrals["accepted"], referrals["accepted"] + referrals["declined"]
        ),
        "referral_days_median": days(referrals["hours_median"]),
        "cases_opened": referrals["cases_opened"],
        "beds": network["beds"],
        "vacant": network["vacant"],
        "occupancy": network["occupancy"],
        "turnaways": network["turnaways"],
        "admissions": network["admissions"],
    }
    return {"figures": figures, "channels": channels, "outcomes": outcomes, "tiles": tiles(figures)}


def tiles(f: dict[str, Any]) -> list[Tile]:
    """The tiles in reading order, each with its headline value and a line of detail."""

    def pct(value: Any) -> str:
        return "—" if value is None else f"{value}%"

    def num(value: Any) -> str:
        return "—" if value is None else str(value)

    return [
        Tile("signals", _("Signals"), f["signals"], _("previous year: %(n)s") % {"n": f["previous_year"]}),
        Tile("rate", _("Signals per 10,000 people"), num(f["rate"])),
        Tile("change", _("Change against the same period a year earlier"), pct(f["change"])),
        Tile(
            "open", _("Without an outcome yet"), f["open"], _("of them overdue: %(n)s") % {"n": f["overdue"]}
        ),
        Tile("repeat_victims", _("Repeat victims"), pct(f["repeat_victims_share"])),
        Tile("repeat_offenders", _("Repeat alleged offenders"), pct(f["repeat_offenders_share"])),
        Tile(
            "time_to_outcome",
            _("Days from signal to outcome (median)"),
            num(f["days_median"]),
            _("90th percentile: %(n)s") % {"n": num(f["days_p90"])},
        ),
        Tile("children", _("Children affected or witnessing"), f["children"]),
        Tile(
            "assessments",
            _("Risk assessments done"),
            f["assessments"],
            _("high risk: %(p)s") % {"p": pct(f["high_risk_share"])},
        ),
        Tile(
            "conferences",
            _("Cases referred to the risk conference"),
            f["conference_referrals"],
            _("conference actions overdue: %(n)s") % {"n": f["overdue_actions"]},
        ),
        Tile(
            "referrals",
            _("Referrals between agencies"),
            f["referrals"],
            _("accepted: %(p)s, median %(d)s days to accept")
            % {"p": pct(f["referrals_accepted_share"]), "d": num(f["referral_days_median"])},
        ),
        Tile(
            "occupancy",
            _("Crisis centre occupancy today"),
            pct(f["occupancy"]),
            _("%(v)s of %(b)s places vacant") % {"v": f["vacant"], "b": f["beds"]},
        ),
        Tile("turnaways", _("Turned away for lack of places"), f["turnaways"]),
    ]


def region_rates(user: Any, part: Slice, regions: list[Region]) -> list[dict[str, Any]]:
    """One row per region of `regions` (the user's reach): counts and rates per 10,000 for the map."""
    counts = signals_by_region(user, part)
    rows = []
    for region in regions:
        row = counts.get(region.pk, {"signals": 0, "children": 0, "overdue": 0})
        rows.append(
            {
                "region": region,
                "code": region.code,
                **row,
                "rate": rate(row["signals"], region.population),
                "children_rate": rate(row["children"], region.population),
                "overdue_rate": rate(row["overdue"], region.population),
            }
        )
    return rows


def national_rate(part: Slice) -> float | None:
    """Signals per 10,000 people of the whole country in the slice's period, unfiltered: the one figure
    beyond a regional user's scope the issue allows (the comparison with the national rate)."""
    counts = public_signal_counts([(part.start, part.end)])
    total = sum(values[0] for values in counts.values())
    population = sum(Region.objects.values_list("population", flat=True))
    return rate(total, population)
