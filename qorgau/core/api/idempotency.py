"""The `Idempotency-Key` header of creating API operations, shared by every domain.

A creating operation (register a signal, open a case, refer a case ...) requires the header: the client
makes one key per record (a UUID) and sends it again on every retry of that request. The service stores
the key with the request's fingerprint (`qorgau.core.idempotency`), unique per agency:

- the first request answers 201 with the record;
- a retry (same key, same request) answers 200 with the record created earlier and the header
  `Idempotent-Replayed: true`, creating nothing;
- the same key with a different request answers 409 `{"idempotency_key": [message]}`;
- a retry by a user who cannot see the record answers 404 (the key reveals nothing);
- a missing or malformed key answers 400 `{"idempotency_key": [message]}`.

Interface (all that a viewset needs):

    from qorgau.core.api import idempotency

    @extend_schema(parameters=idempotency.parameters("case"), responses={201: S, 200: S, 409: ...})
    def create(self, request):
        key = idempotency.key_from(request)                        # 400 when missing or malformed
        case = do_open_case(actor=request.user, idempotency_key=key, **data)
        return idempotency.respond(S(case).data, replayed=case.idempotent_replay)

The service keeps the key: with `qorgau.core.idempotency.once` (the generic store, see that module;
`cases.services.do_open_case`, `do_refer_case`) or on its own model (`intake` on `Signal`). It raises
`IdempotencyConflict` (409) and `Http404` (another user's record) itself.

- `HEADER`, `REPLAYED_HEADER`, `KEY_RE` (visible ASCII, 1 to `KEY_MAX` characters).
- `key_from(request, *, missing=None) -> str`: the stripped key, or a DRF 400 with `missing` (default: a
  generic message) when absent, and the fixed format message when malformed.
- `respond(data, *, replayed) -> Response`: 201, or 200 with `Idempotent-Replayed: true`.
- `KeyReused(message=None)`: the 409 as a DRF exception, for a viewset that catches its own conflicts.
  Services and flows raise `qorgau.core.idempotency.IdempotencyConflict` instead; the API's exception
  handler (core/api/exceptions.py) answers it with the same 409.
- `parameters(noun, *, key_description=None, replayed_description=None)`: the two OpenAPI header
  parameters for `extend_schema(parameters=...)`.
- Re-exported from `qorgau.core.idempotency`: `KEY_MAX`, `fingerprint`, `IdempotencyConflict`.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

from qorgau.core.idempotency import CONFLICT, KEY_MAX, IdempotencyConflict, fingerprint

__all__ = [
    "HEADER",
    "KEY_MAX",
    "KEY_RE",
    "REPLAYED_HEADER",
    "IdempotencyConflict",
    "KeyReused",
    "fingerprint",
    "key_from",
    "parameters",
    "respond",
]

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
# Visible ASCII only: the key travels in a header and is stored and compared as given.
KEY_RE = re.compile(rf"^[\x21-\x7e]{{1,{KEY_MAX}}}$")

MISSING = _(
    "Send an Idempotency-Key header (e.g. a UUID made once per record and reused on every retry), so "
    "that a retried request never creates the record twice."
)


class KeyReused(APIException):
    """409: the idempotency key was already used for a different request."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = CONFLICT
    default_code = "idempotency_conflict"

    def __init__(self, message: Any = None) -> None:
        super().__init__({"idempotency_key": [self.default_detail if message is None else message]})


def key_from(request: Request, *, missing: Any = None) -> str:
    """The request's idempotency key; a 400 with field `idempotency_key` when missing or malformed."""
    key = (request.headers.get(HEADER) or "").strip()
    if not key:
        raise serializers.ValidationError({"idempotency_key": [MISSING if missing is None else missing]})
    if not KEY_RE.match(key):
        raise serializers.ValidationError(
            {
                "idempotency_key": [
                    _("The Idempotency-Key is 1 to %(n)d visible ASCII characters.") % {"n": KEY_MAX}
                ]
            }
        )
    return key


def respond(data: Any, *, replayed: bool) -> Response:
    """201 with `data`, or for a retry 200 with `data` and `Idempotent-Replayed: true`."""
    if replayed:
        return Response(data, status=status.HTTP_200_OK, headers={REPLAYED_HEADER: "true"})
    return Response(data, status=status.HTTP_201_CREATED)


def parameters(
    noun: str, *, key_description: str | None = None, replayed_description: str | None = None
) -> list[OpenApiParameter]:
    """The request header and the replay response header, as OpenAPI parameters."""
    return [
        OpenApiParameter(
            HEADER,
            OpenApiTypes.STR,
            OpenApiParameter.HEADER,
            required=True,
            pattern=KEY_RE.pattern,
            description=key_description
            or (
                f"1 to {KEY_MAX} visible ASCII characters, unique per {noun}, the same on every retry "
                "(a UUID is a good key)."
            ),
        ),
        OpenApiParameter(
            REPLAYED_HEADER,
            OpenApiTypes.STR,
            OpenApiParameter.HEADER,
            response=[200],
            enum=["true"],
            description=replayed_description
            or f"Present on a retry: the {noun} was created by an earlier request.",
        ),
    ]
