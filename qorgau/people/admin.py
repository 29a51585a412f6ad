"""The longest consent in the administration (people.ConsentRule): versions listed and read, a new one
added through the service, one not yet in force withdrawn (core/admin_versions.py). Persons, families and
consents themselves are personal data and never registered here."""

from __future__ import annotations

from django.contrib import admin

from qorgau.core.admin import site
from qorgau.core.admin_versions import VersionAdmin, VersionForm

from .models import ConsentRule
from .services.consent import check_consent_rule_version, do_add_consent_rule_version


class ConsentRuleForm(VersionForm):
    check = staticmethod(check_consent_rule_version)
    check_fields = ("max_days", "effective_from")

    class Meta:
        model = ConsentRule
        fields = ("max_days", "effective_from", "source", "confirmed", "notes")


@admin.register(ConsentRule, site=site)
class ConsentRuleAdmin(VersionAdmin):
    form = ConsentRuleForm
    add_version = staticmethod(do_add_consent_rule_version)
    list_display = ("max_days", "effective_from", "effective_to", "confirmed")
