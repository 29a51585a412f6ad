from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from qorgau.core.testing import Personas

from .factories import InsightsWorld, make_insights_world


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def iw(personas: Personas) -> InsightsWorld:
    return make_insights_world(personas)
