from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qorgau.core.models import Region
from qorgau.core.permissions import in_scope

from .models import ScenarioModel

MAX_CSV = 20 * 1024 * 1024


def facility_type_choices() -> list[tuple[str, Any]]:
    from qorgau.facilities import queries as facilities_queries

    return list(facilities_queries.FacilityType.choices)


class ScenarioForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    facility_type = forms.ChoiceField(label=_("Facility type"), choices=())
    model = forms.ChoiceField(label=_("Model"), choices=ScenarioModel.choices)
    p = forms.IntegerField(label=_("New facilities (p)"), min_value=0, max_value=200, initial=3)
    radius_km = forms.FloatField(
        label=_("Reach (km, or minutes with a travel-time file)"), min_value=1, max_value=2000, initial=100
    )
    fixed_existing = forms.BooleanField(
        label=_("Keep the existing facilities open"), required=False, initial=True
    )
    budget = forms.FloatField(label=_("Budget (capacitated model)"), min_value=0, required=False, initial=0)
    site_cost = forms.FloatField(
        label=_("Cost of opening a facility"), min_value=0, required=False, initial=0
    )
    bed_cost = forms.FloatField(label=_("Cost of one new place"), min_value=0, required=False, initial=0)
    max_new_beds = forms.IntegerField(
        label=_("Most new places at one facility"), min_value=0, max_value=1000, required=False, initial=50
    )
    travel_csv = forms.FileField(
        label=_("Travel-time matrix (CSV: origin,destination,minutes), optional"), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = in_scope(Region.objects.all(), Region.scope_paths, user).order_by("name_en")
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
        self.fields["facility_type"].choices = facility_type_choices()  # type: ignore[attr-defined]

    def clean_travel_csv(self) -> str:
        upload = self.cleaned_data.get("travel_csv")
        if not upload:
            return ""
        if upload.size > MAX_CSV:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from None

    def parameters(self) -> dict[str, Any]:
        d = self.cleaned_data
        out = {"p": d["p"], "radius_km": d["radius_km"], "fixed_existing": d["fixed_existing"]}
        for name, default in (("budget", 0.0), ("site_cost", 0.0), ("bed_cost", 0.0), ("max_new_beds", 50)):
            out[name] = d.get(name) if d.get(name) is not None else default
        return out
