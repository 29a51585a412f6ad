"""What the case pages share: one base for every page that changes something about a case.

Each page gates on the role's action (403), looks its object up inside `visible_to(user, action)` (404 out
of scope; a refused existing record is audited as `<model>.denied`), then calls one service. A service's
ValidationError comes back into the form with everything typed kept; its PermissionDenied after the
page's own lookup means the object is out of reach for this operation: 404, as the lookup would.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views import View

from qorgau.core.views_base import apply_errors, get_visible_or_404, require_action

from ..models import Case

# A service's field name -> the form's, where they differ.
FIELD_ALIASES = {"victim": "person"}


def case_url(case: Case | int) -> str:
    return reverse("cases:case_detail", args=[case if isinstance(case, int) else case.pk])


class ObjectActionView(LoginRequiredMixin, View):
    """GET shows the form, POST calls `perform`; errors come back into the form, success to `success_url`.

    `required_action` is the role's action (403 without it); `queryset(user)` is where the object is looked
    up (it must start from `visible_to`); `object` is set before GET and POST run.
    """

    required_action = "cases.change"
    title: Any = ""
    intro: Any = ""
    submit_label: Any = gettext_lazy("Save")
    submit_class = "btn-primary"
    template_name = "cases/case_action.html"
    object: Any

    def queryset(self, user: Any) -> models.QuerySet[Any]:
        raise NotImplementedError

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            require_action(request, self.required_action)
            self.object = get_visible_or_404(self.queryset(request.user), request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    @property
    def case(self) -> Case:
        return self.object if isinstance(self.object, Case) else self.object.case

    def get_form(self, data: Any = None) -> forms.Form:
        raise NotImplementedError

    def perform(self, form: Any) -> str:
        """Call the service; return the success message."""
        raise NotImplementedError

    def success_url(self) -> str:
        return case_url(self.case)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render(request, self.get_form())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                message = self.perform(form)
            except ValidationError as exc:
                apply_errors(form, exc, FIELD_ALIASES)
            except PermissionDenied:
                raise Http404 from None
            else:
                messages.success(request, message)
                return redirect(self.success_url())
        return self.render(request, form)

    def context(self, form: forms.Form) -> dict[str, Any]:
        return {
            "object": self.object,
            "case": self.case,
            "form": form,
            "title": self.title,
            "intro": self.intro,
            "submit_label": self.submit_label,
            "submit_class": self.submit_class,
            "cancel_url": self.cancel_url(),
        }

    def cancel_url(self) -> str:
        return self.success_url()

    def render(self, request: HttpRequest, form: forms.Form) -> HttpResponse:
        return render(request, self.template_name, self.context(form))


class CaseActionView(ObjectActionView):
    """A page that changes a case: looked up in `visible_to(user, scope_action)`; with `owner_only`, by
    the user's own scope alone (an agency the case is referred to never refers, closes or hands it over)."""

    scope_action = "change"
    owner_only = False

    def queryset(self, user: Any) -> models.QuerySet[Case]:
        return Case.objects.visible_to(user, self.scope_action, grants=not self.owner_only).select_related(
            "agency", "region"
        )
