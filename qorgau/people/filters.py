"""Filters of the person and family lists (API query strings). Nothing personal: never an IIN or a name.

Name and IIN search go through the POST search (queries.search_persons), so they stay out of URLs.
"""

from __future__ import annotations

import django_filters

from .models import Family, Person


class PersonFilterSet(django_filters.FilterSet):
    birth_year = django_filters.NumberFilter(field_name="birth_date", lookup_expr="year")

    class Meta:
        model = Person
        fields = ["region", "district", "sex", "birth_year"]


class FamilyFilterSet(django_filters.FilterSet):
    class Meta:
        model = Family
        fields = ["region", "district", "code"]
