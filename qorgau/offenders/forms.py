"""Page forms of the offender track. They parse types and offer choices; the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qorgau.core.filters import DateInput
from qorgau.core.models import Agency, AgencyType
from qorgau.intake.models import ViolenceForm

from . import workflow
from .models import (
    OUTCOMES,
    Achievement,
    Attendance,
    Dependence,
    DropoutReason,
    OffenderInstrument,
    Programme,
    ReferralBasis,
    RequirementKind,
    TreatmentReferral,
    TreatmentStep,
)
from .models.rules import RuleMissing


def _area(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class _OffenderChoice(forms.Form):
    offender = forms.TypedChoiceField(label=_("Alleged offender"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args: Any, parties: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: forms.TypedChoiceField = self.fields["offender"]  # type: ignore[assignment]
        field.choices = [(p.person_id, p.person.short_name) for p in parties]
        if len(parties) == 1:
            field.initial = parties[0].person_id


class TreatmentStartForm(_OffenderChoice):
    dependence = forms.ChoiceField(
        label=_("Dependence"), choices=Dependence.choices, widget=forms.RadioSelect
    )
    grounds = forms.CharField(
        label=_("Grounds"),
        max_length=2000,
        widget=_area(3),
        help_text=_("What shows the dependence: repeated signals under the influence, earlier measures."),
    )
    documents = forms.MultipleChoiceField(
        label=_("Documents your agency holds"),
        required=False,
        choices=[(c, workflow.DOCUMENTS[c]) for c in ("signal_report", "prior_measures")],
        widget=forms.CheckboxSelectMultiple,
    )


class StepForm(forms.Form):
    """The next step of a referral: only the moves its current step allows, with their reasons and the
    documents checklist of the agency that records it."""

    to = forms.ChoiceField(label=_("Next step"), widget=forms.RadioSelect)
    reason = forms.ChoiceField(label=_("Reason"), required=False)
    documents = forms.MultipleChoiceField(
        label=_("Documents your agency holds"), required=False, widget=forms.CheckboxSelectMultiple
    )
    health_agency = forms.ModelChoiceField(
        label=_("Health facility that examines"), required=False, queryset=Agency.objects.none()
    )
    facility = forms.ModelChoiceField(
        label=_("Drug treatment facility"), required=False, queryset=Agency.objects.none()
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=_area(2))

    def __init__(
        self, *args: Any, referral: TreatmentReferral, facilities: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        moves = workflow.moves_from(referral.status)
        targets = {m.to: m for m in moves}
        self.fields["to"].choices = [(to, TreatmentStep(to).label) for to in targets]  # type: ignore[attr-defined]
        reasons = sorted({r for m in moves for rs in m.reasons.values() for r in rs})
        self.fields["reason"].choices = [("", "-")] + [(r, workflow.REASONS[r]) for r in reasons]  # type: ignore[attr-defined]
        docs = sorted({d for m in moves for d in m.documents})
        self.fields["documents"].choices = [(d, workflow.DOCUMENTS[d]) for d in docs]  # type: ignore[attr-defined]
        if referral.status == TreatmentStep.GROUNDS:
            self.fields["health_agency"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
                type=AgencyType.HEALTH, region_id=referral.region_id
            ).order_by("name")
        else:
            del self.fields["health_agency"]
        if referral.status == TreatmentStep.APPLICATION and facilities is not None:
            self.fields["facility"].queryset = facilities  # type: ignore[attr-defined]
        else:
            del self.fields["facility"]
        if not reasons:
            del self.fields["reason"]
        if not docs:
            del self.fields["documents"]


class ProgrammeReferForm(_OffenderChoice):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    basis = forms.ChoiceField(label=_("Basis"), choices=ReferralBasis.choices)
    legal_basis = forms.CharField(label=_("Legal basis"), required=False, max_length=300)

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]


class AssessForm(forms.Form):
    items = forms.MultipleChoiceField(
        label=_("Risk items present"), required=False, widget=forms.CheckboxSelectMultiple
    )
    suitable = forms.TypedChoiceField(
        label=_("Suitability decision"),
        choices=[("yes", _("suitable for the programme")), ("no", _("not suitable"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.utils import timezone

        try:
            items = OffenderInstrument.effective(timezone.now()).items
        except RuleMissing:
            items = []
        self.fields["items"].choices = [(i, i.replace("_", " ")) for i in items]  # type: ignore[attr-defined]


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    attendance = forms.ChoiceField(
        label=_("Attendance"), choices=Attendance.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=_area(2))


class EndForm(forms.Form):
    completed = forms.TypedChoiceField(
        label=_("End"),
        choices=[("yes", _("completed")), ("no", _("dropped out"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    dropout_reason = forms.ChoiceField(
        label=_("Reason for dropping out"), required=False, choices=[("", "-"), *DropoutReason.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in OUTCOMES.items():
            self.fields[f"outcome_{code}"] = forms.ChoiceField(
                label=label, required=False, choices=[("", "-"), *Achievement.choices]
            )

    def outcomes(self) -> dict[str, str]:
        return {
            code: self.cleaned_data[f"outcome_{code}"]
            for code in OUTCOMES
            if self.cleaned_data.get(f"outcome_{code}")
        }


class RequirementForm(_OffenderChoice):
    kinds = forms.MultipleChoiceField(
        label=_("Requirements"), choices=RequirementKind.choices, widget=forms.CheckboxSelectMultiple
    )
    months = forms.IntegerField(label=_("Duration (months)"), min_value=1, max_value=36)
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    court_reference = forms.CharField(label=_("Court decision number"), max_length=64)


class RequirementCheckForm(forms.Form):
    checked_on = forms.DateField(label=_("Checked on"), widget=DateInput())
    complied = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("yes", _("the requirements were kept")), ("no", _("a requirement was breached"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    violence_forms = forms.MultipleChoiceField(
        label=_("Forms of violence in the breach"),
        required=False,
        choices=ViolenceForm.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A breach is registered as a new signal with the victims of the original one."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=_area(2))


class PartnerAnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Answer"),
        choices=[("made", _("partner contacted")), ("declined", _("partner declined"))],
        widget=forms.RadioSelect,
    )
