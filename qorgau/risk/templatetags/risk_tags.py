"""{% level assessment %}: the assessment's risk level as a badge, in the page's language."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def level(assessment: Any, code: str | None = None) -> SafeString:
    code = assessment.final_band if code is None else code
    label = assessment.band_label(code) if code else ""
    return SafeString(render_to_string("risk/includes/level.html", {"code": code, "label": label}))


@register.filter
def criteria_titles(codes: list[str]) -> str:
    from ..services.criteria import titles

    return titles(codes or [])
