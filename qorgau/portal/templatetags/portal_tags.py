from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


@register.filter
def low(fit: Any, name: str) -> float:
    return float(fit.interval(name)[0])


@register.filter
def high(fit: Any, name: str) -> float:
    return float(fit.interval(name)[1])


@register.filter
def series_rows(evaluation: Any) -> list[tuple[str, str, Any]]:
    return [
        ("region", _("Signals in the region"), evaluation.region),
        ("hotline", _("Calls to 111 recorded as signals"), evaluation.hotline),
        ("comparison", _("Comparison regions"), evaluation.comparison),
    ]
