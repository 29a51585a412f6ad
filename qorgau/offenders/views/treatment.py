"""Referral to compulsory treatment: the inspector starts it from a signal's page; the one-window page of a
referral shows each step, who acts next and by when, the documents checklist and the history with the
time spent in each step; each agency records its own step there."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qorgau.core.permissions import has_action
from qorgau.core.views_base import ScopedDetailView, ScopedListView
from qorgau.facilities.queries import drug_treatment_vacancies
from qorgau.intake.models import Signal

from .. import workflow
from ..forms import StepForm, TreatmentStartForm
from ..models import TreatmentReferral, TreatmentStep
from ..queries import (
    drug_treatment_facilities,
    offender_reoffending,
    signal_offenders,
    treatment_detail,
    treatment_referrals,
)
from ..services import do_advance_treatment, do_start_treatment_referral
from .common import ObjectActionView


def treatment_url(referral: TreatmentReferral) -> str:
    return reverse("offenders:treatment_detail", args=[referral.pk])


class TreatmentListView(ScopedListView):
    model = TreatmentReferral
    template_name = "offenders/treatment_list.html"
    context_object_name = "referrals"

    def get_queryset(self) -> QuerySet[Any]:
        rows = treatment_referrals(self.request.user).order_by("-started_at", "-id")
        query = self.request.GET
        if query.get("owed") == "mine":
            rows = rows.filter(owed_agency_id=self.request.user.agency_id)  # type: ignore[union-attr]
        if query.get("overdue") == "true":
            rows = rows.filter(step_due__lt=timezone.now()).exclude(status__in=workflow.TERMINAL)
        status = query.get("status")
        if status in TreatmentStep.values:
            rows = rows.filter(status=status)
        return rows

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(steps=TreatmentStep.choices, chosen=self.request.GET.get("status", ""))
        return context


class TreatmentDetailView(ScopedDetailView):
    model = TreatmentReferral
    template_name = "offenders/treatment_detail.html"
    context_object_name = "referral"

    def get_queryset(self) -> QuerySet[Any]:
        return treatment_detail(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        referral: TreatmentReferral = self.object
        user = self.request.user
        moves = workflow.moves_from(referral.status)
        may_act = (
            referral.owed_agency_id is not None
            and referral.owed_agency_id == getattr(user, "agency_id", None)
            and any(has_action(user, m.action) for m in moves)
        )
        form = None
        if may_act:
            form = StepForm(referral=referral, facilities=_facility_agencies(referral))
        steps = list(referral.steps.all())
        for step in steps:
            step.reason_label = workflow.REASONS.get(step.reason, step.reason)  # type: ignore[attr-defined]
        context.update(
            form=form,
            steps=steps,
            order=[
                (code, label, code == referral.status)
                for code, label in TreatmentStep.choices
                if code != TreatmentStep.CLOSED
            ],
            checklist=[
                (workflow.DOCUMENTS[d], TreatmentStep(m.to).label) for m in moves for d in m.documents
            ],
            sees_signal=Signal.objects.visible_to(user, "view").filter(pk=referral.signal_id).exists(),
            result_label=workflow.REASONS.get(referral.result, referral.result),
            **_beds(user, referral),
            wait_label=workflow.REASONS.get(referral.wait_reason, referral.wait_reason),
        )
        if referral.ended_at is not None:
            context["reoffending"] = offender_reoffending(
                user, referral.offender_id, referral.started_at, referral.ended_at
            )
        return context


def _beds(user: Any, referral: TreatmentReferral) -> dict[str, Any]:
    """The region's drug treatment places while the court or a bed is awaited, and the decisions waiting
    (counted in the user's own scope, as every aggregate shown to a user)."""
    if referral.status not in (TreatmentStep.APPLICATION, *workflow.UNEXECUTED):
        return {"vacancies": []}
    waiting = TreatmentReferral.objects.visible_to(user, grants=False).filter(
        region_id=referral.region_id, status__in=workflow.UNEXECUTED
    )
    return {"vacancies": drug_treatment_vacancies(referral.region_id), "waiting_in_scope": waiting.count()}


def _facility_agencies(referral: TreatmentReferral) -> Any:
    from qorgau.core.models import Agency

    ids = drug_treatment_facilities(referral.region_id).values("agency_id")
    return Agency.objects.filter(pk__in=ids).order_by("name")


class TreatmentStartView(ObjectActionView):
    """From a signal's page: start the referral for one of its alleged offenders."""

    required_action = "offenders.refer"
    title = gettext_lazy("Start a referral to compulsory treatment")
    intro = gettext_lazy(
        "One procedure instead of paper rounds: record the grounds; the examination, the court, the bed and "
        "the admission follow on this referral's page, each with its deadline and the agency that owes it."
    )
    submit_label = gettext_lazy("Start the referral")

    def queryset(self, user: Any) -> QuerySet[Signal]:
        return Signal.objects.visible_to(user, "view")

    def get_form(self, data: Any = None) -> forms.Form:
        return TreatmentStartForm(data, parties=signal_offenders(self.object))

    def perform(self, form: Any) -> tuple[str, str]:
        offender = next(
            p.person for p in signal_offenders(self.object) if p.person_id == form.cleaned_data["offender"]
        )
        referral = do_start_treatment_referral(
            actor=self.actor,
            signal=self.object,
            offender=offender,
            dependence=form.cleaned_data["dependence"],
            grounds=form.cleaned_data["grounds"],
            documents=form.cleaned_data["documents"],
        )
        return _("Referral %(code)s started.") % {"code": referral.code}, treatment_url(referral)

    def cancel_url(self) -> str:
        return reverse("intake:signal_detail", args=[self.object.pk])


class TreatmentStepView(ObjectActionView):
    """Record the next step; the form is the one on the referral's page (shown again with its errors)."""

    required_action = "offenders.view"
    title = gettext_lazy("Record the next step")
    submit_label = gettext_lazy("Record the step")

    def queryset(self, user: Any) -> QuerySet[TreatmentReferral]:
        return TreatmentReferral.objects.visible_to(user, "view", grants=False)

    def get_form(self, data: Any = None) -> forms.Form:
        return StepForm(data, referral=self.object, facilities=_facility_agencies(self.object))

    def perform(self, form: Any) -> tuple[str, str]:
        data = form.cleaned_data
        facility_agency = data.get("facility")
        facility = getattr(facility_agency, "facility", None) if facility_agency else None
        referral = do_advance_treatment(
            actor=self.actor,
            referral=self.object,
            to=data["to"],
            reason=data.get("reason") or "",
            documents=data.get("documents") or [],
            note=data.get("note") or "",
            health_agency=data.get("health_agency"),
            facility=facility,
        )
        return _("Step recorded: %(step)s.") % {"step": referral.get_status_display()}, treatment_url(
            referral
        )

    def cancel_url(self) -> str:
        return treatment_url(self.object)
