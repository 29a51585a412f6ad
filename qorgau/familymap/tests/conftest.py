from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.FAMILYMAP_DIR = tmp_path / "familymap"
    settings.FAMILYMAP_INPUTS = tmp_path / "familymap" / "inputs"
