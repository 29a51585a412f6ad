"""The shipped standard rules as rule set v1 (migration 0002 does the same on a new database; this is for
a database emptied since, as the browser tests' flush does)."""

from __future__ import annotations

from django.utils import timezone

from .engine.rules import default_document
from .models import RuleSet, RuleSetStatus


def ensure_default_rule_set() -> RuleSet:
    """The published rule set; v1 from engine/rules/default.json when there is no rule set at all."""
    found = RuleSet.objects.filter(status=RuleSetStatus.PUBLISHED).first()
    if found:
        return found
    document = default_document()
    return RuleSet.objects.create(
        version=1,
        name=document.get("name", "Standard rules"),
        status=RuleSetStatus.PUBLISHED,
        document=document,
        notes="Shipped with the application (engine/rules/default.json).",
        published_at=timezone.now(),
    )
