"""The register's list filters (GET): kind, region, year. Nothing personal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qorgau.core.models import Region
from qorgau.core.permissions import in_scope

from .models import Activity, ActivityKind


class ActivityFilter(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("all")), *ActivityKind.choices], required=False)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none(), required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = in_scope(Region.objects.all(), Region.scope_paths, user)  # type: ignore[attr-defined]

    def apply(self, rows: Any) -> Any:
        if not self.is_valid():
            return rows
        data = self.cleaned_data
        if data.get("kind"):
            rows = rows.filter(kind=data["kind"])
        if data.get("region"):
            rows = rows.filter(region=data["region"])
        if data.get("year"):
            rows = rows.filter(starts_on__year=data["year"])
        return rows


__all__ = ["Activity", "ActivityFilter"]
