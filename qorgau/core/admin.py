"""The administration of reference data: regions, districts, agencies, roles and users.

Its own site (`site`), not Django's default one: only staff whose role grants `core.admin` and whose
session passed the second factor get in; everyone else signs in through Qorgau's own login (lockout,
second factor), never through a second login form here. System administrators (national scope) edit
everything; agency administrators see and edit only the users of their own agency, may not hand out
privileged roles (administration, audit) or scopes wider than their agency, and only read the rest.

Personal data (persons, families, consents) and the audit log are never registered here: auditors use
/audit/. Every change made here is written to the audit log with its old and new values.

Wiring (qorgau/urls.py): `path("admin/", qorgau.core.admin.site.urls)`.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from .administrators import (
    PRIVILEGED_ACTIONS,
    administered_scope,
    administers,
    is_administrator,
    is_privileged,
    is_system_administrator,
)
from .audit import diff, record
from .auth.enrolment import do_issue_enrolment_code, may_issue_enrolment_code
from .models import Agency, District, Region, Role, User
from .permissions import Scope, in_scope
from .roles import actions

# Scopes an agency administrator may give: never beyond their own agency.
AGENCY_ADMIN_SCOPES = (Scope.NONE, Scope.OWN, Scope.AGENCY)


def staff(request: HttpRequest) -> User:
    """The signed-in user of an admin page (the site lets no one else in)."""
    return cast(User, request.user)


class QorgauAdminSite(OTPAdminSite):
    site_header = _("Qorgau administration")
    site_title = _("Qorgau administration")
    index_title = _("Reference data and users")
    site_url = "/"
    enable_nav_sidebar = False

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active
            and user.is_staff
            and is_administrator(user)
            and getattr(user, "is_verified", lambda: False)()
        )

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """No login form of its own: Qorgau's login (lockout, second factor) is the only way in."""
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = ""
        next_url = next_url or self.index_url()
        if not request.user.is_authenticated:
            return redirect_to_login(next_url, settings.LOGIN_URL)
        if self.has_permission(request):
            return HttpResponseRedirect(next_url)
        raise PermissionDenied

    def index_url(self) -> str:
        return reverse("admin:index", current_app=self.name)


site = QorgauAdminSite(name="admin")


def snapshot(obj: models.Model) -> dict[str, Any]:
    """Field values for the audit row; the password hash never leaves the table."""
    if obj.pk is None:
        return {}
    values = model_to_dict(obj, exclude=["password"])
    if isinstance(obj, User):
        values["password_usable"] = obj.has_usable_password()
    return values


class AuditedAdmin(admin.ModelAdmin):
    """Role-based permissions (core.admin, not Django's model permissions) and audited changes.

    `system_only` models are read-only for agency administrators.
    """

    system_only = True

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_system_administrator(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self.system_only:
            return is_system_administrator(request.user)
        return is_administrator(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_system_administrator(request.user)

    def _audit_action(self, verb: str) -> str:
        return f"admin.{self.model._meta.model_name}.{verb}"

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = self.model._default_manager.filter(pk=obj.pk).first() if change and obj.pk else None
        obj._audit_before = snapshot(before) if before is not None else {}
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # After the many-to-many fields (a user's regions) are saved, so the row shows them too.
        super().save_related(request, form, formsets, change)
        obj = form.instance
        changes = diff(getattr(obj, "_audit_before", {}), snapshot(obj))
        if change and not changes:
            return
        record(
            actor=staff(request),
            action=self._audit_action("change" if change else "add"),
            obj=obj,
            changes=changes,
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        record(
            actor=staff(request),
            action=self._audit_action("delete"),
            obj=obj,
            changes=diff(snapshot(obj), {}),
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            record(
                actor=staff(request),
                action=self._audit_action("delete"),
                obj=obj,
                changes=diff(snapshot(obj), {}),
            )
        super().delete_queryset(request, queryset)


@admin.register(Region, site=site)
class RegionAdmin(AuditedAdmin):
    list_display = ("code", "name_ru", "name_kk", "name_en", "centre", "population")
    search_fields = ("code", "name_ru", "name_kk", "name_en")
    list_filter = ("is_city",)


@admin.register(District, site=site)
class DistrictAdmin(AuditedAdmin):
    list_display = ("code", "name_ru", "name_kk", "name_en", "region")
    search_fields = ("code", "name_ru", "name_kk", "name_en")
    list_filter = ("region",)
    list_select_related = ("region",)


@admin.register(Agency, site=site)
class AgencyAdmin(AuditedAdmin):
    """Agency administrators see their own agency and may correct its names, nothing that moves it."""

    system_only = False
    list_display = ("name", "name_ru", "name_kk", "short_name", "type", "region", "is_active")
    search_fields = ("name", "name_kk", "name_ru", "name_en", "short_name")
    list_filter = ("type", "region", "is_active")
    list_select_related = ("region",)
    autocomplete_fields = ("parent",)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Agency]:
        user = staff(request)
        return in_scope(super().get_queryset(request), Agency.scope_paths, user, administered_scope(user))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if is_system_administrator(request.user):
            return ()
        return ("type", "region", "district", "parent", "is_active")


def action_choices(current: list[str] | None = None) -> list[tuple[str, str]]:
    """The catalogue, plus any action a stored role still holds that left it (shown, not dropped)."""
    catalogue = actions()
    choices = [(action, f"{action}: {label}") for action, label in catalogue.items()]
    extra = [
        (action, f"{action}: {_('(not in the catalogue)')}")
        for action in current or []
        if action not in catalogue
    ]
    return choices + extra


class RoleForm(forms.ModelForm):
    actions = forms.MultipleChoiceField(
        label=_("Actions"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What users with this role may do; their scope decides on which records."),
    )

    class Meta:
        model = Role
        fields = ("slug", "name", "description", "actions")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = list(self.instance.actions or []) if self.instance.pk else []
        field = self.fields["actions"]
        field.choices = action_choices(current)  # type: ignore[attr-defined]
        self.initial["actions"] = current

    def clean_actions(self) -> list[str]:
        return sorted(set(self.cleaned_data["actions"]))


@admin.register(Role, site=site)
class RoleAdmin(AuditedAdmin):
    form = RoleForm
    list_display = ("name", "slug", "action_list")
    search_fields = ("name", "slug")

    @admin.display(description=_("actions"))
    def action_list(self, role: Role) -> str:
        return ", ".join(role.actions)


@admin.register(User, site=site)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    system_only = False
    list_display = ("username", "first_name", "last_name", "agency", "role", "scope", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "scope", "role")
    list_select_related = ("agency", "role")
    search_fields = ("username", "first_name", "last_name", "email")
    autocomplete_fields = ("agency",)
    filter_horizontal = ("scope_regions",)
    readonly_fields = ("last_login", "date_joined", "is_superuser")
    actions = ["issue_enrolment_code"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Agency, role and scope"), {"fields": ("agency", "role", "scope", "scope_regions")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    agency_admin_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Agency, role and scope"), {"fields": ("agency", "role", "scope")}),
        (_("Status"), {"fields": ("is_active",)}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and not is_system_administrator(request.user):
            return self.agency_admin_fieldsets
        return super().get_fieldsets(request, obj)

    def get_autocomplete_fields(self, request: HttpRequest) -> Any:
        return self.autocomplete_fields if is_system_administrator(request.user) else ()

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[User]:
        user = staff(request)
        return in_scope(super().get_queryset(request), User.scope_paths, user, administered_scope(user))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_system_administrator(request.user) or (
            is_administrator(request.user) and staff(request).agency_id is not None
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if is_system_administrator(request.user):
            return True
        if not is_administrator(request.user):
            return False
        if obj is None:
            return True
        # A privileged colleague (administrator, auditor) is changed only nationally: resetting their
        # password here would hand their powers to the agency administrator.
        return administers(staff(request), obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if not is_system_administrator(request.user):
            if db_field.name == "agency":
                kwargs["queryset"] = in_scope(
                    Agency.objects.all(), Agency.scope_paths, staff(request), Scope.AGENCY
                )
            elif db_field.name == "role":
                allowed = [r.pk for r in Role.objects.all() if not PRIVILEGED_ACTIONS & set(r.actions)]
                kwargs["queryset"] = Role.objects.filter(pk__in=allowed)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and db_field.name == "agency" and not is_system_administrator(request.user):
            field.required = True
        return field

    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "scope" and not is_system_administrator(request.user):
            kwargs["choices"] = [(s.value, s.label) for s in AGENCY_ADMIN_SCOPES]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not is_system_administrator(request.user):
            # The creation form has no agency field: new users join the administrator's agency.
            obj.agency_id = staff(request).agency_id
            if obj.scope not in AGENCY_ADMIN_SCOPES or obj.is_staff or obj.is_superuser or is_privileged(obj):
                raise PermissionDenied
        super().save_model(request, obj, form, change)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            target = self.get_queryset(request).filter(pk=id).first()
            record(actor=staff(request), action="admin.user.password_set", obj=target)
        return response

    def has_issue_enrolment_code_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request.user)

    @admin.action(description=_("Issue an enrolment code"), permissions=["issue_enrolment_code"])
    def issue_enrolment_code(self, request: HttpRequest, queryset: models.QuerySet[User]) -> HttpResponse:
        """One-time codes with which the selected users enrol their first authenticator (auth/enrolment.py).

        Shown on a page of their own, once, never kept in a message (messages may travel in a cookie).
        """
        actor = staff(request)
        issued, refused = [], []
        for user in queryset:
            if may_issue_enrolment_code(actor, user):
                code, clear = do_issue_enrolment_code(actor=actor, user=user)
                issued.append({"user": user, "code": code, "clear": clear})
            else:
                refused.append(user)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Enrolment codes"),
            "issued": issued,
            "refused": refused,
            "back_url": reverse("admin:core_user_changelist", current_app=self.admin_site.name),
        }
        response = TemplateResponse(request, "core/enrolment_codes_issued.html", context)
        add_never_cache_headers(response)
        return response


# API tokens: their own module (seen and revoked here, issued by manage.py issue_api_token).
from . import admin_tokens  # noqa: E402, F401
