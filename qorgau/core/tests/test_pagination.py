import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qorgau.core.pagination import IdFirstPaginator
from qorgau.core.testing import Personas
from qorgau.people.models import Person
from qorgau.people.tests.factories import PersonFactory


@pytest.mark.django_db
def test_pages_hold_the_same_rows_in_the_same_order_as_the_plain_paginator(personas: Personas) -> None:
    PersonFactory.create_batch(22, agency=personas.astana_police, region=personas.astana)
    queryset = Person.objects.select_related("region").order_by("surname", "-id")
    plain, id_first = Paginator(queryset, 5, orphans=2), IdFirstPaginator(queryset, 5, orphans=2)
    assert id_first.num_pages == plain.num_pages == 4
    for number in plain.page_range:
        assert [p.pk for p in id_first.page(number)] == [p.pk for p in plain.page(number)]
    assert len(id_first.page(4)) == 7  # the two orphans join the last page


@pytest.mark.django_db
def test_a_page_costs_the_same_queries_whatever_the_page_size(personas: Personas) -> None:
    PersonFactory.create_batch(30, agency=personas.astana_police, region=personas.astana)
    queryset = Person.objects.select_related("region", "district").order_by("surname", "id")

    def queries(per_page: int) -> int:
        paginator = IdFirstPaginator(queryset, per_page)
        paginator.count  # noqa: B018
        with CaptureQueriesContext(connection) as ctx:
            [(p.region.name, p.district) for p in paginator.page(1)]
        return len(ctx.captured_queries)

    assert queries(3) == queries(30) == 2
