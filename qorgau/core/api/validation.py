"""Input checks that hold for every API call, applied once in the base viewset (not per field)."""

from __future__ import annotations

from typing import Any

from django.core.validators import ProhibitNullCharactersValidator
from rest_framework import serializers
from rest_framework.request import Request

NUL = "\x00"


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_has_nul(v) for v in value)
    return False


def reject_malformed_input(request: Request) -> None:
    """400 for a NUL character anywhere in the query string or the body, and for an empty query parameter.

    PostgreSQL text cannot hold NUL: a NUL that reached a lookup (a filter, a slug field such as a region
    code) raised a DataError, i.e. a 500, on PostgreSQL while SQLite answered normally. An empty parameter
    (`?district=`) used to be ignored as if absent, so a client's typo widened the list it got.
    """
    message = ProhibitNullCharactersValidator.message
    for name, values in request.query_params.lists():
        if _has_nul(name) or _has_nul(values):
            raise serializers.ValidationError({name.replace(NUL, "") or "query": [message]})
        if any(value == "" for value in values):
            raise serializers.ValidationError({name: [serializers.CharField.default_error_messages["blank"]]})
    data = request.data
    if hasattr(data, "lists"):  # form and multipart bodies
        data = dict(data.lists())
    if _has_nul(data):
        raise serializers.ValidationError({"non_field_errors": [message]})
