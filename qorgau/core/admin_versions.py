"""The administration of rules kept as versions (core.effective): every version listed and readable, a
new one added (never an edit: decisions point to the version they applied), one not yet in force withdrawn
with a reason. Each rule table's admin subclasses `VersionAdmin` and saves through its domain's service.

Only system administrators (national scope) add or withdraw versions; agency administrators read them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import construct_instance
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .admin import staff
from .administrators import is_administrator, is_system_administrator
from .effective import EffectivePeriod, withdraw_version


class VersionForm(forms.ModelForm):
    """The add form of a version, validated by the domain's check function (every error at once), not by
    the model's clean(), which would see the version in force as an overlap. `check` is called with the
    cleaned values of `check_fields`."""

    check: Callable[..., Any]
    check_fields: tuple[str, ...] = ()

    def _post_clean(self) -> None:
        if self.errors:
            return
        construct_instance(self, self.instance, self._meta.fields)
        try:
            type(self).check(**{name: self.cleaned_data.get(name) for name in self.check_fields})
        except ValidationError as exc:
            self._update_errors(exc)  # type: ignore[attr-defined]


class VersionAdmin(admin.ModelAdmin):
    """Listed and read by administrators; added (not edited) and withdrawn by system administrators."""

    withdraw_template = "admin/core/withdraw_version.html"
    change_form_template = "admin/core/version_change_form.html"
    parts: tuple[type[models.Model], ...] = ()  # rows that belong to a version and go with it
    # The domain's service that adds a version: called with actor= and the form's cleaned values.
    add_version: Callable[..., EffectivePeriod]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_system_administrator(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a saved version is history

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # withdrawn through the service, with a reason

    def get_urls(self) -> list[Any]:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<int:pk>/withdraw/",
                self.admin_site.admin_view(self.withdraw_view),
                name="{}_{}_withdraw".format(*info),
            ),
            *super().get_urls(),
        ]

    def withdraw_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not is_system_administrator(request.user):
            return HttpResponseRedirect(reverse("admin:index"))
        version = get_object_or_404(self.model, pk=pk)
        error = ""
        if request.method == "POST":
            try:
                withdraw_version(
                    actor=staff(request),
                    version=version,
                    reason=request.POST.get("reason", ""),
                    parts=self.parts,
                )
            except ValidationError as exc:
                error = " ".join(str(m) for m in exc.messages)
            else:
                messages.success(request, _("The version was withdrawn."))
                info = self.opts.app_label, self.opts.model_name
                return HttpResponseRedirect(reverse("admin:{}_{}_changelist".format(*info)))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "version": version,
            "error": error,
            "title": _("Withdraw a version not yet in force"),
        }
        return TemplateResponse(request, self.withdraw_template, context)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = type(self).add_version(actor=staff(request), **form.cleaned_data)
        obj.pk, obj.effective_to = saved.pk, saved.effective_to

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass  # the service saved the version and its parts

    def render_change_form(self, request: HttpRequest, context: dict[str, Any], *args: Any, **kw: Any) -> Any:
        obj = kw.get("obj")
        context["may_withdraw"] = bool(
            obj is not None
            and is_system_administrator(request.user)
            and obj.effective_from > timezone.localdate()
        )
        return super().render_change_form(request, context, *args, **kw)
