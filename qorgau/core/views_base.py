"""Base views that apply the permission engine once, for every domain (NetBox-style).

- `ScopedListView`: the user's role must grant `<domain>.<action>` or the list answers 403; rows come
  from `Model.objects.visible_to(user, action)`.
- `ScopedDetailView`: 403 without the role's action; the object is looked up inside `visible_to`, so an
  out-of-scope object answers 404 (the same as one that does not exist); `audit_read = True` writes a
  read event for personal data.
- `get_visible_or_404(queryset, user, pk=...)`: the same lookup for views of their own; a 404 for a record
  that exists outside the user's scope is audited as `<model>.denied` for the record's owner.
- `RequireActionMixin` / `require_action(request, action)`: 403 without the role's action, for views of
  their own (scope is still checked by visible_to, out of scope is 404).
- `apply_errors(form, exc)`: a service's ValidationError on the form's fields.
- `htmx_partial(request)`: True when htmx asks for a fragment of the page.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponseBase
from django.views.generic import DetailView, ListView

from .audit import record
from .permissions import has_action


def audit_denied(user: Any, model: type[models.Model], lookup: dict[str, Any]) -> None:
    """Record a refused read of a record that exists outside the user's scope (the answer stays 404).

    The row names the record's owner, so that its auditor sees who tried to reach it; a lookup of a record
    that does not exist writes nothing (nothing to protect, and no row per typo).
    """
    if not getattr(user, "is_authenticated", False) or not lookup:
        return
    target = model._default_manager.filter(**lookup).first()
    if target is not None:
        record(
            actor=user,
            action=f"{model._meta.model_name}.denied",
            object_type=model._meta.label_lower,
            object_id=target.pk,
            subject=target,
        )


def get_visible_or_404[M: models.Model](queryset: models.QuerySet[M], user: Any, **lookup: Any) -> M:
    """`queryset.get(**lookup)` (a queryset from visible_to), or 404, auditing a refused existing record."""
    try:
        return queryset.get(**lookup)
    except ObjectDoesNotExist:
        audit_denied(user, queryset.model, lookup)
        raise Http404 from None


def require_action(request: HttpRequest, action: str) -> None:
    """403 when the user's role lacks `action` (scope is checked by visible_to: out of scope is 404)."""
    if not has_action(request.user, action):
        raise PermissionDenied


class RequireActionMixin(LoginRequiredMixin):
    required_action = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            require_action(request, self.required_action)
        return super().dispatch(request, *args, **kwargs)


def apply_errors(form: BaseForm, exc: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """A service's ValidationError on the form: on its field (or the field `aliases` names for it) when
    the form has it, else on top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        name = (aliases or {}).get(field, field)
        form.add_error(name if name in form.fields else None, errors)


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

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Without the role's action 403, as on lists (out of scope with it stays 404).
        if request.user.is_authenticated and not has_action(request.user, self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset: models.QuerySet[Any] | None = None) -> models.Model:
        try:
            obj = super().get_object(queryset)
        except Http404:
            audit_denied(self.request.user, self.model, {"pk": self.kwargs.get(self.pk_url_kwarg)})
            raise
        if self.audit_read:
            record(actor=self.request.user, action=f"{obj._meta.model_name}.view", obj=obj)  # type: ignore[arg-type]
        return obj
