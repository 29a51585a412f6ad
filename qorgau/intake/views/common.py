"""What the intake views share: permission gates, service errors into forms, quiet re-renders."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from qorgau.core.permissions import has_action

# A service's field name -> the form's, where they differ.
FIELD_ALIASES = {"forms": "violence_forms", "number": "order_number", "victims_protected": "victims"}


def apply_errors(form: BaseForm, exc: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """A service's ValidationError on the form: on its field when the form has it, else on top."""
    aliases = {**FIELD_ALIASES, **(aliases or {})}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        name = aliases.get(field, field)
        form.add_error(name if name in form.fields else None, errors)


def quiet(form: BaseForm) -> BaseForm:
    """Keep what was typed but show no errors: the form is re-rendered for a search or a pick, not saved."""
    form._errors = ErrorDict()  # type: ignore[attr-defined]
    return form


def require_action(request: HttpRequest, action: str) -> None:
    """403 when the user's role lacks `action` (scope is checked by visible_to: out of scope is 404)."""
    if not has_action(request.user, action):
        raise PermissionDenied


class RequireActionMixin(LoginRequiredMixin):
    required_action = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            require_action(request, self.required_action)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[return-value]


def redirect_back(request: HttpRequest, default: str) -> HttpResponse:
    """Back to `next` when it is a page of this site, else to `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(default)


def htmx_redirect(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect that htmx follows as a full page load (a 302 would be swapped into the fragment)."""
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)
