from collections.abc import Iterator

import pytest
from django.utils import translation

from qorgau.core.testing import Personas

from .factories import RiskWorld, make_world


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    # Messages are asserted in English; the default UI language is Russian.
    with translation.override("en"):
        yield


@pytest.fixture
def world(personas: Personas) -> RiskWorld:
    return make_world(personas)
