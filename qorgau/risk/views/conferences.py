"""Risk conference pages: waiting referrals, conferences (schedule, agenda, record), actions (assign,
the agency's and the overdue lists, completion)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from qorgau.core.permissions import has_action
from qorgau.core.views_base import (
    RequireActionMixin,
    ScopedDetailView,
    ScopedListView,
    apply_errors,
    get_visible_or_404,
    require_action,
)

from ..forms import ActionForm, CompleteActionForm, ConferenceForm, RecordForm
from ..models import Conference, ConferenceAction, ConferenceReferral
from ..queries import actions_for_my_agency, agenda, conference_list, overdue_by_agency, referrals_waiting
from ..services import (
    do_add_action,
    do_build_agenda,
    do_complete_action,
    do_record_meeting,
    do_schedule_conference,
)
from ..services.conferences import waiting_for


class ReferralListView(ScopedListView):
    model = ConferenceReferral
    template_name = "risk/referral_list.html"
    context_object_name = "referrals"

    def get_queryset(self) -> QuerySet[Any]:
        return referrals_waiting(self.request.user)


class ConferenceListView(ScopedListView):
    model = Conference
    template_name = "risk/conference_list.html"
    context_object_name = "conferences"

    def get_queryset(self) -> QuerySet[Any]:
        return conference_list(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_schedule"] = has_action(self.request.user, "risk.conference")
        return context


class ConferenceCreateView(RequireActionMixin, View):
    required_action = "risk.conference"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "risk/conference_form.html", {"form": ConferenceForm(user=request.user)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ConferenceForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                conference = do_schedule_conference(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("risk:conference_detail", pk=conference.pk)
        return render(request, "risk/conference_form.html", {"form": form})


class ConferenceDetailView(ScopedDetailView):
    model = Conference
    template_name = "risk/conference_detail.html"
    context_object_name = "conference"

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("region", "district", "chair", "agency")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        conference: Conference = self.object
        chair = Conference.objects.visible_to(self.request.user, "conference", grants=False).filter(
            pk=conference.pk
        )
        context.update(
            agenda=agenda(conference),
            present=list(conference.agencies_present.order_by("name")),
            can_chair=chair.exists(),
            waiting=waiting_for(conference).count() if not conference.is_held else 0,
        )
        return context


def _conference(request: HttpRequest, pk: int) -> Conference:
    queryset = Conference.objects.visible_to(request.user, "conference", grants=False)
    return get_visible_or_404(queryset.select_related("region", "district"), request.user, pk=pk)


@login_required
@require_POST
def build_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    require_action(request, "risk.conference")
    conference = _conference(request, pk)
    try:
        listed = do_build_agenda(actor=request.user, conference=conference)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(count)s referrals listed on the agenda.") % {"count": len(listed)})
    return redirect("risk:conference_detail", pk=conference.pk)


class RecordView(RequireActionMixin, View):
    required_action = "risk.conference"

    def form(self, request: HttpRequest, conference: Conference, data: Any = None) -> RecordForm:
        initial = {
            "agencies_present": list(conference.agencies_present.all()),
            "information_shared": conference.information_shared,
        }
        return RecordForm(data, conference=conference, referrals=agenda(conference), initial=initial)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        conference = _conference(request, pk)
        form = self.form(request, conference)
        return render(request, "risk/conference_record.html", {"conference": conference, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        conference = _conference(request, pk)
        form = self.form(request, conference, request.POST)
        if form.is_valid():
            try:
                do_record_meeting(
                    actor=request.user,
                    conference=conference,
                    agencies_present=form.cleaned_data["agencies_present"],
                    information_shared=form.cleaned_data["information_shared"],
                    discussions=form.discussions(),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The meeting record is kept."))
                return redirect("risk:conference_detail", pk=conference.pk)
        return render(request, "risk/conference_record.html", {"conference": conference, "form": form})


class ActionCreateView(RequireActionMixin, View):
    required_action = "risk.conference"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        conference = _conference(request, pk)
        form = ActionForm(conference=conference, referrals=agenda(conference))
        return render(request, "risk/action_form.html", {"conference": conference, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        conference = _conference(request, pk)
        form = ActionForm(request.POST, conference=conference, referrals=agenda(conference))
        if form.is_valid():
            try:
                do_add_action(actor=request.user, conference=conference, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The action is assigned."))
                return redirect("risk:conference_detail", pk=conference.pk)
        return render(request, "risk/action_form.html", {"conference": conference, "form": form})


class ActionListView(ScopedListView):
    """The actions assigned to my agency; for chairs, the overdue actions by agency."""

    model = ConferenceAction
    template_name = "risk/action_list.html"
    context_object_name = "actions"

    def get_queryset(self) -> QuerySet[Any]:
        return actions_for_my_agency(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if has_action(self.request.user, "risk.conference"):
            context["overdue"] = overdue_by_agency(self.request.user)
        return context


class ActionCompleteView(RequireActionMixin, View):
    required_action = "risk.act"

    def get_action(self, request: HttpRequest, pk: int) -> ConferenceAction:
        queryset = ConferenceAction.objects.visible_to(request.user, "act").select_related(
            "conference", "conference__district", "agency", "owner", "referral"
        )
        return get_visible_or_404(queryset, request.user, pk=pk)

    def render(
        self, request: HttpRequest, action: ConferenceAction, form: CompleteActionForm
    ) -> HttpResponse:
        return render(request, "risk/action_complete.html", {"action": action, "form": form})

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render(request, self.get_action(request, pk), CompleteActionForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = self.get_action(request, pk)
        form = CompleteActionForm(request.POST)
        if form.is_valid():
            try:
                do_complete_action(actor=request.user, action=action, note=form.cleaned_data["note"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The action is recorded as done."))
                return redirect("risk:action_list")
        return self.render(request, action, form)
