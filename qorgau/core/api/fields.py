"""Serializer fields and bases for API input that take JSON types as the schema states them."""

from __future__ import annotations

from typing import Any

from django.db import models
from rest_framework import serializers


class StrictCharField(serializers.CharField):
    """A string, and only a string: DRF's CharField turns `0` or `1.5` into "0" and "1.5", while the
    schema says `type: string`. A client that sends a number has a bug it should hear about.

    The length limits are checked on the string as sent, which is what the schema's maxLength
    describes: DRF trims surrounding whitespace first and would accept 4,001 characters of which one is
    a trailing newline under a 4,000 limit."""

    def run_validation(self, data: Any = serializers.empty) -> Any:
        if isinstance(data, str) and self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().run_validation(data)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return str(super().to_internal_value(data))


class InputModelSerializer(serializers.ModelSerializer):
    """A model serializer whose generated text fields are strict strings (StrictCharField)."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
    }
