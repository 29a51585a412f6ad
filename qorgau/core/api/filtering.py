"""The API's filter backend: django-filter, with a 400 for a parameter given twice that takes one value,
and a yes/no filter that answers 400 for any other word (`StrictBooleanFilter`)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.drainage import set_override
from rest_framework import serializers
from rest_framework.request import Request

# Shared with the paginator's `limit` and `offset`.
ONE_VALUE = _("Give this parameter once.")


class FilterBackend(DjangoFilterBackend):
    """django-filter keeps the last of repeated values (`?district=A&district=B` filtered on B alone),
    which hides a client's bug; only filters that take several values (`?status=a&status=b`) may repeat."""

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is not None:
            fields = filterset.form.fields
            for name, values in request.query_params.lists():
                field = fields.get(name)
                multiple = field is not None and getattr(field.widget, "allow_multiple_selected", False)
                if len(values) > 1 and not multiple:
                    raise serializers.ValidationError({name: [ONE_VALUE]})
        return super().filter_queryset(request, queryset, view)


YES_NO_WORDS = {"true": True, "false": False, "True": True, "False": False, "1": True, "0": False}


class StrictNullBooleanField(forms.NullBooleanField):
    """A yes/no query parameter that refuses any other word: django-filter's own field reads `?overdue=yes`
    as "not given" and lists everything, which hides a client's bug."""

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]  # None: not given
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        if value not in YES_NO_WORDS:
            raise forms.ValidationError(_("Give true or false."), code="invalid")
        return YES_NO_WORDS[value]

    def validate(self, value: Any) -> None:
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    """`BooleanFilter` with a 400 for a word other than true/false (1/0); the schema stays boolean."""

    field_class = StrictNullBooleanField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # django-filter's BooleanWidget turns every other word into None before the field sees it
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)
        # the schema says boolean, with the filter's help text (django-filter's own schema lost the type)
        schema: dict[str, Any] = {"type": "boolean"}
        described = self.extra.get("help_text") or self.label
        if described:
            schema["description"] = described
        set_override(self, "field", schema)
