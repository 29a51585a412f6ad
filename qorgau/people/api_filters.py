"""Filters of the person, family and consent lists (API query strings). Nothing personal: never an IIN
or a name.

Name and IIN search go through the POST search (queries.search_persons), so they stay out of URLs.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field

from qorgau.core.api.filtering import StrictBooleanFilter

from .models import Consent, ConsentPurpose, Family, Person
from .services.consent import valid_at


@extend_schema_field({"type": "integer", "minimum": 1800, "maximum": 2100})
class YearFilter(django_filters.NumberFilter):
    """A calendar year: a whole number the date functions can handle (`birth_year=0` answered 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("min_value", 1800)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


class PersonFilterSet(django_filters.FilterSet):
    birth_year = YearFilter(field_name="birth_date", lookup_expr="year", help_text="1800 to 2100.")

    class Meta:
        model = Person
        fields = ["region", "district", "sex", "birth_year"]


class FamilyFilterSet(django_filters.FilterSet):
    class Meta:
        model = Family
        fields = ["region", "district", "code"]


class ConsentFilter(django_filters.FilterSet):
    # A plain number, not a choice of persons: a choice field would tell "exists" from "out of scope".
    person = django_filters.NumberFilter(field_name="person_id")
    purpose = django_filters.ChoiceFilter(choices=ConsentPurpose.choices)
    receiving_agency = django_filters.NumberFilter(field_name="receiving_agency_id")
    active = StrictBooleanFilter(method="filter_active", label="in force now")

    class Meta:
        model = Consent
        fields: list[str] = []

    def filter_active(self, queryset: QuerySet[Consent], name: str, value: bool | None) -> QuerySet[Consent]:
        if value is None:
            return queryset
        q = valid_at(timezone.now())
        return queryset.filter(q) if value else queryset.exclude(q)
