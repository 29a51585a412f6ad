"""The base API viewset: every queryset starts from visible_to(user, action); out of scope answers 404.

The role's action for the HTTP method is required (403 otherwise); writes go through services, which
re-check visibility inside their transaction. A NUL character anywhere in the input, or an empty query
parameter, answers 400 (validation.py).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import Http404
from rest_framework import permissions, viewsets
from rest_framework.request import Request
from rest_framework.views import APIView

from qorgau.core.audit import record
from qorgau.core.permissions import has_action
from qorgau.core.views_base import audit_denied

from .validation import reject_malformed_input


def action_for(request: Request, view: Any) -> str:
    """The domain action a request needs: the viewset's `action_map_override` for its custom actions,
    else view for safe methods, add for POST and change for the rest."""
    override = getattr(view, "action_map_override", {}).get(getattr(view, "action", None))
    if override:
        return str(override)
    if request.method in permissions.SAFE_METHODS:
        return "view"
    return "add" if request.method == "POST" else "change"


class HasDomainAction(permissions.BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        domain = view.queryset_model.scope.domain  # type: ignore[attr-defined]
        return has_action(request.user, f"{domain}.{action_for(request, view)}")


class ScopedViewSet(viewsets.GenericViewSet):
    """Set `queryset_model`; `get_queryset` applies the caller's scope. Detail reads are audited."""

    queryset_model: type[models.Model]
    permission_classes = [permissions.IsAuthenticated, HasDomainAction]
    audit_read = True

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # After authentication and permissions, so an anonymous caller learns nothing from it; not for a
        # method the view lacks, which answers 405 right after this.
        if hasattr(self, (request.method or "").lower()):
            reject_malformed_input(request)

    def get_queryset(self) -> models.QuerySet[Any]:
        action = action_for(self.request, self)
        return self.queryset_model.objects.visible_to(self.request.user, action)  # type: ignore[attr-defined]

    def get_object(self) -> Any:
        try:
            obj = super().get_object()
        except Http404:
            lookup = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
            if lookup is not None and str(lookup).isdigit():
                audit_denied(self.request.user, self.queryset_model, {self.lookup_field: lookup})
            raise
        if self.audit_read and self.request.method in permissions.SAFE_METHODS:
            record(actor=self.request.user, action=f"{obj._meta.model_name}.view", obj=obj)  # type: ignore[arg-type]
        return obj
