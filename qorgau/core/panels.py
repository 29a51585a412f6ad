"""Panels that one app adds to another app's detail page, without the page's app importing it.

The person page lists the person's signals, orders and outcomes, but `people` sits below `intake` and
never imports it: `intake` declares a panel for `people.Person` in its registry.py (`Domain(panels=...)`,
collected by core.domains), and the person page renders every panel declared for its model that the
user's role allows::

    from qorgau.core.panels import Panel

    DOMAIN = Domain(
        panels=[
            Panel(
                "people.person",
                "intake-history",
                template="intake/includes/person_panel.html",
                action="intake.view",
                context=lambda user, person: {"history": person_history(user, person)},
                order=10,
            )
        ],
        ...
    )

The context function reads through `visible_to(user)` like any other read: a panel shows only what the
user's scope holds. Returning None hides the panel for that object.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

from .domains import collected
from .permissions import has_action


@dataclass(frozen=True)
class Panel:
    """A panel on the detail page of `model` ("app_label.modelname"); `key` is unique per model."""

    model: str
    key: str
    template: str
    action: str
    context: Callable[[Any, Any], dict[str, Any] | None]
    order: int = 100


@dataclass(frozen=True)
class RenderedPanel:
    key: str
    template: str
    context: dict[str, Any]


def panels_for(user: Any, obj: models.Model) -> list[RenderedPanel]:
    """The panels of `obj`'s detail page that `user` may see, in order, with their context computed."""
    panels = sorted(
        (panel for panel in collected().panels if panel.model.lower() == obj._meta.label_lower),
        key=lambda p: (p.order, p.key),
    )
    rendered = []
    for panel in panels:
        if not has_action(user, panel.action):
            continue
        context = panel.context(user, obj)
        if context is not None:
            rendered.append(RenderedPanel(panel.key, panel.template, context))
    return rendered
