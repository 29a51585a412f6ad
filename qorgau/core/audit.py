"""Writing the audit log. Services call `record()` inside their transaction; views never write it directly."""

from __future__ import annotations

from typing import Any

from django.db import models

from .middleware import current_request_context
from .models import Agency, AuditEvent, Region, User
from .permissions import ScopePaths


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


def audit_repr(obj: models.Model) -> str:
    """How the audit log names an object: never a person's name.

    Tables of personal data (those with scope paths) name their rows by `audit_label` (a code such as a
    registration number) or by table and id; platform tables (agencies, roles, rules) by `str()`.
    """
    label = getattr(obj, "audit_label", None)
    if label:
        return str(label)
    if _scope_paths(obj) is not None:
        return f"{obj._meta.label_lower}#{obj.pk}"
    return str(obj)


def _scope_paths(obj: Any) -> ScopePaths | None:
    paths = getattr(type(obj), "scope", None)
    return paths if isinstance(paths, ScopePaths) else None


def _follow(obj: Any, path: str) -> Any:
    """The id at the end of an ORM path (`signal__agency` -> obj.signal.agency_id), or None."""
    *relations, last = path.split("__")
    for name in relations:
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def owner_of(obj: models.Model | None) -> tuple[int | None, int | None]:
    """(agency id, region id) that own `obj` by its scope paths, for the owner's auditor."""
    paths = _scope_paths(obj) if obj is not None else None
    if paths is None:
        return None, None
    agency = next((a for a in (_follow(obj, p) for p in paths.agency_paths) if a), None)
    region = next((r for r in (_follow(obj, p) for p in paths.region_paths) if r), None)
    return agency, region


# Keys whose values would identify a person: `changes` may only say that they changed (people/services.py
# `_audit_changes`). A value slipping in is a programming error, refused before it is written for good.
IDENTIFYING_KEYS = frozenset(
    {
        "iin",
        "surname",
        "given_name",
        "patronymic",
        "surname_latin",
        "given_name_latin",
        "patronymic_latin",
        "birth_date",
        "phone",
        "address",
        "account",
    }
)


def check_name_free(changes: dict[str, Any]) -> None:
    """Raise ValueError when `changes` holds a value of an identifying key (anything but "changed")."""
    leaked = sorted(k for k, v in changes.items() if k in IDENTIFYING_KEYS and v not in ("changed", None))
    if leaked:
        raise ValueError(f"identifying values in audit changes: {', '.join(leaked)} (record 'changed')")


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
    subject: models.Model | None = None,
    agency: Agency | int | None = None,
    region: Region | int | None = None,
) -> AuditEvent:
    """Append one audit event. `action` is dotted: 'person.view', 'person.change', 'auth.login_failed'.

    `changes` holds old and new values (see `diff`), never an IIN, a name or other identifying value in
    clear (the log is append-only and kept past the records' retention, so it must not hold them).
    The owner of `obj` (or of `subject`, when the row is about a record given by type and id) is stored
    so that the owning agency's and region's auditors see the row; `agency` and `region` name the owner
    where there is no object (a failed login names the account's agency).
    """
    check_name_free(changes or {})
    ctx = current_request_context()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    owner_agency, owner_region = owner_of(subject if subject is not None else obj)
    agency_id: int | None = (agency.pk if isinstance(agency, Agency) else agency) or owner_agency
    region_id: int | None = (region.pk if isinstance(region, Region) else region) or owner_region
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_username=(actor.get_username() if actor is not None and actor.pk else username)[:150],
        actor_agency_id=getattr(actor, "agency_id", None),
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        object_repr=(audit_repr(obj) if obj is not None else "")[:200],
        subject_agency_id=agency_id,
        subject_region_id=region_id,
        changes=_jsonable(changes or {}),
        reason=reason,
        ip=ctx.ip if ctx else None,
        request_id=ctx.request_id if ctx else "",
    )
