"""Working a case: the needs assessment, the safety plan (a new version on each save), goals, services by
qualified specialists, and their sessions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..forms import AssessmentForm, GoalForm, SafetyPlanForm, ServiceForm, SessionForm
from ..models import Case, CaseService, Specialist
from ..queries import current_safety_plan
from ..services import (
    do_add_goal,
    do_assign_service,
    do_record_assessment,
    do_record_safety_plan,
    do_record_session,
)
from .common import CaseActionView, ObjectActionView, case_url

PLAN_FIELDS = (
    "safe_contacts",
    "safe_place",
    "documents_ready",
    "keys_ready",
    "children_plan",
    "code_word",
    "hotline_numbers",
)


class AssessmentView(CaseActionView):
    title = gettext_lazy("Needs assessment")
    intro = gettext_lazy("Record the needs found together with the victim; each need is a type of service.")

    def get_form(self, data: Any = None) -> forms.Form:
        case: Case = self.object
        return AssessmentForm(data, initial={"needs": case.needs, "notes": case.assessment_notes})

    def perform(self, form: Any) -> str:
        do_record_assessment(
            actor=self.request.user,  # type: ignore[arg-type]
            case=self.object,
            needs=form.cleaned_data["needs"],
            notes=form.cleaned_data["notes"],
        )
        return _("The needs assessment is recorded.")


class SafetyPlanView(CaseActionView):
    title = gettext_lazy("Safety plan")
    intro = gettext_lazy(
        "Each save records a new version of the plan; earlier versions are kept. Set the date the plan is "
        "to be reviewed with the victim."
    )
    submit_label = gettext_lazy("Save as a new version")

    def get_form(self, data: Any = None) -> forms.Form:
        current = current_safety_plan(self.object)
        initial = {name: getattr(current, name) for name in PLAN_FIELDS} if current else {}
        return SafetyPlanForm(data, initial=initial)

    def perform(self, form: Any) -> str:
        plan = do_record_safety_plan(actor=self.request.user, case=self.object, **form.cleaned_data)  # type: ignore[arg-type]
        return _("Version %(n)d of the safety plan is recorded.") % {"n": plan.version}


class GoalView(CaseActionView):
    title = gettext_lazy("Add a goal to the case plan")
    submit_label = gettext_lazy("Add the goal")

    def get_form(self, data: Any = None) -> forms.Form:
        return GoalForm(data)

    def perform(self, form: Any) -> str:
        do_add_goal(actor=self.request.user, case=self.object, **form.cleaned_data)  # type: ignore[arg-type]
        return _("The goal is added to the case plan.")


def specialists_for(user: Any, case: Case) -> QuerySet[Specialist]:
    """Active specialists of the case's agency that the user sees (the service checks the qualification)."""
    return (
        Specialist.objects.visible_to(user)
        .filter(agency=case.agency_id, is_active=True)
        .select_related("user")
        .order_by("full_name", "id")
    )


class ServiceView(CaseActionView):
    title = gettext_lazy("Assign a service")
    intro = gettext_lazy(
        "A service is delivered by a specialist whose qualification for its type is valid on the day it "
        "starts."
    )
    submit_label = gettext_lazy("Assign the service")

    def get_form(self, data: Any = None) -> forms.Form:
        return ServiceForm(
            data, case=self.object, specialists=specialists_for(self.request.user, self.object)
        )

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        service = do_assign_service(
            actor=self.request.user,  # type: ignore[arg-type]
            case=self.object,
            type=data["type"],
            specialist=data["specialist"],
            starts_on=data["starts_on"],
            goal=data["goal"],
            child=data["child"],
        )
        return _("The %(type)s service is assigned to %(specialist)s.") % {
            "type": service.get_type_display(),
            "specialist": service.specialist.display_name,
        }

    def context(self, form: forms.Form) -> dict[str, Any]:
        return {**super().context(form), "specialists_url": reverse("cases:specialist_list")}


class SessionView(ObjectActionView):
    """A session of a service: the assigned worker, or the specialist who delivers it (own scope)."""

    title = gettext_lazy("Record a session")
    submit_label = gettext_lazy("Record the session")

    def queryset(self, user: Any) -> QuerySet[CaseService]:
        return CaseService.objects.visible_to(user, "change").select_related("case", "specialist__user")

    def get_form(self, data: Any = None) -> forms.Form:
        return SessionForm(data)

    def perform(self, form: Any) -> str:
        do_record_session(actor=self.request.user, service=self.object, **form.cleaned_data)  # type: ignore[arg-type]
        return _("The session is recorded.")

    def success_url(self) -> str:
        visible = Case.objects.visible_to(self.request.user).filter(pk=self.object.case_id).exists()
        return case_url(self.object.case_id) if visible else reverse("core:home")

    def context(self, form: forms.Form) -> dict[str, Any]:
        return {**super().context(form), "service": self.object}
