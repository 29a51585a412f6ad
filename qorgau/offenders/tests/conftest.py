from collections.abc import Iterator

import pytest
from django.utils import translation

from qorgau.core.testing import Personas

from .factories import OffenderWorld, make_offender_world


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def ow(personas: Personas) -> OffenderWorld:
    return make_offender_world(personas)
