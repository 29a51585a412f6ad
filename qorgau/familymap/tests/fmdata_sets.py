"""Synthetic input sets for the input and linkage tests, generated once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from qorgau.familymap.engine.generate import generate

_CACHE: dict[tuple[int, float], Path] = {}


def synthetic_set(factory: pytest.TempPathFactory, seed: int = 7, scale: float = 0.001) -> Path:
    """The directory of a generated set (do not modify it: copy with `copy_set`)."""
    key = (seed, scale)
    if key not in _CACHE:
        out = factory.mktemp(f"fm-set-{seed}")
        generate(seed, scale, out)
        _CACHE[key] = out
    return _CACHE[key]


def copy_set(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def rows(query: str) -> list[tuple[Any, ...]]:
    return duckdb.execute(query).fetchall()


def column_names(query: str) -> list[str]:
    description = duckdb.execute(query).description
    assert description is not None
    return [d[0] for d in description]
