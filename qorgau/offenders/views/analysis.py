"""The analyst's page: re-offending after programmes and treatment, the attrition funnel and the court
decisions on compulsory treatment not carried out, all aggregates of the user's scope."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from qorgau.core.views_base import require_action

from ..queries import funnel, reoffending, unexecuted_decisions
from ..workflow import REASONS

GROUPS = {
    "programme_completed": _("programme completed"),
    "programme_dropped_out": _("dropped out of a programme"),
    "treatment_completed": _("treatment completed"),
    "treatment_left_early": _("left treatment early"),
    "treatment_transferred": _("treatment: transferred"),
    "not_referred": _("comparison: never referred"),
}


@login_required
@require_safe
def reoffending_view(request: HttpRequest) -> HttpResponse:
    require_action(request, "offenders.analyse")
    user: Any = request.user
    groups = reoffending(user)
    for group in groups:
        group.label = GROUPS.get(group.group, group.group)
    decisions = unexecuted_decisions(user)
    for row in decisions:
        row["reason_label"] = REASONS.get(row["wait_reason"], row["wait_reason"] or "-")
    return render(
        request,
        "offenders/reoffending.html",
        {
            "groups": groups,
            "funnel": funnel(user),
            "decisions": decisions,
            "unexecuted_total": sum(r["count"] for r in decisions),
        },
    )
