"""Serializer fields and bases for API input that take JSON types as the schema states them."""

from __future__ import annotations

from typing import Any

from django.db import models
from rest_framework import serializers


class StrictCharField(serializers.CharField):
    """A string, and only a string: DRF's CharField turns `0` or `1.5` into "0" and "1.5", while the
    schema says `type: string`. A client that sends a number has a bug it should hear about."""

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
