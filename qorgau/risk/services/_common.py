"""Checks the risk services share: the action, the record in scope, the visibility re-check."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from qorgau.core.permissions import has_action


def require(actor: Any, action: str) -> None:
    if not has_action(actor, action):
        raise PermissionDenied(f"{action} is not granted.")


def locked_visible[M: models.Model](model: type[M], obj: M, actor: Any, action: str) -> M:
    """`obj` re-read and locked, if `actor` may `action` it by their own scope; else "not there"."""
    visible = model.objects.visible_to(actor, action, grants=False)  # type: ignore[attr-defined]
    if not visible.filter(pk=obj.pk).exists():
        raise PermissionDenied("Not found.")
    return model.objects.select_for_update().get(pk=obj.pk)  # type: ignore[attr-defined]


def ensure_still_visible(model: type[models.Model], obj: models.Model, actor: Any) -> None:
    """After a write, inside the transaction: the actor must still see what they saved, or it rolls back."""
    if not model.objects.visible_to(actor, "view").filter(pk=obj.pk).exists():  # type: ignore[attr-defined]
        raise PermissionDenied("The saved record would be outside your scope.")


def raise_if(errors: dict[str, Any]) -> None:
    if errors:
        raise ValidationError(errors)


def text(value: Any) -> str:
    return (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
