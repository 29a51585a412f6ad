"""Base views that apply the permission engine once, for every domain (NetBox-style).

- `ScopedListView`: the user's role must grant `<domain>.<action>` or the list answers 403; rows come
  from `Model.objects.visible_to(user, action)`.
- `ScopedDetailView`: the object is looked up inside `visible_to`, so an out-of-scope object answers 404
  (the same as one that does not exist); `audit_read = True` writes a read event for personal data.
- `htmx_partial(request)`: True when htmx asks for a fragment of the page.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponseBase
from django.views.generic import DetailView, ListView

from .audit import record
from .permissions import has_action


def htmx_partial(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true"


class ScopedMixin(LoginRequiredMixin):
    model: type[models.Model]
    action = "view"
    request: HttpRequest

    @property
    def permission(self) -> str:
        return f"{self.model.scope.domain}.{self.action}"  # type: ignore[attr-defined]

    def get_queryset(self) -> models.QuerySet[Any]:
        return self.model.objects.visible_to(self.request.user, self.action)  # type: ignore[attr-defined]


class ScopedListView(ScopedMixin, ListView):  # type: ignore[misc]
    paginate_by = 50

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not has_action(request.user, self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScopedDetailView(ScopedMixin, DetailView):
    audit_read = True

    def get_object(self, queryset: models.QuerySet[Any] | None = None) -> models.Model:
        obj = super().get_object(queryset)
        if self.audit_read:
            record(actor=self.request.user, action=f"{obj._meta.model_name}.view", obj=obj)  # type: ignore[arg-type]
        return obj
