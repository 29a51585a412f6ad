"""Checks the family map's services share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied


def require(actor: Any, action: str) -> None:
    if not actor.can(action):
        raise PermissionDenied(action)


def data_dir() -> Path:
    """Where runs keep their directories (settings.FAMILYMAP_DIR, var/familymap by default)."""
    return Path(getattr(settings, "FAMILYMAP_DIR", settings.VAR_DIR / "familymap"))


def inputs_dir() -> Path:
    """Where the registry extracts of the next refresh are (settings.FAMILYMAP_INPUTS)."""
    return Path(getattr(settings, "FAMILYMAP_INPUTS", data_dir() / "inputs"))
