"""Forms of the case pages. They parse and offer honest choices; the services validate again and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.filters import DateInput
from qorgau.core.models import Agency, User

from .models import (
    Case,
    CaseChild,
    CaseGoal,
    CaseOutcome,
    ReferralPurpose,
    ServiceType,
    Specialist,
)


def text_area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def user_label(user: User) -> str:
    return user.get_full_name() or user.get_username()


class NeedsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("choices", ServiceType.choices)
        super().__init__(**kwargs)


class OpenFromSignalForm(forms.Form):
    """Whose case: one of the signal's victims (the service checks it again)."""

    victim = forms.TypedChoiceField(label=_("Victim"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args: Any, victims: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["victim"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [
            (p.pk, f"{p.full_name}{f' ({p.birth_date.year})' if p.birth_date else ''}") for p in victims
        ]
        if len(victims) == 1:
            field.initial = victims[0].pk


class AssessmentForm(forms.Form):
    needs = NeedsField(label=_("Needs found with the victim"))
    notes = forms.CharField(label=_("Assessment notes"), required=False, widget=text_area(4))


class SafetyPlanForm(forms.Form):
    safe_contacts = forms.CharField(
        label=_("Safe contacts"),
        required=False,
        widget=text_area(2),
        help_text=_("People the victim can call or go to, with how to reach them."),
    )
    safe_place = forms.CharField(
        label=_("Safe place to go"),
        required=False,
        widget=text_area(2),
        help_text=_("At least a safe contact or a safe place is required."),
    )
    documents_ready = forms.BooleanField(
        label=_("Documents ready (identity card, birth certificates)"), required=False
    )
    keys_ready = forms.BooleanField(label=_("Spare keys ready"), required=False)
    children_plan = forms.CharField(label=_("Plan for the children"), required=False, widget=text_area(2))
    code_word = forms.CharField(
        label=_("Code word"),
        required=False,
        max_length=100,
        help_text=_("A word that tells trusted people to call for help."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    hotline_numbers = forms.CharField(
        label=_("Hotline numbers"),
        required=False,
        widget=text_area(2),
        help_text=_("For example 150 (children and family hotline), 102 (police)."),
    )
    review_due = forms.DateField(label=_("Review due"), widget=DateInput())


class GoalForm(forms.Form):
    description = forms.CharField(label=_("Goal"), widget=text_area(2), max_length=2000)
    due_on = forms.DateField(label=_("Due"), required=False, widget=DateInput())


class ServiceForm(forms.Form):
    type = forms.ChoiceField(label=_("Service type"), choices=[("", "—"), *ServiceType.choices])
    specialist = forms.ModelChoiceField(label=_("Specialist"), queryset=Specialist.objects.none())
    starts_on = forms.DateField(label=_("Starts"), widget=DateInput())
    goal = forms.ModelChoiceField(
        label=_("For the goal"), queryset=CaseGoal.objects.none(), required=False, empty_label=_("none")
    )
    child = forms.ModelChoiceField(
        label=_("For the child"),
        queryset=CaseChild.objects.none(),
        required=False,
        empty_label=_("the victim"),
    )

    def __init__(self, *args: Any, case: Case, specialists: QuerySet[Specialist], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"starts_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.field("specialist").queryset = specialists
        self.field("goal").queryset = CaseGoal.objects.filter(case=case).order_by("id")
        goal_field = self.field("goal")
        goal_field.label_from_instance = lambda goal: goal.description[:80]  # type: ignore[method-assign, assignment]
        child_field = self.field("child")
        child_field.queryset = CaseChild.objects.filter(case=case).select_related("person").order_by("id")
        child_field.label_from_instance = lambda child: child.person.full_name  # type: ignore[method-assign, assignment]

    def field(self, name: str) -> forms.ModelChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        return field


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=1,
        max_value=24 * 60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    outcome = forms.CharField(label=_("Outcome"), widget=text_area(3), max_length=4000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ChildNeedsForm(forms.Form):
    needs = NeedsField(label=_("The child's needs"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=text_area(2))


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *CaseOutcome.choices])
    reason = forms.CharField(label=_("Reason for closing"), widget=text_area(3), max_length=4000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=text_area(3), max_length=4000)

    def __init__(self, *args: Any, label: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label


class CompleteForm(forms.Form):
    note = forms.CharField(label=_("What was done"), required=False, widget=text_area(2), max_length=4000)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Case worker"), queryset=User.objects.none())

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        users = User.objects.filter(is_active=True, agency=case.agency_id).select_related("role")
        field.queryset = User.objects.filter(
            pk__in=[user.pk for user in users if user.can("cases.change")]
        ).order_by("last_name", "first_name", "username")
        field.label_from_instance = user_label  # type: ignore[method-assign, assignment]


def receiving_agencies(case: Case) -> QuerySet[Agency]:
    """Agencies a case can be referred or handed over to: active, regional, not its owner."""
    return (
        Agency.objects.filter(is_active=True, region__isnull=False)
        .exclude(pk=case.agency_id)
        .select_related("region")
        .order_by("region__code", "name")
    )


class ReferralForm(forms.Form):
    to_agency = forms.ModelChoiceField(label=_("Refer to"), queryset=Agency.objects.none())
    purpose = forms.ModelChoiceField(label=_("Purpose"), queryset=ReferralPurpose.objects.none())
    note = forms.CharField(label=_("What is asked"), required=False, widget=text_area(2), max_length=4000)
    legal_mandate = forms.CharField(
        label=_("Legal mandate"),
        required=False,
        max_length=200,
        help_text=_(
            "Only when the person's consent is not needed by law: name the article. Without a mandate a "
            "referral that discloses who the victim is needs the person's consent in force."
        ),
    )
    mandate_reason = forms.CharField(
        label=_("Reason for relying on the mandate"), required=False, widget=text_area(2), max_length=4000
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["to_agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = receiving_agencies(case)
        purpose = self.fields["purpose"]
        assert isinstance(purpose, forms.ModelChoiceField)
        purpose.queryset = ReferralPurpose.objects.filter(is_active=True).order_by("code")


class TransferForm(forms.Form):
    to_agency = forms.ModelChoiceField(label=_("Hand over to"), queryset=Agency.objects.none())
    reason = forms.CharField(label=_("Reason for the transfer"), widget=text_area(3), max_length=4000)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = receiving_agencies(case)


class SpecialistForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("User of your agency"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("none: a specialist without an account"),
    )
    full_name = forms.CharField(
        label=_("Full name"),
        required=False,
        max_length=200,
        help_text=_("For a specialist without a Qorgau account; leave empty when you choose a user."),
    )

    def __init__(self, *args: Any, agency_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(
            is_active=True, agency=agency_id, specialist__isnull=True
        ).order_by("last_name", "first_name", "username")
        field.label_from_instance = user_label  # type: ignore[method-assign, assignment]


class SpecialistChangeForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        required=False,
        max_length=200,
        help_text=_("Required for a specialist without a Qorgau account."),
    )
    is_active = forms.BooleanField(
        label=_("Works with cases"),
        required=False,
        help_text=_("An inactive specialist is assigned no new service; their past services stay."),
    )


class QualificationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Service type"), choices=[("", "—"), *ServiceType.choices])
    document_number = forms.CharField(label=_("Document number"), max_length=64)
    issuer = forms.CharField(label=_("Issued by"), max_length=200)
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DateInput())
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput())
