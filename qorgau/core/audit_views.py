"""The auditor's search of the audit log at /audit/.

Only roles with `audit.view` get in (403 otherwise); rows come from `AuditEvent.objects.visible_to(user)`
(national, regions or agency). Every search is itself written to the audit log ("audit.search"). How the
events read (field labels, names of related rows, links to the objects the auditor may open) is in
audit_display.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views import View

from .audit import record
from .audit_display import change_rows, event_rows, vocabulary
from .filters import AuditEventFilter
from .models import AuditEvent
from .permissions import has_action
from .views_base import htmx_partial

PAGE_SIZE = 50
# Suggestions in the search form; the free-text filters accept anything.
MAX_SUGGESTIONS = 200


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
        rows = event_rows(request.user, list(page.object_list))
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
        context["action_suggestions"] = vocabulary("action", MAX_SUGGESTIONS)
        context["object_type_suggestions"] = vocabulary("object_type", MAX_SUGGESTIONS)
        return render(request, self.template_name, context)


audit_list = AuditListView.as_view()
__all__ = ["audit_list", "change_rows"]
