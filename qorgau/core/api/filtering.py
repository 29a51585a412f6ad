"""The API's filter backend: django-filter, with a 400 for a parameter given twice that takes one value."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
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
