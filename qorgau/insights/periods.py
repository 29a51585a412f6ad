"""The dashboards' period picker and filters (GET parameters) and the regions a user's figures reach.

A period is a run of whole months, `start` to `end` inclusive (YYYY-MM), at most MAX_MONTHS; the default
is the last twelve months up to the current one. Filters narrow the signals counted (channel, form of
violence, relationship of the alleged offender to the victim).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.aggregates import Slice
from qorgau.core.models import District, Region
from qorgau.core.permissions import work_region_ids
from qorgau.intake.queries import aggregate_filter_choices

MAX_MONTHS = 36
MONTH_RE = r"^\d{4}-(0[1-9]|1[0-2])$"


def month_start(year: int, month: int) -> dt.datetime:
    """Midnight of the 1st, local time (Asia/Almaty), as an aware datetime."""
    return dt.datetime(year, month, 1, tzinfo=timezone.get_current_timezone())


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def months(start: tuple[int, int], end: tuple[int, int]) -> list[tuple[dt.datetime, dt.datetime]]:
    """[start, end) of each month from `start` to `end` inclusive."""
    result = []
    year, month = start
    while (year, month) <= end:
        nxt = add_months(year, month, 1)
        result.append((month_start(year, month), month_start(*nxt)))
        year, month = nxt
    return result


def _parse(value: str) -> tuple[int, int]:
    year, month = value.split("-")
    return int(year), int(month)


def default_period(today: dt.date | None = None) -> tuple[tuple[int, int], tuple[int, int]]:
    today = today or timezone.localdate()
    end = (today.year, today.month)
    return add_months(*end, -11), end


class PeriodForm(forms.Form):
    """The period picker and filters of the dashboards and trends (GET)."""

    start = forms.RegexField(MONTH_RE, label=_("From (month)"), required=False, max_length=7)
    end = forms.RegexField(MONTH_RE, label=_("To (month)"), required=False, max_length=7)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    form = forms.ChoiceField(label=_("Form of violence"), required=False)
    relationship = forms.ChoiceField(label=_("Relationship to the victim"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = aggregate_filter_choices()
        for name in ("channel", "form", "relationship"):
            field: Any = self.fields[name]
            field.choices = [("", _("any")), *choices[name]]
        first, last = default_period()
        self.fields["start"].initial = f"{first[0]}-{first[1]:02d}"
        self.fields["end"].initial = f"{last[0]}-{last[1]:02d}"
        for name in ("start", "end"):
            self.fields[name].widget.input_type = "month"
            self.fields[name].widget.attrs["class"] = "form-control form-control-sm"
        for name in ("channel", "form", "relationship"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = default_period()
        start = _parse(data["start"]) if data.get("start") else first
        end = _parse(data["end"]) if data.get("end") else last
        if not self.errors:
            if start > end:
                self.add_error("end", _("The end month must not come before the start month."))
            elif (end[0] - start[0]) * 12 + end[1] - start[1] + 1 > MAX_MONTHS:
                self.add_error("end", _("A period is at most %(n)s months.") % {"n": MAX_MONTHS})
        data["start_month"], data["end_month"] = start, end
        return data

    def period(self) -> tuple[tuple[int, int], tuple[int, int]]:
        """The cleaned period, or the default one when the form is not valid."""
        if self.is_valid():
            return self.cleaned_data["start_month"], self.cleaned_data["end_month"]
        return default_period()

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {"channel": "", "form": "", "relationship": ""}
        return {name: self.cleaned_data.get(name) or "" for name in ("channel", "form", "relationship")}

    def slice(self, *, regions: frozenset[int] | None, district: int | None = None) -> Slice:
        start, end = self.period()
        periods = months(start, end)
        return Slice(
            start=periods[0][0], end=periods[-1][1], regions=regions, district=district, **self.filters()
        )


def reachable_regions(user: Any) -> list[Region]:
    """The regions whose dashboards `user` may open: every region for national scope, the selected
    regions for regional scope, the agency's region otherwise. Anything else answers 404."""
    ids = work_region_ids(user)
    regions = Region.objects.all()
    if ids is not None:
        regions = regions.filter(pk__in=sorted(ids))
    return list(regions.order_by("code"))


def region_districts(region: Region) -> list[District]:
    return list(District.objects.filter(region=region).order_by("name_en"))
