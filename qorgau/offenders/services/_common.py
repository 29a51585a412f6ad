"""Checks the offenders services share."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from qorgau.core.models import User
from qorgau.core.permissions import has_action
from qorgau.intake.models import PartyRole, Signal, SignalParty
from qorgau.people.models import Person


def require(actor: User, action: str) -> None:
    if not has_action(actor, action):
        raise PermissionDenied(f"{action} is not granted.")


def locked_visible[M: models.Model](model: type[M], obj: M, actor: User, action: str) -> M:
    """`obj` re-read and locked, if `actor` may `action` it by their own scope; else it looks absent."""
    rows = model.objects.visible_to(actor, action, grants=False)  # type: ignore[attr-defined]
    if not rows.filter(pk=obj.pk).exists():
        raise PermissionDenied("Not found.")
    return model.objects.select_for_update().get(pk=obj.pk)  # type: ignore[attr-defined]


def ensure_still_visible(model: type[models.Model], obj: models.Model, actor: User) -> None:
    if not model.objects.visible_to(actor, "view").filter(pk=obj.pk).exists():  # type: ignore[attr-defined]
        raise PermissionDenied("The saved record would be outside your scope.")


def raise_if(errors: dict[str, Any]) -> None:
    if errors:
        raise ValidationError(errors)


def visible_signal(actor: User, signal: Signal) -> Signal:
    if not Signal.objects.visible_to(actor, "view").filter(pk=signal.pk).exists():
        raise PermissionDenied("Not found.")
    return signal


def is_offender_of(signal: Signal, person: Person) -> bool:
    return SignalParty.objects.filter(signal=signal, person=person, role=PartyRole.OFFENDER).exists()
