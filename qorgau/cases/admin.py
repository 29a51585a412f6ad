"""The cases reference data in the administration.

- Referral purposes: listed and read by administrators; what a purpose opens (its sections, whether it
  discloses identity, the consent it needs, the longest access) is changed by system administrators
  through `do_change_referral_purpose` (validated and audited). Never added or deleted here: a purpose is
  named by code in referrals and migrations.
- Specialists and their qualifications: read-only, within the administrator's scope (their agency, or the
  whole country for a system administrator). They are recorded on the Specialists page through the
  services, by the agency's own staff.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from qorgau.core.admin import site, staff
from qorgau.core.administrators import administered_scope, is_administrator, is_system_administrator
from qorgau.core.permissions import in_scope
from qorgau.people.models import ConsentPurpose

from .models import SECTIONS, Qualification, ReferralPurpose, Specialist
from .services import check_purpose, do_change_referral_purpose

SECTION_LABELS = {
    "summary": _("summary"),
    "identity": _("identity (the victim's name)"),
    "assessment": _("needs assessment"),
    "safety_plan": _("safety plan"),
    "case_plan": _("case plan"),
    "services": _("services"),
    "children": _("children"),
}
PURPOSE_FIELDS = ("sections", "discloses_identity", "consent_purpose", "access_days", "is_active")


class ReferralPurposeForm(forms.ModelForm):
    sections = forms.MultipleChoiceField(
        label=_("Sections opened"),
        choices=[(code, SECTION_LABELS.get(code, code)) for code in SECTIONS],
        widget=forms.CheckboxSelectMultiple,
    )
    consent_purpose = forms.ChoiceField(label=_("Consent purpose"), choices=ConsentPurpose.choices)

    class Meta:
        model = ReferralPurpose
        fields = PURPOSE_FIELDS

    def _post_clean(self) -> None:
        # The service's check, every error at once (not the model's clean()).
        if self.errors:
            return
        try:
            check_purpose(**{k: self.cleaned_data[k] for k in PURPOSE_FIELDS if k != "is_active"})
        except ValidationError as exc:
            self._update_errors(exc)  # type: ignore[attr-defined]


@admin.register(ReferralPurpose, site=site)
class ReferralPurposeAdmin(admin.ModelAdmin):
    form = ReferralPurposeForm
    list_display = ("code", "name_en", "name_ru", "name_kk", "discloses_identity", "access_days", "is_active")
    list_filter = ("is_active", "discloses_identity")
    readonly_fields = ("code", "name_en", "name_ru", "name_kk")
    fields = ("code", "name_en", "name_ru", "name_kk", *PURPOSE_FIELDS)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_system_administrator(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = do_change_referral_purpose(
            actor=staff(request), purpose=obj, **{k: form.cleaned_data[k] for k in PURPOSE_FIELDS}
        )
        obj.sections = saved.sections

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        return None  # the service wrote the audit row (referral_purpose.change)


class ReadOnlyScopedAdmin(admin.ModelAdmin):
    """Read by administrators within their scope; written through the services on the pages."""

    scope_paths: Any

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        user = staff(request)
        return in_scope(super().get_queryset(request), self.scope_paths, user, administered_scope(user))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class QualificationInline(admin.TabularInline):
    model = Qualification
    fields = ("kind", "document_number", "issuer", "valid_from", "valid_until", "recorded_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Specialist, site=site)
class SpecialistAdmin(ReadOnlyScopedAdmin):
    scope_paths = Specialist.scope
    list_display = ("code", "display_name", "agency", "user", "is_active")
    list_filter = ("is_active",)
    list_select_related = ("agency", "user")
    fields = ("agency", "user", "full_name", "is_active", "created_at")
    readonly_fields = fields
    inlines = [QualificationInline]

    @admin.display(description=_("code"))
    def code(self, obj: Specialist) -> str:
        return obj.code


@admin.register(Qualification, site=site)
class QualificationAdmin(ReadOnlyScopedAdmin):
    scope_paths = Qualification.scope
    list_display = ("specialist", "kind", "document_number", "issuer", "valid_from", "valid_until")
    list_filter = ("kind",)
    list_select_related = ("specialist__agency", "specialist__user")
    fields = ("specialist", "kind", "document_number", "issuer", "valid_from", "valid_until", "recorded_by")
    readonly_fields = fields
