"""Idempotent creation, the part without HTTP: the key's limits, the request fingerprint, the conflict.

A client sends one key per record it creates and the same key on every retry. The service that creates
stores the key and the fingerprint of the request that used it (unique per agency and operation); a retry
with the same fingerprint returns what the first request created, a different request with the same key
is an `IdempotencyConflict`. The HTTP side (the header, 409, the replay answer) is
`qorgau.core.api.idempotency`; see its docstring for the whole interface.

- `KEY_MAX`: the longest key (64 characters).
- `fingerprint(payload)`: the SHA-256 hex digest of a JSON-able mapping, keys sorted (values not JSON
  types are taken as `str()`): give it ids, not model instances, and normalise what a retrying client may
  write differently (a moment in UTC, a set as a sorted list).
- `IdempotencyConflict(message)`: raised by services and flows when the key was used for another request;
  the API's exception handler answers it 409 `{"idempotency_key": [message]}`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

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
