"""Filters of the signal and protective-order lists (API query strings). Nothing personal in a URL.

The signal queryset must be annotated by `queries.with_deadlines` for `overdue` (the viewset does it).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from qorgau.core.api.filtering import StrictBooleanFilter
from qorgau.core.models import District, Region

from .models import (
    FORM_FIELDS,
    Channel,
    OrderStatus,
    OutcomeKind,
    ProtectiveOrder,
    Signal,
    SignalStatus,
    ViolenceForm,
)


class SignalFilterSet(django_filters.FilterSet):
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), to_field_name="code", help_text="Region code, e.g. KZ-71."
    )
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.all(), to_field_name="code", help_text="District code."
    )
    channel = django_filters.MultipleChoiceFilter(choices=Channel.choices)
    status = django_filters.MultipleChoiceFilter(choices=SignalStatus.choices)
    outcome = django_filters.MultipleChoiceFilter(
        field_name="outcome__kind", choices=OutcomeKind.choices, help_text="Kind of the current outcome."
    )
    form = django_filters.ChoiceFilter(
        choices=ViolenceForm.choices, method="filter_form", help_text="A form of violence recorded."
    )
    overdue = StrictBooleanFilter(
        method="filter_overdue", help_text="Open signals with a missed first-contact or outcome deadline."
    )
    received = django_filters.DateFromToRangeFilter(
        field_name="received_at",
        help_text="received_after / received_before: local dates, both inclusive.",
    )

    class Meta:
        model = Signal
        fields = ["region", "district", "channel", "status", "outcome", "form", "overdue", "received"]

    def filter_form(self, queryset: QuerySet[Signal], name: str, value: Any) -> QuerySet[Signal]:
        return queryset.filter(**{FORM_FIELDS[value]: True}) if value else queryset

    def filter_overdue(self, queryset: QuerySet[Signal], name: str, value: Any) -> QuerySet[Signal]:
        if value is None:
            return queryset
        return queryset.filter(is_overdue=value)  # type: ignore[misc]  # annotated by with_deadlines


class ProtectiveOrderFilterSet(django_filters.FilterSet):
    district = django_filters.ModelChoiceFilter(
        field_name="signal__district",
        queryset=District.objects.all(),
        to_field_name="code",
        help_text="District code.",
    )
    in_force = StrictBooleanFilter(method="filter_in_force", help_text="In force now.")

    class Meta:
        model = ProtectiveOrder
        fields = ["district", "status", "in_force"]

    def filter_in_force(
        self, queryset: QuerySet[ProtectiveOrder], name: str, value: Any
    ) -> QuerySet[ProtectiveOrder]:
        if value is None:
            return queryset
        now = timezone.now()
        in_force = Q(status=OrderStatus.ACTIVE, served_at__lte=now, expires_at__gt=now)
        return queryset.filter(in_force) if value else queryset.exclude(in_force)
