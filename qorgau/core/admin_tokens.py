"""API tokens in the administration: seen and revoked, never shown with a key nor created here.

Tokens are issued with `manage.py issue_api_token` (the key is printed once). Agency administrators see
and revoke the tokens of their own agency's users; system administrators all of them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .admin import is_administrator, is_system_administrator, site, staff
from .api.tokens import do_revoke_api_token
from .models import ApiToken


@admin.register(ApiToken, site=site)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "owner", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    list_select_related = ("owner",)
    search_fields = ("name", "prefix", "owner__username")
    fields = (*list_display, "created_by", "revoked_by")
    readonly_fields = fields
    actions = ["revoke"]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[ApiToken]:
        qs = super().get_queryset(request)
        if is_system_administrator(request.user):
            return qs
        agency_id = staff(request).agency_id
        return qs.filter(owner__agency_id=agency_id) if agency_id else qs.none()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Revoked, not deleted: the row is what the audit log's token events point to.
        return False

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request.user)

    @admin.action(description=_("Revoke the selected API tokens"), permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: models.QuerySet[ApiToken]) -> None:
        count = 0
        for token in queryset.filter(revoked_at__isnull=True).select_related("owner"):
            do_revoke_api_token(actor=staff(request), token=token)
            count += 1
        self.message_user(request, _("API tokens revoked: %(count)d.") % {"count": count}, messages.SUCCESS)
