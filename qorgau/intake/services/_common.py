"""Helpers every intake service shares: permission, scope and time checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.models import User
from qorgau.core.permissions import has_action

# A device clock a few minutes ahead of the server must not make a fresh report "in the future".
CLOCK_SKEW = dt.timedelta(minutes=5)


def require(actor: User, action: str) -> None:
    if not has_action(actor, action):
        raise PermissionDenied(f"{action} is not granted.")


def locked_visible[M: models.Model](model: type[M], obj: M, actor: User, action: str) -> M:
    """`obj` re-read and locked for update, if `actor` may `action` it; out of scope looks like absent."""
    if not model.objects.visible_to(actor, action).filter(pk=obj.pk).exists():  # type: ignore[attr-defined]
        raise PermissionDenied("Not found.")
    return model.objects.select_for_update().get(pk=obj.pk)  # type: ignore[attr-defined]


def ensure_still_visible(model: type[models.Model], obj: models.Model, actor: User) -> None:
    """After a write, inside the transaction: the actor must still see what they saved, or it rolls back."""
    if not model.objects.visible_to(actor, "view").filter(pk=obj.pk).exists():  # type: ignore[attr-defined]
        raise PermissionDenied("The saved record would be outside your scope.")


def check_moment(
    errors: dict[str, Any], field: str, value: Any, *, not_before: dt.datetime | None = None
) -> dt.datetime | None:
    """Validate an aware datetime that must not lie in the future (nor before `not_before`)."""
    if value is None:
        errors[field] = _("This field is required.")
        return None
    if not isinstance(value, dt.datetime) or timezone.is_naive(value):
        errors[field] = _("Enter a date and time with a time zone.")
        return None
    if value > timezone.now() + CLOCK_SKEW:
        errors[field] = _("This time cannot be in the future.")
    elif not_before is not None and value < not_before:
        errors[field] = _("This time cannot be before the signal was received.")
    return value


def raise_if(errors: dict[str, Any]) -> None:
    if errors:
        raise ValidationError(errors)
