"""API errors as JSON with field messages, including validation errors and idempotency conflicts raised by
services (409, qorgau/core/api/idempotency.py)."""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from qorgau.core.idempotency import IdempotencyConflict
from qorgau.core.ratelimit import RateLimited

from .idempotency import KeyReused


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RateLimited):
        exc = exceptions.Throttled(wait=exc.retry_after, detail=exc.message)
    if isinstance(exc, IdempotencyConflict):
        exc = KeyReused(exc.message)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            messages = dict(exc.message_dict)
            if NON_FIELD_ERRORS in messages:
                messages["non_field_errors"] = messages.pop(NON_FIELD_ERRORS)
            exc = exceptions.ValidationError(messages)
        else:
            exc = exceptions.ValidationError({"non_field_errors": exc.messages})
    return drf_exception_handler(exc, context)
