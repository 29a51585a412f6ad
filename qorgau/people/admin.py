"""The longest consent in the administration (people.ConsentRule): versions listed and read, a new one
added through the service, one not yet in force withdrawn (core/admin_versions.py). Persons, families and
consents themselves are personal data and never registered here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.http import HttpRequest

from qorgau.core.admin import site, staff
from qorgau.core.admin_versions import VersionAdmin

from .models import ConsentRule
from .services.consent import check_consent_rule_version, do_add_consent_rule_version


class ConsentRuleForm(forms.ModelForm):
    class Meta:
        model = ConsentRule
        fields = ("max_days", "effective_from", "source", "confirmed", "notes")

    def _post_clean(self) -> None:
        if self.errors:
            return
        construct_instance(self, self.instance, self._meta.fields)
        try:
            check_consent_rule_version(
                max_days=self.cleaned_data.get("max_days"),
                effective_from=self.cleaned_data.get("effective_from"),
            )
        except ValidationError as exc:
            self._update_errors(exc)  # type: ignore[attr-defined]


@admin.register(ConsentRule, site=site)
class ConsentRuleAdmin(VersionAdmin):
    form = ConsentRuleForm
    list_display = ("max_days", "effective_from", "effective_to", "confirmed")

    def save_model(self, request: HttpRequest, obj: ConsentRule, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = do_add_consent_rule_version(
            actor=staff(request),
            max_days=data["max_days"],
            effective_from=data["effective_from"],
            source=data.get("source", ""),
            notes=data.get("notes", ""),
            confirmed=data.get("confirmed", False),
        )
        obj.pk, obj.effective_to = saved.pk, saved.effective_to
