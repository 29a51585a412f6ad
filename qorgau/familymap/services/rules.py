"""Rule sets: a draft is made, edited, dry-run and published; published rules never change again."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau.core.audit import record

from ..engine.rules import RuleSetError, default_document, parse
from ..models import RuleSet, RuleSetFrozen, RuleSetStatus
from ._common import require

ACTION = "familymap.rules"


def check_document(document: Any) -> None:
    """ValidationError on `document` with every problem the engine finds in it."""
    if not isinstance(document, dict):
        raise ValidationError({"document": _("The rules must be a JSON object.")})
    try:
        parse(document)
    except RuleSetError as error:
        raise ValidationError({"document": error.problems}) from error


def _next_version() -> int:
    return (RuleSet.objects.aggregate(v=Max("version"))["v"] or 0) + 1


@transaction.atomic
def do_create_draft(
    *,
    actor: Any,
    name: str,
    document: dict[str, Any] | None = None,
    based_on: RuleSet | None = None,
    notes: str = "",
) -> RuleSet:
    """A new draft: the given rules, else a copy of `based_on`'s, else the shipped default."""
    require(actor, ACTION)
    if document is None:
        document = dict(based_on.document) if based_on else default_document()
    check_document(document)
    rule_set = RuleSet.objects.create(
        version=_next_version(),
        name=name,
        document=document,
        notes=notes,
        based_on=based_on,
        created_by=actor,
    )
    record(
        actor=actor,
        action="familymap_ruleset.add",
        obj=rule_set,
        changes={
            "version": [None, rule_set.version],
            "based_on": [None, based_on.version if based_on else None],
        },
    )
    return rule_set


@transaction.atomic
def do_update_draft(
    *, actor: Any, rule_set: RuleSet, document: dict[str, Any], name: str | None = None
) -> RuleSet:
    require(actor, ACTION)
    rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    if not rule_set.is_draft:
        raise RuleSetFrozen(_("A published rule set never changes: make a new draft from it."))
    check_document(document)
    rule_set.document = document
    if name:
        rule_set.name = name
    rule_set.save()
    record(actor=actor, action="familymap_ruleset.change", obj=rule_set, changes={"document": "changed"})
    return rule_set


@transaction.atomic
def do_publish(*, actor: Any, rule_set: RuleSet) -> RuleSet:
    """Publish a draft: the refreshes from now on use it; the one published before is retired."""
    require(actor, ACTION)
    rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    if not rule_set.is_draft:
        raise RuleSetFrozen(_("Only a draft can be published."))
    check_document(rule_set.document)
    now = timezone.now()
    for old in RuleSet.objects.select_for_update().filter(status=RuleSetStatus.PUBLISHED):
        old.status, old.retired_at = RuleSetStatus.RETIRED, now
        old.save(update_fields=["status", "retired_at"])
        record(
            actor=actor,
            action="familymap_ruleset.retire",
            obj=old,
            changes={"status": [RuleSetStatus.PUBLISHED, RuleSetStatus.RETIRED]},
        )
    rule_set.status, rule_set.published_at, rule_set.published_by = RuleSetStatus.PUBLISHED, now, actor
    rule_set.save(update_fields=["status", "published_at", "published_by"])
    record(
        actor=actor,
        action="familymap_ruleset.publish",
        obj=rule_set,
        changes={"status": [RuleSetStatus.DRAFT, RuleSetStatus.PUBLISHED]},
    )
    return rule_set


def published() -> RuleSet | None:
    return RuleSet.objects.filter(status=RuleSetStatus.PUBLISHED).first()
