"""The offender track's deadline rules in the administration: listed for administrators, new versions
added (never edited) by system administrators through the services (core.admin_versions)."""

from __future__ import annotations

from django.contrib import admin

from qorgau.core.admin import site
from qorgau.core.admin_versions import VersionAdmin, VersionForm

from .models import ProgrammeDeadlineRule, TreatmentStepRule
from .services.rules import (
    check_programme_rule,
    check_step_rule,
    do_add_programme_rule_version,
    do_add_step_rule_version,
)


class StepRuleForm(VersionForm):
    check = staticmethod(check_step_rule)
    check_fields = ("step", "effective_from", "days")

    class Meta:
        model = TreatmentStepRule
        fields = ("step", "effective_from", "days", "source", "confirmed", "notes")


@admin.register(TreatmentStepRule, site=site)
class TreatmentStepRuleAdmin(VersionAdmin):
    form = StepRuleForm
    add_version = staticmethod(do_add_step_rule_version)
    list_display = ("step", "days", "confirmed", "effective_from", "effective_to")


class ProgrammeRuleForm(VersionForm):
    check = staticmethod(check_programme_rule)
    check_fields = ("basis", "effective_from", "contact_days", "start_days")

    class Meta:
        model = ProgrammeDeadlineRule
        fields = ("basis", "effective_from", "contact_days", "start_days", "source", "confirmed", "notes")


@admin.register(ProgrammeDeadlineRule, site=site)
class ProgrammeDeadlineRuleAdmin(VersionAdmin):
    form = ProgrammeRuleForm
    add_version = staticmethod(do_add_programme_rule_version)
    list_display = ("basis", "contact_days", "start_days", "confirmed", "effective_from", "effective_to")
