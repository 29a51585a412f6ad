"""The register of prevention activities (staff): list, record, correct, and the evaluation page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from qorgau.core.audit import record
from qorgau.core.pagination import IdFirstPaginator
from qorgau.core.permissions import has_action
from qorgau.core.views_base import ScopedListView, apply_errors, get_visible_or_404, require_action

from ..filters import ActivityFilter
from ..forms import ActivityForm
from ..models import Activity
from ..queries import activities, chart, evaluate
from ..services import do_change_activity, do_record_activity


class ActivityList(ScopedListView):
    model = Activity
    template_name = "portal/prevention/activity_list.html"
    context_object_name = "activities"
    paginator_class = IdFirstPaginator

    def get_queryset(self) -> Any:
        self.filter_form = ActivityFilter(self.request.GET or None, user=self.request.user)
        user: Any = self.request.user
        return self.filter_form.apply(activities(user))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filter_form
        rows: Any = self.object_list
        context["totals"] = rows.order_by().values("reach_unit").annotate(total=Sum("reach"))
        context["may_add"] = has_action(self.request.user, "portal.add")
        return context


activity_list = ActivityList.as_view()


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    require_action(request, "portal.add")
    form = ActivityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            activity = do_record_activity(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Activity %(code)s recorded.") % {"code": activity.code})
            return redirect("portal:activity_detail", pk=activity.pk)
    return render(request, "portal/prevention/activity_form.html", {"form": form, "activity": None})


@login_required
@require_safe
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_action(request, "portal.view")
    user: Any = request.user
    activity = get_visible_or_404(activities(user), request.user, pk=pk)
    record(actor=user, action="activity.view", obj=activity)
    context = {"activity": activity, "may_change": has_action(request.user, "portal.change")}
    return render(request, "portal/prevention/activity_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_action(request, "portal.change")
    user: Any = request.user
    activity = get_visible_or_404(activities(user, "change"), request.user, pk=pk)
    form = ActivityForm(request.POST or None, user=request.user, instance=activity)
    if request.method == "POST" and form.is_valid():
        try:
            do_change_activity(actor=request.user, activity=activity, **form.cleaned_data)  # type: ignore[arg-type]
        except PermissionDenied:
            raise
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Activity %(code)s saved.") % {"code": activity.code})
            return redirect("portal:activity_detail", pk=activity.pk)
    return render(request, "portal/prevention/activity_form.html", {"form": form, "activity": activity})


@login_required
@require_safe
def activity_evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    require_action(request, "portal.view")
    user: Any = request.user
    activity = get_visible_or_404(activities(user), request.user, pk=pk)
    evaluation = evaluate(user, activity)
    record(actor=user, action="activity.evaluate", obj=activity)
    context = {"activity": activity, "e": evaluation, "chart": chart(evaluation)}
    return render(request, "portal/prevention/evaluation.html", context)
