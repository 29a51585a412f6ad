"""What the intake views share: permission gates, service errors into forms, quiet re-renders."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from qorgau.core.views_base import RequireActionMixin, require_action
from qorgau.core.views_base import apply_errors as base_apply_errors

# A service's field name -> the form's, where they differ.
FIELD_ALIASES = {"forms": "violence_forms", "number": "order_number", "victims_protected": "victims"}


def apply_errors(form: BaseForm, exc: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """core.views_base.apply_errors with intake's field names (a service's `forms` is the form's
    `violence_forms`)."""
    base_apply_errors(form, exc, {**FIELD_ALIASES, **(aliases or {})})


def quiet(form: BaseForm) -> BaseForm:
    """Keep what was typed but show no errors: the form is re-rendered for a search or a pick, not saved."""
    form._errors = ErrorDict()  # type: ignore[attr-defined]
    return form


__all__ = ["RequireActionMixin", "apply_errors", "htmx_redirect", "quiet", "redirect_back", "require_action"]


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
