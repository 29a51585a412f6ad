"""The auditor's search of the audit log at /audit/.

Only roles with `audit.view` get in (403 otherwise); rows come from `AuditEvent.objects.visible_to(user)`
(national, regions or agency). Every search is itself written to the audit log ("audit.search").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views import View

from .audit import record
from .filters import AuditEventFilter
from .models import AuditEvent
from .permissions import has_action
from .views_base import htmx_partial

PAGE_SIZE = 50
# Suggestions in the search form; the free-text filters accept anything.
MAX_SUGGESTIONS = 200


@dataclass(frozen=True)
class ChangeRow:
    """One line of an event's changes: a field with its old and new value, or a plain key and value."""

    field: str
    old: str
    new: str
    is_change: bool


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value) or "—"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def change_rows(changes: Any) -> list[ChangeRow]:
    """`{"field": {"old": a, "new": b}}` (see audit.diff) as rows; other shapes as key and value."""
    if not isinstance(changes, dict):
        return [ChangeRow("", "", _text(changes), False)] if changes else []
    rows = []
    for key, value in changes.items():
        if isinstance(value, dict) and set(value) <= {"old", "new"} and value:
            rows.append(ChangeRow(str(key), _text(value.get("old")), _text(value.get("new")), True))
        elif isinstance(value, dict):
            rows.extend(ChangeRow(f"{key}.{k}", "", _text(v), False) for k, v in value.items())
        else:
            rows.append(ChangeRow(str(key), "", _text(value), False))
    return rows


# Suggestions come from the newest rows only: a DISTINCT over the whole log on every page load grows with
# the log (millions of rows in a year); recent rows hold every action and object type in current use.
SUGGESTION_SAMPLE = 5000


def suggestions(events: Any, field: str) -> list[str]:
    recent = events.order_by("-time", "-id").values_list(field, flat=True)[:SUGGESTION_SAMPLE]
    return sorted({value for value in recent if value})[:MAX_SUGGESTIONS]


class AuditListView(LoginRequiredMixin, View):
    template_name = "core/audit_list.html"
    permission = "audit.view"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not has_action(request.user, self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        events = AuditEvent.objects.visible_to(request.user)
        filterset = AuditEventFilter(request.GET or None, queryset=events, request=request)
        # An invalid filter (a malformed date) shows its error and no rows, never the unfiltered log.
        valid = not filterset.is_bound or filterset.is_valid()
        results = filterset.qs.select_related("actor_agency") if valid else events.none()
        page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [(event, change_rows(event.changes)) for event in page.object_list]
        record(
            actor=request.user,  # type: ignore[arg-type]
            action="audit.search",
            object_type="core.auditevent",
            changes={"filters": filterset.used_filters(), "page": page.number},
        )
        context = {
            "filter": filterset,
            "form": filterset.form,
            "page_obj": page,
            "rows": rows,
            "is_filtered": bool(filterset.used_filters()),
        }
        if htmx_partial(request):
            return render(request, f"{self.template_name}#results", context)
        context["action_suggestions"] = suggestions(events, "action")
        context["object_type_suggestions"] = suggestions(events.exclude(object_type=""), "object_type")
        return render(request, self.template_name, context)


audit_list = AuditListView.as_view()
