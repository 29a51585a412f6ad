"""Idempotent creation, the part without HTTP: the key's limits, the request fingerprint, the conflict,
and a generic store of keys for the domains that keep none of their own.

A client sends one key per record it creates and the same key on every retry. The creating service
remembers the key with the fingerprint of the request (unique per agency and operation); a retry with the
same fingerprint returns what the first request created, a different request with the same key is an
`IdempotencyConflict`, and a retry by a user who cannot see the record is a 404 (the key reveals nothing).
The HTTP side (the header, 409, the replay answer) is `qorgau.core.api.idempotency`.

- `KEY_MAX`: the longest key (64 characters).
- `fingerprint(payload) -> str`: the SHA-256 hex digest of a JSON-able mapping, keys sorted (other values
  are taken as `str()`): give it ids, not model instances, and normalise what a retrying client may write
  differently (a moment in UTC, a set as a sorted list).
- `IdempotencyConflict(message=None)`: the key was used for another request; the API's exception handler
  answers it 409 `{"idempotency_key": [message]}`.
- The store (`core.IdempotencyRecord`, keyed by the actor's agency, else the actor, the operation and the
  key; used by `cases`; `intake` keeps key and fingerprint on its `Signal`):
  - `once(*, actor, operation, key, payload, model, create) -> (obj, replayed)`: in one transaction,
    the record the key created earlier (replayed True), or `create()` (a service call) remembered under
    the key. For a service whose refusals must leave an audit row behind (a rollback would remove it),
    use the two halves inside the service instead:
  - `replay(*, actor, operation, key, fingerprint, model) -> obj | None`: the record of an earlier use of
    the key (audited as "idempotency.replay"), None for a new key; raises `IdempotencyConflict` or
    `Http404`.
  - `remember(*, actor, operation, key, fingerprint, obj) -> None`: store the key for `obj`, inside the
    transaction that created it; a concurrent request with the same key makes it raise `IntegrityError`
    (roll back and call `replay`).
  `operation` names what is created ("cases.open_case"); `key=None` or "" means no key: `once` just
  calls `create()`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .audit import record
from .models import IdempotencyRecord, User

KEY_MAX = 64
CONFLICT = _("This idempotency key was already used for a different request.")


def fingerprint(payload: Mapping[str, Any]) -> str:
    """The fingerprint of a request: equal for equal payloads, whatever the order of their keys."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


class IdempotencyConflict(Exception):
    """The idempotency key was used for a different request."""

    def __init__(self, message: Any = None) -> None:
        self.message = CONFLICT if message is None else message
        super().__init__(str(self.message))


def _clean(key: str | None) -> str | None:
    key = (key or "").strip() or None
    if key is not None and len(key) > KEY_MAX:
        raise ValidationError(
            {"idempotency_key": _("The idempotency key is at most %(n)d characters.") % {"n": KEY_MAX}}
        )
    return key


def _rows(actor: User, operation: str, key: str) -> models.QuerySet[IdempotencyRecord]:
    rows = IdempotencyRecord.objects.filter(operation=operation, key=key)
    if actor.agency_id is not None:
        return rows.filter(agency=actor.agency_id)
    return rows.filter(agency__isnull=True, created_by=actor.pk)


def replay[M: models.Model](
    *, actor: User, operation: str, key: str | None, fingerprint: str, model: type[M]
) -> M | None:
    """What an earlier request with this key created, or None when the key is new (see the module)."""
    key = _clean(key)
    if key is None:
        return None
    row = _rows(actor, operation, key).first()
    if row is None:
        return None
    if row.fingerprint != fingerprint:
        raise IdempotencyConflict()
    obj = model.objects.visible_to(actor, "view").filter(pk=row.object_id).first()  # type: ignore[attr-defined]
    if obj is None or row.content_type_id != ContentType.objects.get_for_model(model).pk:
        # Another user's key, or a record since moved out of reach: as if it did not exist.
        raise Http404
    record(actor=actor, action="idempotency.replay", obj=obj, changes={"operation": operation})
    return obj


def remember(*, actor: User, operation: str, key: str | None, fingerprint: str, obj: models.Model) -> None:
    """Store the key for `obj` (call it inside the transaction that created `obj`)."""
    key = _clean(key)
    if key is None:
        return
    IdempotencyRecord.objects.create(
        agency_id=actor.agency_id,
        operation=operation,
        key=key,
        fingerprint=fingerprint,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        created_by=actor,
    )


def once[M: models.Model](
    *,
    actor: User,
    operation: str,
    key: str | None,
    payload: Mapping[str, Any],
    model: type[M],
    create: Callable[[], M],
) -> tuple[M, bool]:
    """`create()` once per key: (the record, False), or on a retry (the earlier record, True)."""
    if _clean(key) is None:
        return create(), False
    print_ = fingerprint(payload)
    for attempt in range(2):
        try:
            with transaction.atomic():
                earlier = replay(actor=actor, operation=operation, key=key, fingerprint=print_, model=model)
                if earlier is not None:
                    return earlier, True
                obj = create()
                remember(actor=actor, operation=operation, key=key, fingerprint=print_, obj=obj)
                return obj, False
        except IntegrityError:
            # A concurrent request with the same key committed first: answer as its retry.
            if attempt or not _rows(actor, operation, str(_clean(key))).exists():
                raise
    raise AssertionError("unreachable")  # pragma: no cover
