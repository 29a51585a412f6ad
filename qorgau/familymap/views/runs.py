"""The pipeline's pages: the runs, one run's progress per stage (polled while it is under way) with its
aggregates in the user's scope, and a dry run's answer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qorgau.core.views_base import htmx_partial, require_action

from ..models import Run, RunKind, RunStatus
from ..queries import run_aggregates, run_changes
from ..services import current_refresh, do_resume_run, do_start_refresh

RUN_ACTION = "familymap.run"
RULES_ACTION = "familymap.rules"


def _errors(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


@login_required
@require_http_methods(["GET", "POST"])
def run_list(request: HttpRequest) -> HttpResponse:
    require_action(request, RUN_ACTION)
    if request.method == "POST":
        try:
            run = do_start_refresh(actor=request.user)
        except ValidationError as error:
            messages.error(request, _errors(error))
            return redirect("familymap:run_list")
        messages.success(request, _("Refresh queued."))
        return redirect("familymap:run_detail", pk=run.pk)
    runs = Run.objects.select_related("rule_set", "started_by").order_by("-number")[:50]
    context = {
        "runs": runs,
        "current": current_refresh(),
        "under_way": Run.objects.filter(active=True).first(),
    }
    return render(request, "familymap/run_list.html", context)


def _visible_run(request: HttpRequest, pk: int) -> Run:
    run = get_object_or_404(Run.objects.select_related("rule_set", "started_by", "linked_from"), pk=pk)
    needed = RUN_ACTION if run.kind == RunKind.REFRESH else RULES_ACTION
    require_action(request, needed)
    return run


@login_required
@require_http_methods(["GET"])
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _visible_run(request, pk)
    context = {
        "run": run,
        "stages": run.stage_rows(),
        "under_way": run.status in (RunStatus.QUEUED, RunStatus.RUNNING),
        "is_dry_run": run.kind == RunKind.DRY_RUN,
    }
    if htmx_partial(request):
        return render(request, "familymap/run_detail.html#progress", context)
    if run.status == RunStatus.DONE:
        context["aggregates"] = run_aggregates(request.user, run)
        if run.kind == RunKind.DRY_RUN:
            context["changes"] = run_changes(request.user, run)
    return render(request, "familymap/run_detail.html", context)


@login_required
@require_POST
def run_resume(request: HttpRequest, pk: int) -> HttpResponse:
    run = _visible_run(request, pk)
    try:
        do_resume_run(actor=request.user, run=run)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("The run resumes at the stage that failed."))
    return redirect("familymap:run_detail", pk=run.pk)
