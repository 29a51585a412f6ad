"""Pagination for large registers: pages of the UI (IdFirstPaginator) and of the API (ApiPagination)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request

from qorgau.core.api.filtering import ONE_VALUE


class IdFirstPaginator(Paginator):
    """Pages through primary keys first, then loads only the page's rows (a "deferred join").

    A plain LIMIT/OFFSET over a joined, annotated queryset makes the database build and sort every
    matching row in full to return fifty. Selecting only the ordered primary keys lets an index answer
    the sort; the fifty rows are then fetched with their joins. The order and content of every page are
    those of the plain Paginator (tested); the cost is one extra small query per page.
    """

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        queryset: QuerySet[Any] = self.object_list  # type: ignore[assignment]
        ids = list(queryset.values_list("pk", flat=True)[bottom:top])
        by_id = {obj.pk: obj for obj in queryset.filter(pk__in=ids).order_by()}
        return Page([by_id[pk] for pk in ids if pk in by_id], number, self)


class ApiPagination(LimitOffsetPagination):
    """The API's `limit`/`offset` pages: at most MAX_LIMIT rows a page, and a 400 for a bad value.

    DRF's own class silently replaces a malformed value with the default and passes any integer to the
    database, so `limit=10**20` answered 500 and `limit=100000` sent every row in scope in one answer.
    """

    max_limit = 200
    max_offset = 2**31 - 1

    def _parameter(self, request: Request, name: str, minimum: int, maximum: int, default: int) -> int:
        values = request.query_params.getlist(name)
        if not values or values == [""]:
            return default
        if len(values) > 1:
            raise serializers.ValidationError({name: [ONE_VALUE]})
        raw = values[0]
        field = serializers.IntegerField(min_value=minimum, max_value=maximum)
        try:
            return int(field.run_validation(raw))
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({name: exc.detail}) from None

    def get_limit(self, request: Request) -> int:
        return self._parameter(request, self.limit_query_param, 1, self.max_limit, self.default_limit or 50)

    def get_offset(self, request: Request) -> int:
        return self._parameter(request, self.offset_query_param, 0, self.max_offset, 0)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.limit_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page, 1 to {self.max_limit} (default {self.default_limit}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_limit},
            },
            {
                "name": self.offset_query_param,
                "required": False,
                "in": "query",
                "description": "The index of the first row to return (default 0).",
                "schema": {"type": "integer", "minimum": 0, "maximum": self.max_offset},
            },
        ]
