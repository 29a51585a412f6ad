"""The family map in the administration: read-only (rule sets change through their services and pages,
runs through the pipeline; a published rule set never changes)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import RuleSet, Run


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(RuleSet)
class RuleSetAdmin(ReadOnlyAdmin):
    list_display = ["version", "name", "status", "published_at", "retired_at"]
    list_filter = ["status"]


@admin.register(Run)
class RunAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "status", "rule_set", "reference_date", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
