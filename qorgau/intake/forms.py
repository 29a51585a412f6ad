"""Forms of the intake pages. They parse and validate what the user typed; the services decide and write.

Persons are chosen by their primary key from `Person.objects.visible_to(user)`, so a tampered form can
never name a person outside the user's scope. IINs and names are only ever sent by POST.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.models import Agency, AgencyType, District, Region, User, work_regions
from qorgau.people.forms import IINField
from qorgau.people.models import Person, Sex

from .models import (
    Channel,
    CheckResult,
    ChildInvolvement,
    OffenderRelationship,
    Outcome,
    OutcomeKind,
    Signal,
    ViolenceForm,
)
from .queries import signal_offenders
from .services.outcomes import KIND_FIELDS, REQUIRED_FIELDS
from .services.signals import IDEMPOTENCY_KEY_MAX

FIELD_ORDER = ["article", "part", "case_number", "referred_agency", "reason", "details"]

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


def moment_field(label: Any, **kwargs: Any) -> forms.DateTimeField:
    """A date and time in the UI's time zone (Asia/Almaty), typed in the browser's date-time picker."""
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=DateTimeLocalInput(),
        **kwargs,
    )


def now_local() -> dt.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


def follow_region(form: forms.Form, regions: QuerySet[Region]) -> None:
    """Region choices from `regions`; the district list follows the chosen region (htmx swaps its
    options; without JavaScript the service rejects a district of another region)."""
    region_field, district_field = form.fields["region"], form.fields["district"]
    assert isinstance(region_field, forms.ModelChoiceField)
    assert isinstance(district_field, forms.ModelChoiceField)
    region_field.queryset = regions
    region_id = form.data.get("region") if form.is_bound else form.initial.get("region")
    if region_id and str(region_id).isdigit():
        district_field.queryset = District.objects.filter(region=region_id)
    region_field.widget.attrs.update(
        {
            "hx-get": reverse("intake:district_options"),
            "hx-target": "#id_district",
            "hx-swap": "innerHTML",
            "hx-trigger": "change",
        }
    )


class PersonChoiceField(forms.ModelMultipleChoiceField):
    """Persons chosen earlier in the form, carried as hidden inputs (their ids, never a name or IIN)."""

    widget = forms.MultipleHiddenInput


class SignalForm(forms.Form):
    """The duty officer's fast registration form. Persons are picked with the search below it."""

    channel = forms.ChoiceField(label=_("Channel"), choices=[("", "—"), *Channel.choices])
    received_at = moment_field(_("Received"))
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all())
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none(), required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    anonymous_reporter = forms.BooleanField(label=_("The reporter is anonymous"), required=False)
    # Required here and not only in the service, so that one save reports every missing field at once.
    violence_forms = forms.MultipleChoiceField(
        label=_("Forms of violence"),
        choices=ViolenceForm.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one form of violence.")},
    )
    children_present = forms.BooleanField(label=_("Children present or affected"), required=False)
    weapon = forms.BooleanField(label=_("Weapon used or threatened"), required=False)
    injuries = forms.BooleanField(label=_("Injuries"), required=False)
    alcohol_or_drugs = forms.BooleanField(label=_("Alcohol or drugs"), required=False)
    account = forms.CharField(
        label=_("Account of what happened"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    victims = PersonChoiceField(
        label=_("Victims"),
        queryset=Person.objects.none(),
        error_messages={"required": _("Name at least one victim.")},
    )
    offenders = PersonChoiceField(
        label=_("Alleged offenders"), queryset=Person.objects.none(), required=False
    )
    children = PersonChoiceField(label=_("Children"), queryset=Person.objects.none(), required=False)
    reporter = forms.ModelChoiceField(
        label=_("Reporter"), queryset=Person.objects.none(), required=False, widget=forms.HiddenInput
    )
    idempotency_key = forms.CharField(max_length=IDEMPOTENCY_KEY_MAX, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        persons = Person.objects.visible_to(user)
        for name in ("victims", "offenders", "children", "reporter"):
            self.fields[name].queryset = persons  # type: ignore[attr-defined]
        # Signals are registered where the user works; the service refuses any other region.
        follow_region(self, work_regions(user))
        if not self.is_bound:
            # Only on the first load: a re-rendered form (search, pick, create) keeps the user's focus.
            self.fields["channel"].widget.attrs["autofocus"] = True
        self.add_party_fields(persons)

    def add_party_fields(self, persons: QuerySet[Person]) -> None:
        """One relationship per chosen offender-victim pair, and what each chosen child went through.

        A POST that names no pair but the single `relationship` of the old form takes it for every pair.
        """
        victims, offenders = self.person_ids("victims"), self.person_ids("offenders")
        children = self.person_ids("children")
        names = {p.pk: p.short_name for p in persons.filter(pk__in=[*victims, *offenders, *children])}
        self.pairs: list[tuple[str, int, int]] = []
        self.child_fields: list[tuple[str, int]] = []
        fallback = self.data.get("relationship", "") if self.is_bound else ""
        data: dict[str, Any] | None = None
        if fallback:
            data = self.data.copy()  # type: ignore[attr-defined]
            self.data = data
        for offender in (o for o in offenders if o in names):
            for victim in (v for v in victims if v in names and v != offender):
                name = pair_field(offender, victim)
                labels = {"offender": names[offender], "victim": names[victim]}
                self.fields[name] = forms.ChoiceField(
                    label=_("What %(offender)s is to %(victim)s") % labels,
                    choices=[("", "—"), *OffenderRelationship.choices],
                    error_messages={"required": _("Say what %(offender)s is to %(victim)s.") % labels},
                )
                if data is not None and not data.get(name):
                    data[name] = fallback
                self.pairs.append((name, offender, victim))
        for child in (c for c in children if c in names):
            name = f"involvement_{child}"
            self.fields[name] = forms.ChoiceField(
                label=_("What %(child)s went through") % {"child": names[child]},
                choices=[("", "—"), *ChildInvolvement.choices],
                error_messages={
                    "required": _("Say whether %(child)s witnessed the violence or was affected.")
                    % {"child": names[child]}
                },
            )
            self.child_fields.append((name, child))

    def clean(self) -> dict[str, Any]:
        """The service's rules on the parties, checked with the fields so that one save shows them all."""
        data = super().clean() or {}
        offenders = data.get("offenders")
        if offenders and {p.pk for p in data.get("victims") or ()} & {p.pk for p in offenders}:
            self.add_error(
                "offenders", _("A person cannot be both victim and alleged offender in one signal.")
            )
        chosen = {p.pk for p in [*(data.get("victims") or ()), *(offenders or ())]}
        if {p.pk for p in data.get("children") or ()} & chosen:
            self.add_error(
                "children",
                _(
                    "A child is named once, as a child: not also as a victim or an alleged offender of the "
                    "signal."
                ),
            )
        if data.get("reporter") and data.get("anonymous_reporter"):
            self.add_error("reporter", _("An anonymous report has no named reporter."))
        return data

    def relationship_pairs(self) -> list[tuple[int, int, str]]:
        """(offender id, victim id, relationship) of every pair, after is_valid()."""
        return [(o, v, self.cleaned_data.get(name, "")) for name, o, v in self.pairs]

    def child_involvements(self) -> dict[int, str]:
        """{child id: what the child went through}, after is_valid()."""
        return {child: self.cleaned_data.get(name, "") for name, child in self.child_fields}

    def person_ids(self, name: str) -> list[int]:
        """The ids of the persons chosen in `name` as the browser sent them (valid or not yet)."""
        if self.is_bound:
            values = self.data.getlist(name) if hasattr(self.data, "getlist") else self.data.get(name, [])
        else:
            values = self.initial.get(name) or []
        if isinstance(values, str | int):
            values = [values]
        return [int(v) for v in values if str(v).isdigit()]


def pair_field(offender: int, victim: int) -> str:
    return f"relationship_{offender}_{victim}"


class PersonFindForm(forms.Form):
    """Find a person before creating one: by IIN (exact) or name. Sent by POST only."""

    iin = IINField()
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=200,
        # Where focus goes after a pick, a create or a removal took away the button that was pressed.
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "data-focus-fallback": ""}
        ),
        help_text=_("Any spelling, Cyrillic or Latin."),
    )

    def has_criteria(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return bool(data.get("iin") or (data.get("name") or "").strip())


class NewPersonForm(forms.Form):
    """A person created inline from the registration form (people.services.do_create_person)."""

    surname = forms.CharField(label=_("Surname"), max_length=100)
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    iin = IINField(help_text=_("If the IIN is known, the existing record is used instead of a new one."))
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    confirm_new = forms.BooleanField(
        label=_("This is someone else: create a new record"),
        required=False,
        help_text=_("Only after checking the persons already registered with this name and birth date."),
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Inspector"), queryset=User.objects.none(), required=False, empty_label=_("nobody")
    )

    def __init__(self, *args: Any, signal: Signal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = inspectors_for(signal)
        field.label_from_instance = lambda user: user.get_full_name() or user.get_username()  # type: ignore[method-assign, assignment]


def inspectors_for(signal: Signal) -> QuerySet[User]:
    """Active staff of the signal's agency whose role works signals (the service re-checks the region)."""
    users = User.objects.filter(is_active=True, agency=signal.agency_id).select_related("role")
    ids = [user.pk for user in users if user.can("intake.change")]
    return User.objects.filter(pk__in=ids).order_by("last_name", "first_name", "username")


class TransferForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region it goes to"), queryset=Region.objects.none())
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none(), required=False)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the incident happened in that region. The receiving police see it."),
    )

    def __init__(self, *args: Any, signal: Signal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        follow_region(self, Region.objects.exclude(pk=signal.region_id))


class FirstContactForm(forms.Form):
    contacted_at = moment_field(_("First contact with the victim"))


class VictimDeclinedForm(forms.Form):
    declined_at = moment_field(_("Declined on"))
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The signal stays open and still needs its legal outcome."),
    )


class OffenderForm(forms.Form):
    """Base of the forms that name one alleged offender of the signal."""

    offender = forms.ModelChoiceField(label=_("Alleged offender"), queryset=Person.objects.none())

    def __init__(self, *args: Any, signal: Signal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["offender"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = signal_offenders(signal)
        field.label_from_instance = lambda person: person.full_name  # type: ignore[method-assign, assignment]
        if field.queryset.count() == 1:
            field.initial = field.queryset.first()


class ReconciliationForm(OffenderForm):
    note = forms.CharField(
        label=_("Note on the request"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


# The fields each measure shows: what the service keeps of it, and for a new protective order the order's
# own fields. Which are required, and every other rule, is the service's (services/outcomes.py).
ORDER_FIELDS = ("offender", "served_at", "order_number")
OUTCOME_FIELDS: dict[str, tuple[str, ...]] = {
    kind: (
        *(ORDER_FIELDS if kind == OutcomeKind.PROTECTIVE_ORDER else ()),
        *sorted(fields, key=FIELD_ORDER.index),
    )
    for kind, fields in KIND_FIELDS.items()
}
MEASURE_REQUIRED: dict[str, tuple[str, ...]] = {
    **REQUIRED_FIELDS,
    OutcomeKind.PROTECTIVE_ORDER: ("offender", "served_at"),
}


def mark_required(field: forms.Field) -> None:
    """Mark a field required for the user without checking it here: the service checks it and says why."""
    field.required = True
    field.validate = lambda value: None  # type: ignore[method-assign]


class OutcomeForm(forms.Form):
    """A legal measure; only the fields of the chosen kind are in the form (chosen first, or by htmx).

    It parses what was typed; `flows.record_measure` and the services decide (errors come back on the
    fields). With current measures on the signal, `corrects` offers one of them to correct.
    """

    kind = forms.ChoiceField(label=_("Measure"), choices=[("", "—"), *OutcomeKind.choices])
    decided_at = moment_field(_("Decided"), required=False)
    article = forms.CharField(
        label=_("Article"),
        max_length=20,
        required=False,
        help_text=_("For example 73 (Code of Administrative Offences) or 108-1."),
    )
    part = forms.CharField(label=_("Part"), max_length=10, required=False)
    case_number = forms.CharField(label=_("Case or protocol number"), max_length=40, required=False)
    offender = forms.ModelChoiceField(
        label=_("Order against"), queryset=Person.objects.none(), required=False
    )
    served_at = moment_field(_("Order served"), required=False)
    order_number = forms.CharField(label=_("Order number"), max_length=40, required=False)
    referred_agency = forms.ModelChoiceField(
        label=_("Agency referred to or court"), queryset=Agency.objects.none(), required=False
    )
    reason = forms.CharField(
        label=_("Reason no offence was found"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    details = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    corrects = forms.ModelChoiceField(
        label=_("Correct an earlier measure"),
        queryset=Outcome.objects.none(),
        required=False,
        empty_label=_("no: a new measure"),
        help_text=_("A second decisive outcome corrects the current one; the earlier version is kept."),
    )
    correction_reason = forms.CharField(
        label=_("Reason for correcting the earlier measure"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, signal: Signal, kind: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.signal = signal
        self.chosen_kind = kind if kind in OUTCOME_FIELDS else ""
        keep = {"kind", "decided_at", *OUTCOME_FIELDS.get(self.chosen_kind, ())}
        current = Outcome.objects.filter(signal=signal, superseded_at__isnull=True).order_by(
            "-recorded_at", "-id"
        )
        if current.exists():
            keep |= {"corrects", "correction_reason"}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        for name in MEASURE_REQUIRED.get(self.chosen_kind, ()):
            mark_required(self.fields[name])
        if "corrects" in self.fields:
            corrects = self.fields["corrects"]
            assert isinstance(corrects, forms.ModelChoiceField)
            corrects.queryset = current
            corrects.label_from_instance = lambda m: (  # type: ignore[method-assign, assignment]
                f"{m.get_kind_display()}, {timezone.localtime(m.decided_at):%Y-%m-%d %H:%M}"
            )
        if "offender" in self.fields:
            offender = self.fields["offender"]
            assert isinstance(offender, forms.ModelChoiceField)
            offender.queryset = signal_offenders(signal)
            offender.label_from_instance = lambda person: person.full_name  # type: ignore[method-assign, assignment]
            if offender.queryset.count() == 1:
                offender.initial = offender.queryset.first()
        if "referred_agency" in self.fields:
            agency = self.fields["referred_agency"]
            assert isinstance(agency, forms.ModelChoiceField)
            agencies = Agency.objects.filter(is_active=True).exclude(pk=signal.agency_id)
            if self.chosen_kind == OutcomeKind.SPECIAL_REQUIREMENTS:
                agencies = agencies.filter(type=AgencyType.COURT)
                agency.label = _("Court")
            agency.queryset = agencies.order_by("name")
        if self.chosen_kind == OutcomeKind.ADMIN_PROTOCOL:
            self.fields["article"].initial = "73"
            self.fields["part"].help_text = _("Required for article 73.")
        if self.chosen_kind == OutcomeKind.CRIMINAL_CASE:
            self.fields["case_number"].label = _("Criminal case number")
        if self.chosen_kind == OutcomeKind.SPECIAL_REQUIREMENTS:
            self.fields["details"].label = _("Special requirements requested")

    def clean_kind(self) -> str:
        kind = self.cleaned_data["kind"]
        if self.chosen_kind and kind != self.chosen_kind:
            raise ValidationError(_("The outcome changed; check the fields below and save again."))
        return str(kind)


class ComplianceCheckForm(forms.Form):
    done_at = moment_field(_("Checked"))
    result = forms.ChoiceField(label=_("Result"), choices=[("", "—"), *CheckResult.choices])
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Required unless the order was complied with. A breach is also reported as a new signal."
        ),
    )


class BreachForm(forms.Form):
    received_at = moment_field(_("Received"))
    channel = forms.ChoiceField(label=_("Channel"), choices=[("", "—"), *Channel.choices])
    violence_forms = forms.MultipleChoiceField(
        label=_("Forms of violence"),
        choices=ViolenceForm.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    children_present = forms.BooleanField(label=_("Children present or affected"), required=False)
    weapon = forms.BooleanField(label=_("Weapon used or threatened"), required=False)
    injuries = forms.BooleanField(label=_("Injuries"), required=False)
    alcohol_or_drugs = forms.BooleanField(label=_("Alcohol or drugs"), required=False)
    account = forms.CharField(
        label=_("Account of the breach"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    idempotency_key = forms.CharField(max_length=IDEMPOTENCY_KEY_MAX, widget=forms.HiddenInput)
