from collections.abc import Iterator

import pytest
from django.utils import translation

from qorgau.core.testing import Personas

from .factories import FacilityWorld, make_facility_world


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def fw(personas: Personas) -> FacilityWorld:
    return make_facility_world(personas)
