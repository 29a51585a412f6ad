"""Filters of the person and family lists (API query strings). Nothing personal: never an IIN or a name.

Name and IIN search go through the POST search (queries.search_persons), so they stay out of URLs.
"""

from __future__ import annotations

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

from .models import Family, Person


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
