"""Page forms of the risk app: they parse input; the services decide (and their errors land on fields)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qorgau.core.models import Agency, District, User, work_regions
from qorgau.people.models import Person

from .models import AnswerValue, Assessment, Conference, ConferenceReferral


class StartForm(forms.Form):
    victim: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Victim"), queryset=Person.objects.none(), empty_label=None
    )
    with_victim = forms.BooleanField(
        label=_("The assessment is done with the victim"), required=False, initial=True
    )

    def __init__(self, *args: Any, victims: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["victim"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = victims
        field.label_from_instance = lambda obj: str(obj.full_name)  # type: ignore[method-assign]


class AssessmentForm(forms.Form):
    """One radio group per item (yes / no / don't know), then professional judgement."""

    judgement_band = forms.ChoiceField(label=_("Professional judgement: raise the level to"), required=False)
    judgement_reason = forms.CharField(
        label=_("Reason for the professional judgement"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, assessment: Assessment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        self.items = list(assessment.version.items.all())
        answered = {answer.item_id: answer.value for answer in assessment.answers.all()}
        questions: dict[str, forms.Field] = {}
        for item in self.items:
            questions[self.key(item.pk)] = forms.ChoiceField(
                label=f"{item.position}. {item.text}",
                choices=AnswerValue.choices,
                required=False,
                widget=forms.RadioSelect,
                help_text=item.help,
                initial=answered.get(item.pk),
            )
        self.fields = {**questions, **self.fields}
        band = self.fields["judgement_band"]
        assert isinstance(band, forms.ChoiceField)
        band.choices = [("", _("no change")), *((b.code, b.label) for b in assessment.version.band_list())]
        self.fields["judgement_band"].initial = assessment.judgement_band
        self.fields["judgement_reason"].initial = assessment.judgement_reason

    @staticmethod
    def key(item_id: int) -> str:
        return f"item_{item_id}"

    def question_fields(self) -> list[Any]:
        return [self[self.key(item.pk)] for item in self.items]

    def answers(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data.get(self.key(item.pk)) or "" for item in self.items}


class ConferenceForm(forms.Form):
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none())
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    legal_mandate = forms.CharField(
        label=_("Legal mandate for sharing information"),
        max_length=300,
        help_text=_("The law or order under which the agencies share information at the conference."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["district"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = District.objects.filter(region__in=work_regions(user)).select_related("region")


class RecordForm(forms.Form):
    agencies_present = forms.ModelMultipleChoiceField(
        label=_("Agencies present"), queryset=Agency.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    information_shared = forms.CharField(
        label=_("Information shared under the conference's mandate"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self, *args: Any, conference: Conference, referrals: list[ConferenceReferral], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        field = self.fields["agencies_present"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Agency.objects.filter(region=conference.region_id).order_by("name")
        for referral in referrals:
            self.fields[f"discussion_{referral.pk}"] = forms.CharField(
                label=_("Summary for %(code)s") % {"code": referral.code},
                required=False,
                max_length=20000,
                initial=referral.discussion,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.referrals = referrals

    def discussions(self) -> dict[int, str]:
        return {r.pk: self.cleaned_data.get(f"discussion_{r.pk}") or "" for r in self.referrals}


class ActionForm(forms.Form):
    referral = forms.ModelChoiceField(
        label=_("Victim on the agenda"), queryset=ConferenceReferral.objects.none()
    )
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    owner = forms.ModelChoiceField(
        label=_("Owner at the agency"), queryset=User.objects.none(), required=False
    )
    description = forms.CharField(
        label=_("Action"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_date = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(
        self, *args: Any, conference: Conference, referrals: list[ConferenceReferral], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        referral = self.fields["referral"]
        assert isinstance(referral, forms.ModelChoiceField)
        referral.queryset = conference.referrals.all()
        if len(referrals) == 1:
            referral.initial = referrals[0].pk  # one victim on the agenda: nothing to choose
        referral.label_from_instance = lambda obj: f"{obj.code} · {obj.subject_label}"  # type: ignore[method-assign]
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = Agency.objects.filter(region=conference.region_id).order_by("name")
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = User.objects.filter(agency__region=conference.region_id, is_active=True).order_by(
            "last_name", "first_name"
        )
        owner.label_from_instance = lambda obj: str(obj.get_full_name() or obj.username)  # type: ignore[method-assign]


class CompleteActionForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
