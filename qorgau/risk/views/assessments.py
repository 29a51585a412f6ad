"""Assessment pages: the list, starting one for a signal's victim or a case's victim, the questions (save a
draft, complete), the result with its level and each conference criterion with its reason."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from qorgau.cases.models import Case
from qorgau.core.audit import record
from qorgau.core.views_base import (
    RequireActionMixin,
    ScopedDetailView,
    ScopedListView,
    apply_errors,
    get_visible_or_404,
)
from qorgau.intake.models import Signal
from qorgau.intake.queries import signal_victims
from qorgau.people.models import Person

from ..forms import AssessmentForm, StartForm
from ..models import Assessment
from ..queries import assessment_list, conference_history
from ..services import do_save_assessment, do_start_assessment
from ..services.criteria import describe


class AssessmentListView(ScopedListView):
    model = Assessment
    template_name = "risk/assessment_list.html"
    context_object_name = "assessments"

    def get_queryset(self) -> QuerySet[Any]:
        return assessment_list(self.request.user).order_by("-started_at", "-id")


class StartView(RequireActionMixin, View):
    """Start an assessment: choose the victim (of a signal) and say whether it is done with her."""

    required_action = "risk.assess"
    subject = "signal"

    def subject_and_victims(self, request: HttpRequest, pk: int) -> tuple[Any, QuerySet[Person]]:
        if self.subject == "signal":
            signal = get_visible_or_404(Signal.objects.visible_to(request.user), request.user, pk=pk)
            return signal, signal_victims(request.user, signal)
        case = get_visible_or_404(Case.objects.visible_to(request.user, grants=False), request.user, pk=pk)
        return case, Person.objects.filter(pk=case.victim_id)

    def render(self, request: HttpRequest, subject: Any, form: StartForm) -> HttpResponse:
        return render(
            request, "risk/assessment_start.html", {"subject": subject, "form": form, "kind": self.subject}
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        subject, victims = self.subject_and_victims(request, pk)
        return self.render(request, subject, StartForm(victims=victims))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        subject, victims = self.subject_and_victims(request, pk)
        form = StartForm(request.POST, victims=victims)
        if form.is_valid():
            try:
                assessment = do_start_assessment(
                    actor=request.user,
                    victim=form.cleaned_data["victim"],
                    with_victim=form.cleaned_data["with_victim"],
                    **{self.subject: subject},
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("risk:assessment_edit", pk=assessment.pk)
        return self.render(request, subject, form)


class CaseStartView(StartView):
    subject = "case"


class AssessmentEditView(RequireActionMixin, View):
    """The questions, one per row; "Save the draft" keeps what is answered, "Complete" computes the result."""

    required_action = "risk.assess"

    def get_assessment(self, request: HttpRequest, pk: int) -> Assessment:
        queryset = Assessment.objects.visible_to(request.user, "assess", grants=False).select_related(
            "version", "victim", "signal", "case"
        )
        return get_visible_or_404(queryset, request.user, pk=pk)

    def render(self, request: HttpRequest, assessment: Assessment, form: AssessmentForm) -> HttpResponse:
        return render(request, "risk/assessment_form.html", {"assessment": assessment, "form": form})

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        assessment = self.get_assessment(request, pk)
        if assessment.is_completed:
            return redirect("risk:assessment_detail", pk=assessment.pk)
        record(actor=request.user, action="assessment.view", obj=assessment)  # type: ignore[arg-type]
        return self.render(request, assessment, AssessmentForm(assessment=assessment))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        assessment = self.get_assessment(request, pk)
        form = AssessmentForm(request.POST, assessment=assessment)
        complete = request.POST.get("action") == "complete"
        if form.is_valid():
            try:
                saved = do_save_assessment(
                    actor=request.user,
                    assessment=assessment,
                    answers=form.answers(),
                    judgement_band=form.cleaned_data["judgement_band"],
                    judgement_reason=form.cleaned_data["judgement_reason"],
                    complete=complete,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                if complete:
                    messages.success(request, _("The assessment is completed."))
                    return redirect("risk:assessment_detail", pk=saved.pk)
                messages.success(request, _("The draft is saved; you can finish it later."))
                return redirect("risk:assessment_edit", pk=saved.pk)
        return self.render(request, assessment, form)


class AssessmentDetailView(ScopedDetailView):
    model = Assessment
    template_name = "risk/assessment_detail.html"
    context_object_name = "assessment"

    def get_queryset(self) -> QuerySet[Any]:
        return (
            super()
            .get_queryset()
            .select_related(
                "version", "version__instrument", "victim", "signal", "case", "assessed_by", "referral"
            )
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        assessment: Assessment = self.object
        answers = {a.item_id: a for a in assessment.answers.all()}
        context.update(
            rows=[(item, answers.get(item.pk)) for item in assessment.version.items.all()],
            criteria=[(c, *describe(c, assessment.version)) for c in assessment.criteria],
            history=conference_history(self.request.user, victim=assessment.victim),
            can_continue=not assessment.is_completed
            and Assessment.objects.visible_to(self.request.user, "assess", grants=False)
            .filter(pk=assessment.pk)
            .exists(),
        )
        return context
