"""Pagination for large registers."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


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
