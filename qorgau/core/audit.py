"""Writing the audit log. Services call `record()` inside their transaction; views never write it directly."""

from __future__ import annotations

from typing import Any

from django.db import models

from .middleware import current_request_context
from .models import AuditEvent, User


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{field: {"old": ..., "new": ...}} for the fields whose value changed."""
    return {
        key: {"old": _jsonable(old.get(key)), "new": _jsonable(new.get(key))}
        for key in sorted(set(old) | set(new))
        if _jsonable(old.get(key)) != _jsonable(new.get(key))
    }


def record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    changes: dict[str, Any] | None = None,
    reason: str = "",
    username: str = "",
) -> AuditEvent:
    """Append one audit event. `action` is dotted: 'person.view', 'person.change', 'auth.login_failed'.

    `changes` holds old and new values (see `diff`), never an IIN or other secret in clear.
    """
    ctx = current_request_context()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_username=(actor.get_username() if actor is not None and actor.pk else username)[:150],
        actor_agency_id=getattr(actor, "agency_id", None),
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        object_repr=(str(obj) if obj is not None else "")[:200],
        changes=_jsonable(changes or {}),
        reason=reason,
        ip=ctx.ip if ctx else None,
        request_id=ctx.request_id if ctx else "",
    )
