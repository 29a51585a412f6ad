from collections.abc import Iterator

import pytest
from django.utils import translation

from qorgau.core.testing import Personas

from .factories import RiskWorld, load_dash_default, make_world


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    # Messages are asserted in English; the default UI language is Russian.
    with translation.override("en"):
        yield


@pytest.fixture
def world(personas: Personas) -> RiskWorld:
    return make_world(personas)


@pytest.fixture(autouse=True)
def _dash_default(request: pytest.FixtureRequest) -> None:
    # After a transactional test elsewhere (PostgreSQL races) the migration's rows are gone: restore them.
    if "django_db" in request.keywords:
        request.getfixturevalue("db")
        load_dash_default()
