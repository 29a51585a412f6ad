"""The legal rules in the administration: every version listed and readable, a new version added through
the service (intake/services/rules.py) when the next law comes, a version not yet in force withdrawn.

A saved version is never edited: decisions point to the version they applied. Only system administrators
(national scope) add or withdraw versions; agency administrators read them.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from qorgau.core.admin import site
from qorgau.core.admin_versions import VersionAdmin, VersionForm

from .models import DeadlineRule, LegalRuleSet, ReconciliationRule, RuleTopic
from .services.rules import (
    check_deadline_version,
    check_rule_set_version,
    current_rules,
    do_add_deadline_version,
    do_add_rule_set_version,
)

VERSION_FIELDS = ("effective_from", "effective_to", "confirmed", "source", "notes")


class RuleSetVersionForm(VersionForm):
    rules = forms.JSONField(
        label=_("Rules"),
        widget=forms.Textarea(attrs={"rows": 18, "class": "vLargeTextField", "spellcheck": "false"}),
        help_text=_(
            "The rules of the new version as a JSON list; it starts as a copy of the version in force. Each "
            "rule: code, kind (physical_violence, child_cruelty, repeated_violence), params, title, "
            "description, position, confirmed."
        ),
    )

    class Meta:
        model = LegalRuleSet
        fields = ("topic", "code", "title", "effective_from", "source", "confirmed", "notes")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        topic = self.initial.get("topic") or RuleTopic.RECONCILIATION
        self.initial.setdefault("topic", topic)
        latest = LegalRuleSet.objects.filter(topic=topic, effective_to__isnull=True).first()
        if latest is not None and "rules" not in self.initial:
            self.initial["rules"] = current_rules(latest)

    check = staticmethod(check_rule_set_version)
    check_fields = ("topic", "code", "title", "effective_from", "rules", "source")


class DeadlineVersionForm(VersionForm):
    check = staticmethod(check_deadline_version)
    check_fields = ("kind", "value", "unit", "effective_from", "source")

    class Meta:
        model = DeadlineRule
        fields = ("kind", "value", "unit", "effective_from", "source", "confirmed", "notes")


class ReconciliationRuleInline(admin.TabularInline):
    model = ReconciliationRule
    fields = ("position", "code", "kind", "params_display", "title", "confirmed")
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description=_("parameters"))
    def params_display(self, rule: ReconciliationRule) -> str:
        return json.dumps(rule.params, ensure_ascii=False, sort_keys=True)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LegalRuleSet, site=site)
class LegalRuleSetAdmin(VersionAdmin):
    form = RuleSetVersionForm
    add_version = staticmethod(do_add_rule_set_version)
    parts = (ReconciliationRule,)
    list_display = ("topic", "code", "title", "effective_from", "effective_to", "confirmed")
    list_filter = ("topic", "confirmed")
    inlines = [ReconciliationRuleInline]

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[Any]:
        return self.inlines if obj is not None else []  # the add form takes the rules as JSON


@admin.register(DeadlineRule, site=site)
class DeadlineRuleAdmin(VersionAdmin):
    form = DeadlineVersionForm
    add_version = staticmethod(do_add_deadline_version)
    list_display = ("kind", "value", "unit", "effective_from", "effective_to", "confirmed")
    list_filter = ("kind", "confirmed")
