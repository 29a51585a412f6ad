"""The strict input fields take JSON types and lengths exactly as the schema states them."""

from __future__ import annotations

import pytest
from rest_framework import serializers

from qorgau.core.api.fields import StrictCharField


class Reason(serializers.Serializer):
    reason = StrictCharField(max_length=5, allow_blank=True)


@pytest.mark.parametrize(
    ("sent", "valid"),
    [
        ("abcde", True),
        ("  abc  ", False),  # 7 characters as sent: the schema's maxLength counts them all
        ("abcde\n", False),
        ("abc\n", True),
        (" ", True),
        (5, False),
        (1.5, False),
    ],
)
def test_length_and_type_are_checked_on_what_was_sent(sent: object, valid: bool) -> None:
    form = Reason(data={"reason": sent})
    assert form.is_valid() is valid, form.errors
    if not valid:
        assert "reason" in form.errors


def test_trimming_still_applies_to_what_is_kept() -> None:
    form = Reason(data={"reason": " ab\n"})
    assert form.is_valid()
    assert form.validated_data["reason"] == "ab"


def test_the_length_error_names_the_limit() -> None:
    form = Reason(data={"reason": "abcdef"})
    assert not form.is_valid()
    assert "5" in str(form.errors["reason"][0])
