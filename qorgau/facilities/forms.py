"""Page forms of the facilities domain. They parse types; the rules live in the services."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qorgau.cases.models import ServiceType
from qorgau.core.models import Region

from .models import (
    Accessibility,
    DeclineReason,
    DischargeDestination,
    DischargeOutcome,
    FacilityType,
    Language,
    OpeningMode,
    Operator,
    PlaceType,
    Settlement,
)

CHILD_RE = re.compile(r"^(\d{1,2})\s*([FMfm\u0416\u0436\u041c\u043c]?)$")  # F/M, Cyrillic Zh/Em too
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def parse_children(value: str) -> list[dict[str, Any]]:
    """ "4F, 7M, 12" -> [{"age": 4, "sex": "F"}, {"age": 7, "sex": "M"}, {"age": 12, "sex": ""}]."""
    children = []
    for part in filter(None, (p.strip() for p in (value or "").replace(";", ",").split(","))):
        match = CHILD_RE.match(part)
        if match is None:
            raise forms.ValidationError(
                _("Write each child as an age and F or M, separated by commas: 4F, 7M.")
            )
        sex = match.group(2).upper().replace("\u0416", "F").replace("\u041c", "M")
        children.append({"age": int(match.group(1)), "sex": sex})
    return children


def format_children(children: list[dict[str, Any]]) -> str:
    return ", ".join(f"{c['age']}{c.get('sex', '')}" for c in children)


class ChildrenField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Accompanying children"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Age and F or M for each child, separated by commas: 4F, 7M."))
        super().__init__(max_length=200, **kwargs)

    def clean(self, value: Any) -> list[dict[str, Any]]:
        return parse_children(super().clean(value))


def settlement_field(required: bool = True) -> forms.ModelChoiceField[Settlement]:
    return forms.ModelChoiceField(
        label=_("Settlement"), queryset=Settlement.objects.select_related("region"), required=required
    )


class FacilityForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    type = forms.ChoiceField(label=_("Type"), choices=FacilityType.choices)
    operator = forms.ChoiceField(label=_("Operator"), choices=Operator.choices)
    settlement = settlement_field()
    licence_number = forms.CharField(label=_("Licence number"), max_length=64, required=False)
    licence_valid_until = forms.DateField(label=_("Licence valid until"), required=False, widget=DATE)
    public_phone = forms.CharField(
        label=_("Public phone"),
        max_length=32,
        required=False,
        help_text=_("Shown on the public help page with the name and opening hours (never the address)."),
    )
    services = forms.MultipleChoiceField(
        label=_("Services offered"),
        choices=ServiceType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    opening_mode = forms.ChoiceField(label=_("Opening mode"), choices=OpeningMode.choices)
    accessibility = forms.MultipleChoiceField(
        label=_("Accessibility"),
        choices=Accessibility.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    takes_teenage_sons = forms.BooleanField(label=_("Takes teenage sons with their mother"), required=False)
    teenage_son_max_age = forms.IntegerField(
        label=_("Oldest son taken (years)"), min_value=0, max_value=17, initial=17
    )
    takes_pets = forms.BooleanField(label=_("Takes pets"), required=False)
    address = forms.CharField(
        label=_("Street address (secret)"),
        max_length=300,
        required=False,
        help_text=_("Shown only to the facility's staff and to a case worker whose request was accepted."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in PlaceType.choices:
            self.fields[f"places_{code}"] = forms.IntegerField(
                label=_("Places: %(type)s") % {"type": label}, min_value=0, max_value=1000, initial=0
            )

    def places(self) -> dict[str, int]:
        return {
            code: self.cleaned_data[f"places_{code}"]
            for code in PlaceType.values
            if self.cleaned_data.get(f"places_{code}")
        }


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=DeclineReason.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DischargeForm(forms.Form):
    destination = forms.ChoiceField(label=_("Where the person goes"), choices=DischargeDestination.choices)
    outcome = forms.ChoiceField(label=_("Outcome of the stay"), choices=DischargeOutcome.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExtendForm(forms.Form):
    new_end = forms.DateField(label=_("New planned end"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason for the extension"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SearchForm(forms.Form):
    """The vacancy search (GET): nothing personal in the query string, only what kind of place is needed."""

    place_type = forms.ChoiceField(label=_("Place type"), choices=PlaceType.choices, initial=PlaceType.WOMEN)
    origin = settlement_field(required=False)
    region = forms.ModelChoiceField(label=_("Or region"), queryset=Region.objects.all(), required=False)
    children = ChildrenField()
    accessibility = forms.MultipleChoiceField(
        label=_("Accessibility needed"),
        choices=Accessibility.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("any")), *Language.choices], required=False
    )
    types = forms.MultipleChoiceField(
        label=_("Facility types"),
        choices=FacilityType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        initial=[FacilityType.CRISIS_CENTRE, FacilityType.FAMILY_SUPPORT],
    )
    pets = forms.BooleanField(label=_("Comes with a pet"), required=False)
    include_full = forms.BooleanField(
        label=_("Show facilities without enough free places too"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["origin"].label = _("Distance from")


class RequestForm(forms.Form):
    place_type = forms.ChoiceField(choices=PlaceType.choices, widget=forms.HiddenInput)
    children = ChildrenField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note to the facility"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    legal_mandate = forms.CharField(
        label=_("Legal mandate (without consent)"), required=False, max_length=200
    )
    mandate_reason = forms.CharField(
        label=_("Why the mandate applies"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
