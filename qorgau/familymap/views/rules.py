"""Rule-set pages: the versions, a draft's rules (edited as JSON), its dry run and its publication."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qorgau.core.views_base import require_action

from ..engine.rules import LEVELS, RuleSetError, parse
from ..forms import DraftForm
from ..models import RuleSet, Run, RunKind
from ..services import do_create_draft, do_publish, do_start_dry_run, do_update_draft, published

ACTION = "familymap.rules"


@login_required
@require_http_methods(["GET", "POST"])
def ruleset_list(request: HttpRequest) -> HttpResponse:
    require_action(request, ACTION)
    if request.method == "POST":
        base = published()
        try:
            draft = do_create_draft(
                actor=request.user,
                name=_("Draft based on v%(version)s") % {"version": base.version} if base else _("Draft"),
                based_on=base,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("familymap:ruleset_list")
        return redirect("familymap:ruleset_detail", pk=draft.pk)
    rule_sets = RuleSet.objects.select_related("created_by", "published_by").order_by("-version")
    return render(request, "familymap/ruleset_list.html", {"rule_sets": rule_sets})


def _indicators(rule_set: RuleSet) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    try:
        spec = parse(rule_set.document)
    except RuleSetError:
        return [], {}
    rows = [
        {
            "code": i.code,
            "domain": i.domain,
            "source": i.source,
            "weight": round(i.weight, 4),
            "label": i.label.get((get_language() or "en")[:2]) or i.label.get("en", ""),
            "from": i.effective_from,
            "to": i.effective_to,
        }
        for i in spec.indicators
    ]
    return rows, {
        "k": round(spec.k, 4),
        "thresholds": [(level, round(spec.thresholds[level], 4)) for level in LEVELS[1:]],
        "overrides": [(o.code, ", ".join(o.when_all), o.min_level) for o in spec.overrides],
    }


@login_required
@require_http_methods(["GET", "POST"])
def ruleset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_action(request, ACTION)
    rule_set = get_object_or_404(RuleSet, pk=pk)
    form = DraftForm(
        request.POST or None,
        initial={
            "name": rule_set.name,
            "document": json.dumps(rule_set.document, ensure_ascii=False, indent=1),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            do_update_draft(
                actor=request.user,
                rule_set=rule_set,
                document=form.cleaned_data["document"],
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("document", message)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("familymap:ruleset_detail", pk=rule_set.pk)
    indicators, summary = _indicators(rule_set)
    dry_runs = Run.objects.filter(rule_set=rule_set, kind=RunKind.DRY_RUN).order_by("-number")[:10]
    context = {
        "rule_set": rule_set,
        "form": form,
        "indicators": indicators,
        "summary": summary,
        "dry_runs": dry_runs,
    }
    return render(request, "familymap/ruleset_detail.html", context)


@login_required
@require_POST
def ruleset_dry_run(request: HttpRequest, pk: int) -> HttpResponse:
    require_action(request, ACTION)
    rule_set = get_object_or_404(RuleSet, pk=pk)
    try:
        run = do_start_dry_run(actor=request.user, rule_set=rule_set)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("familymap:ruleset_detail", pk=rule_set.pk)
    return redirect("familymap:run_detail", pk=run.pk)


@login_required
@require_POST
def ruleset_publish(request: HttpRequest, pk: int) -> HttpResponse:
    require_action(request, ACTION)
    rule_set = get_object_or_404(RuleSet, pk=pk)
    try:
        do_publish(actor=request.user, rule_set=rule_set)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Published: the next refresh uses these rules."))
    return redirect("familymap:ruleset_detail", pk=rule_set.pk)
