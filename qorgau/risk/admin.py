"""Risk instruments in the administration: versions listed and read by administrators; a system
administrator drafts the next version (a copy of the latest), edits its bands and items, and publishes it
from a day not in the past. A published version is read-only (the services and the database refuse edits).
The conference referral rule is a `VersionAdmin` rule (added, never edited)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.admin import site, staff
from qorgau.core.admin_versions import VersionAdmin, VersionForm
from qorgau.core.administrators import is_administrator, is_system_administrator

from .models import Instrument, InstrumentVersion, Item, ReferralRule, VersionStatus
from .services.instruments import (
    ITEM_TEXTS,
    check_referral_rule,
    do_add_referral_rule_version,
    do_create_draft,
    do_publish_version,
    do_remove_item,
    do_save_item,
    do_update_draft,
)


class ReadOnlyForAdministrators(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Instrument, site=site)
class InstrumentAdmin(ReadOnlyForAdministrators):
    list_display = ("code", "name_en", "name_ru", "name_kk")
    readonly_fields = ("code", "name_en", "name_ru", "name_kk")
    actions = ["draft_version"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_system_administrator(request.user) and obj is None  # the list and its action only

    @admin.action(description=_("Draft a new version (a copy of the latest)"))
    def draft_version(self, request: HttpRequest, queryset: QuerySet[Instrument]) -> None:
        for instrument in queryset:
            try:
                draft = do_create_draft(actor=staff(request), instrument=instrument)
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            else:
                messages.success(request, _("Drafted %(version)s.") % {"version": draft})


class DraftForm(forms.ModelForm):
    bands = forms.JSONField(
        label=_("Bands and thresholds"),
        widget=forms.Textarea(attrs={"rows": 12, "class": "vLargeTextField", "spellcheck": "false"}),
        help_text=_(
            'A JSON list, lowest first: code, min_score (the number of "yes" answers from which the level '
            "applies), label_en, label_ru, label_kk, refer (true for a level that refers to the conference)."
        ),
    )

    class Meta:
        model = InstrumentVersion
        fields = ("bands", "source", "notes")


class ItemInline(admin.TabularInline):
    model = Item
    fields = ("position", "code", *ITEM_TEXTS)
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_system_administrator(request.user) and obj is not None and not obj.is_published

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_add_permission(request, obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request.user)


@admin.register(InstrumentVersion, site=site)
class InstrumentVersionAdmin(ReadOnlyForAdministrators):
    form = DraftForm
    list_display = ("instrument", "number", "status", "effective_from", "effective_to", "published_at")
    list_filter = ("instrument", "status")
    inlines = [ItemInline]
    readonly = (
        "instrument",
        "number",
        "status",
        "effective_from",
        "effective_to",
        "published_at",
        "published_by",
    )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_system_administrator(request.user) and (obj is None or not obj.is_published)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.is_published:
            return (*self.readonly, "bands_display", "source", "notes")
        return self.readonly

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.is_published:
            return (*self.readonly, "bands_display", "source", "notes")
        return (*self.readonly, "bands", "source", "notes")

    @admin.display(description=_("bands and thresholds"))
    def bands_display(self, version: InstrumentVersion) -> str:
        return json.dumps(version.bands, ensure_ascii=False)

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<int:pk>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="risk_instrumentversion_publish",
            ),
            *super().get_urls(),
        ]

    def publish_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not is_system_administrator(request.user):
            return HttpResponseRedirect(reverse("admin:index"))
        version = get_object_or_404(InstrumentVersion, pk=pk, status=VersionStatus.DRAFT)
        error = ""
        start = timezone.localdate().isoformat()
        if request.method == "POST":
            start = request.POST.get("effective_from", "")
            try:
                day = dt.date.fromisoformat(start)
                do_publish_version(actor=staff(request), version=version, effective_from=day)
            except ValueError:
                error = str(_("Enter the first day as YYYY-MM-DD."))
            except ValidationError as exc:
                error = " ".join(str(m) for m in exc.messages)
            else:
                messages.success(request, _("The version is published."))
                return HttpResponseRedirect(reverse("admin:risk_instrumentversion_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "version": version,
            "error": error,
            "start": start,
            "title": _("Publish an instrument version"),
        }
        return TemplateResponse(request, "admin/risk/publish_version.html", context)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        do_update_draft(
            actor=staff(request),
            version=obj,
            bands=form.cleaned_data["bands"],
            source=form.cleaned_data["source"],
            notes=form.cleaned_data["notes"],
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        version = form.instance
        for item_form in formset.forms:
            if not item_form.has_changed() and item_form.instance.pk:
                continue
            data = item_form.cleaned_data
            if not data:
                continue
            if data.get("DELETE") and item_form.instance.pk:
                do_remove_item(actor=staff(request), item=item_form.instance)
                continue
            do_save_item(
                actor=staff(request),
                version=version,
                item=item_form.instance if item_form.instance.pk else None,
                code=data["code"],
                position=data["position"],
                **{field: data.get(field, "") for field in ITEM_TEXTS},
            )

    def render_change_form(self, request: HttpRequest, context: dict[str, Any], *args: Any, **kw: Any) -> Any:
        obj = kw.get("obj")
        if obj is not None and not obj.is_published and is_system_administrator(request.user):
            messages.info(
                request,
                _("This is a draft. Publish it at %(url)s when it is ready.")
                % {"url": reverse("admin:risk_instrumentversion_publish", args=[obj.pk])},
            )
        return super().render_change_form(request, context, *args, **kw)


class ReferralRuleForm(VersionForm):
    check = staticmethod(check_referral_rule)
    check_fields = ("effective_from", "escalation_signals", "escalation_days", "repeat_days")

    class Meta:
        model = ReferralRule
        fields = (
            "effective_from",
            "escalation_signals",
            "escalation_days",
            "repeat_days",
            "source",
            "confirmed",
            "notes",
        )


@admin.register(ReferralRule, site=site)
class ReferralRuleAdmin(VersionAdmin):
    form = ReferralRuleForm
    add_version = staticmethod(do_add_referral_rule_version)
    list_display = (
        "code",
        "escalation_signals",
        "escalation_days",
        "repeat_days",
        "effective_from",
        "effective_to",
    )
