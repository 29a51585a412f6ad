"""Filters of the case, referral and transfer lists (API query strings). Nothing personal in a URL."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet

from qorgau.core.models import District, Region

from .models import (
    Case,
    CaseState,
    CaseTransfer,
    OpenedVia,
    Referral,
    ReferralStatus,
    ServiceType,
    Specialist,
    TransferStatus,
)

ID_MAX = 2**31 - 1
# Yes/no filters are choices: django-filter's BooleanFilter takes any other word as "not given", so that
# `?is_open=yes` silently listed everything; a choice answers 400 for it.
YES_NO = [("true", "true"), ("false", "false")]


class CaseFilterSet(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=CaseState.choices)
    opened_via = django_filters.ChoiceFilter(choices=OpenedVia.choices)
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), to_field_name="code", help_text="Region code, e.g. KZ-71."
    )
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.all(), to_field_name="code", help_text="District code."
    )
    is_open = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_is_open", help_text="Open (true) or closed (false) cases."
    )
    opened = django_filters.DateFromToRangeFilter(
        field_name="opened_at", help_text="opened_after / opened_before: local dates, both inclusive."
    )

    class Meta:
        model = Case
        fields = ["state", "opened_via", "region", "district", "is_open", "opened"]

    def filter_is_open(self, queryset: QuerySet[Case], name: str, value: Any) -> QuerySet[Case]:
        return queryset.filter(closed_at__isnull=value == "true") if value else queryset


class ReferralFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ReferralStatus.choices)
    direction = django_filters.ChoiceFilter(
        choices=[("incoming", "incoming"), ("outgoing", "outgoing")],
        method="filter_direction",
        help_text="incoming: to your agency; outgoing: of cases your agency owns.",
    )
    case = django_filters.NumberFilter(
        field_name="case_id", min_value=1, max_value=ID_MAX, decimal_places=0, help_text="Id of a case."
    )

    class Meta:
        model = Referral
        fields = ["status", "direction", "case"]

    def filter_direction(self, queryset: QuerySet[Referral], name: str, value: Any) -> QuerySet[Referral]:
        agency = getattr(self.request.user, "agency_id", None) if self.request is not None else None
        if value == "incoming":
            return queryset.filter(to_agency=agency)
        if value == "outgoing":
            return queryset.filter(case__agency=agency)
        return queryset


class TransferFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=TransferStatus.choices)
    case = django_filters.NumberFilter(
        field_name="case_id", min_value=1, max_value=ID_MAX, decimal_places=0, help_text="Id of a case."
    )

    class Meta:
        model = CaseTransfer
        fields = ["status", "case"]


class SpecialistFilterSet(django_filters.FilterSet):
    is_active = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_is_active", help_text="Active (true) or no longer working (false)."
    )
    qualified_for = django_filters.ChoiceFilter(
        choices=ServiceType.choices,
        field_name="qualifications__kind",
        distinct=True,
        help_text="With a qualification on record for this service type (valid or not).",
    )

    class Meta:
        model = Specialist
        fields = ["is_active", "qualified_for"]

    def filter_is_active(self, queryset: QuerySet[Specialist], name: str, value: Any) -> QuerySet[Specialist]:
        return queryset.filter(is_active=value == "true") if value else queryset
