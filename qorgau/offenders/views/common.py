"""What the offenders pages share: a page that shows a form for one object and calls one service.

Each page gates on the role's action (403), looks its object up inside `visible_to` (404 out of scope,
audited as `<model>.denied` for a record that exists), then calls one service; a ValidationError comes
back into the form, a PermissionDenied after the lookup answers 404.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views import View

from qorgau.core.models import User
from qorgau.core.views_base import apply_errors, get_visible_or_404, require_action


class ObjectActionView(LoginRequiredMixin, View):
    required_action = ""
    title: Any = ""
    intro: Any = ""
    submit_label: Any = gettext_lazy("Save")
    template_name = "offenders/action.html"
    object: Any

    def queryset(self, user: Any) -> models.QuerySet[Any]:
        raise NotImplementedError

    @property
    def actor(self) -> User:
        return cast(User, self.request.user)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            require_action(request, self.required_action)
            self.object = get_visible_or_404(self.queryset(request.user), request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, data: Any = None) -> forms.Form:
        raise NotImplementedError

    def perform(self, form: Any) -> tuple[str, str]:
        """Call the service; return (the success message, the URL to go to)."""
        raise NotImplementedError

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render(request, self.get_form())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                message, url = self.perform(form)
            except ValidationError as exc:
                apply_errors(form, exc)
            except PermissionDenied:
                raise Http404 from None
            else:
                messages.success(request, message)
                return redirect(url)
        return self.render(request, form)

    def context(self, form: forms.Form) -> dict[str, Any]:
        return {
            "object": self.object,
            "form": form,
            "title": self.title,
            "intro": self.intro,
            "submit_label": self.submit_label,
            "cancel_url": self.cancel_url(),
        }

    def cancel_url(self) -> str:
        return "/"

    def render(self, request: HttpRequest, form: forms.Form) -> HttpResponse:
        return render(request, self.template_name, self.context(form))
