"""The signal list's filters (GET query strings). Nothing personal in them: no name, IIN or address.

Every filter narrows a queryset that already went through `Signal.objects.visible_to(user)`, so the region
and district choices only suggest; they never widen what is seen.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.filters import DateInput
from qorgau.core.models import District, Region
from qorgau.core.permissions import Scope, in_scope

from .models import Channel, OutcomeKind, Signal, SignalStatus


def regions_for(request: HttpRequest | None) -> QuerySet[Region]:
    """The regions a user may pick: those of their scope (all for a national scope, the agency's region for
    an agency scope)."""
    user = getattr(request, "user", None)
    # Someone who sees only their own assignments works in their agency's region: offer that one.
    scope = Scope.AGENCY if getattr(user, "scope", None) == Scope.OWN else None
    return in_scope(Region.objects.all(), Region.scope_paths, user, scope)


def districts_for(request: HttpRequest | None) -> QuerySet[District]:
    return District.objects.filter(region__in=regions_for(request)).select_related("region")


class SignalFilter(django_filters.FilterSet):
    number = django_filters.CharFilter(
        method="filter_number",
        label=_("Registration number"),
        help_text=_("All of it or a part, e.g. KZ-71-2026-000042 or 000042."),
        max_length=40,
    )
    region = django_filters.ModelChoiceFilter(queryset=regions_for, label=_("Region"), empty_label=_("any"))
    district = django_filters.ModelChoiceFilter(
        queryset=districts_for, label=_("District"), empty_label=_("any")
    )
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("Channel"), empty_label=_("any"))
    status = django_filters.ChoiceFilter(
        choices=SignalStatus.choices, label=_("Status"), empty_label=_("any")
    )
    outcome = django_filters.ChoiceFilter(
        field_name="outcome__kind", choices=OutcomeKind.choices, label=_("Outcome"), empty_label=_("any")
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label=_("Overdue"),
        widget=forms.Select(choices=[("", _("any")), ("true", _("overdue only")), ("false", _("on time"))]),
    )
    received_from = django_filters.DateFilter(
        field_name="received_at", lookup_expr="date__gte", label=_("Received from"), widget=DateInput()
    )
    received_to = django_filters.DateFilter(
        field_name="received_at", lookup_expr="date__lte", label=_("Received until"), widget=DateInput()
    )

    class Meta:
        model = Signal
        fields: list[str] = []

    def filter_number(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        return queryset.filter(registration_number__icontains=value) if value else queryset

    def filter_overdue(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        # The same conditions as queries.with_deadlines, written as a plain filter so it works with or
        # without the annotation.
        if value is None:
            return queryset
        now = timezone.now()
        missed = ~Q(status=SignalStatus.CLOSED) & (
            Q(first_contact_at__isnull=True, first_contact_due__lt=now) | Q(outcome_due__lt=now)
        )
        return queryset.filter(missed) if value else queryset.exclude(missed)

    def used_filters(self) -> dict[str, str]:
        """The filters filled in, as text, for the audit row of an export."""
        if not self.is_bound:
            return {}
        return {
            name: str(self.data.get(name, "")).strip()[:100]
            for name in self.filters
            if str(self.data.get(name, "")).strip()
        }
