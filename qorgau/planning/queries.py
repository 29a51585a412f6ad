"""Reads of the planning app (its own tables: demand points and scenarios, scoped by region)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from qorgau.core.permissions import has_action, in_scope

from .models import Scenario


def scenarios(user: Any) -> QuerySet[Scenario]:
    """The scenarios of the regions of the user's scope, newest first."""
    if not has_action(user, "planning.view"):
        return Scenario.objects.none()
    rows = Scenario.objects.select_related("region", "created_by")
    return in_scope(rows, Scenario.scope_paths, user)
