"""Forms of the people pages (persons, families, consent). They parse and validate; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from qorgau.core.models import Agency, Region, work_regions

from .iin import normalize_iin, validate_iin
from .lookups import find_likely_duplicates
from .models import ConsentPurpose, ConsentRule, Family, Person, Relationship
from .services import PERSON_FIELDS

IIN_ATTRS = {
    "inputmode": "numeric",
    "autocomplete": "off",
    "maxlength": "14",
    "spellcheck": "false",
    "pattern": r"[0-9 ]*",
}


class IINField(forms.CharField):
    """12 digits (spaces allowed while typing); validated with the check digit."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("IIN"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("validators", [validate_iin])
        kwargs.setdefault("widget", forms.TextInput(attrs=IIN_ATTRS))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return normalize_iin(super().to_python(value))


class BootstrapMixin:
    """Bootstrap classes on every widget, so that templates render fields with `as_field_group`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class WorkRegionMixin:
    """The region field offers the regions where the user works (and the record's own on edit); the
    service refuses any other, so this only keeps the choices honest."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("region")  # type: ignore[attr-defined]
        if user is not None and field is not None:
            regions = work_regions(user)
            current = getattr(self.instance, "region_id", None)  # type: ignore[attr-defined]
            if current:
                regions = regions | Region.objects.filter(pk=current)
            field.queryset = regions.distinct()


class PersonForm(WorkRegionMixin, BootstrapMixin, forms.ModelForm):
    """Create and edit a person. On edit the IIN is never shown: a blank IIN keeps the stored one."""

    iin = IINField(help_text=_("12 digits. Birth date and sex are taken from it when left blank."))
    # Shown (as a checkbox) only once likely duplicates were found: see clean().
    confirm_new = forms.BooleanField(
        label=_("None of these is the person: register a new person"),
        required=False,
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Person
        fields = list(PERSON_FIELDS)
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }

    def __init__(
        self, *args: Any, user: Any = None, warn_duplicates: bool | None = None, **kwargs: Any
    ) -> None:
        """`warn_duplicates` (default: when registering) stops a person without an IIN whose name and
        birth date match persons the user sees, until the user confirms (`confirm_new`); `duplicates`
        then lists them for the template."""
        super().__init__(*args, user=user, **kwargs)
        self.user = user
        self.warn_duplicates = (not self.instance.pk) if warn_duplicates is None else warn_duplicates
        self.duplicates: list[Person] = []
        if not self.warn_duplicates:
            del self.fields["confirm_new"]
        if self.instance.pk and self.instance.has_iin:
            self.fields["iin"].help_text = _("Stored: %(masked)s. Leave blank to keep it.") % {
                "masked": self.instance.iin_masked
            }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        confirmed = cleaned.pop("confirm_new", False)  # not a person field: the services never see it
        if not self.warn_duplicates or self.user is None or self.errors or cleaned.get("iin") or confirmed:
            return cleaned
        self.duplicates = find_likely_duplicates(
            self.user,
            surname=cleaned.get("surname", ""),
            given_name=cleaned.get("given_name", ""),
            birth_date=cleaned.get("birth_date"),
        )
        if self.duplicates:
            self.fields["confirm_new"].widget = forms.CheckboxInput(attrs={"class": "form-check-input"})
            raise forms.ValidationError(
                _(
                    "Persons with this name and birth date are already registered. Open the record if it "
                    "is the same person, or confirm below that this is someone else."
                ),
                code="likely_duplicate",
            )
        return cleaned

    def _post_clean(self) -> None:
        # The service validates and writes; the model's own validation would also check editable=False
        # fields the form does not carry.
        pass


class PersonSearchForm(BootstrapMixin, forms.Form):
    """Sent by POST: an IIN or a name must not end up in a URL or an access log."""

    iin = IINField()
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=200,
        help_text=_("Any spelling, Cyrillic or Latin."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    birth_year = forms.IntegerField(
        label=_("Birth year"),
        required=False,
        min_value=1900,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year = self.fields["birth_year"]
        assert isinstance(year, forms.IntegerField)
        year.max_value = timezone.localdate().year
        year.validators.append(MaxValueValidator(year.max_value))
        year.widget.attrs["max"] = str(year.max_value)

    def has_criteria(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(k) for k in ("iin", "name", "birth_year"))


class FamilyForm(WorkRegionMixin, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Family
        fields = ["region", "district", "address"]

    def _post_clean(self) -> None:
        pass


class FamilyMemberForm(BootstrapMixin, forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    relationship = forms.ChoiceField(label=_("Relationship to the head"), choices=Relationship.choices)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    receiving_agency = forms.ModelChoiceField(
        label=_("Receiving agency"),
        queryset=Agency.objects.filter(is_active=True),
        help_text=_("The only agency this consent lets the data go to."),
    )
    granted_at = forms.DateTimeField(
        label=_("Consent given on"),
        widget=DateTimeLocalInput(),
        help_text=_("When the person signed the written consent."),
    )
    expires_at = forms.DateTimeField(
        label=_("Consent expires on"),
        widget=DateTimeLocalInput(),
        # Lazy as a whole: `%` on a lazy string would translate it once, at import, in the default language.
        help_text=lazy(
            lambda: (
                _("Required. At most %(days)d days after the consent was given.")
                % {"days": ConsentRule.effective(timezone.now()).max_days}
            ),
            str,
        )(),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: limits the person set, such as which information may be shared."),
    )


class WithdrawConsentForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the withdrawal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In the person's words, as far as possible."),
    )
