"""Scope cases of every cases route (see qorgau/core/testing_matrix.py): the API's in matrix_api.py."""

from __future__ import annotations

from .matrix_api import CASES as API_CASES

CASES = [*API_CASES]
