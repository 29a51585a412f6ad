"""Rules as versioned data: an effective period on every rule row, and the one way to add a version.

A rule row (a legal rule set, a time limit, the longest consent) has an effective period
[effective_from, effective_to): `effective_to` is exclusive and empty while the rule is in force. A
decision stores the row it applied, so a later change of the law never rewrites an earlier decision's
reasons. Rows are never edited once saved: the next law is a new version, which

- starts on a day not before today (decisions already taken keep their version) and after the start of
  the version in force, which is ended on the day the new one starts (`add_version`);
- may be withdrawn while it has not taken effect and no row points to it; the version before it then
  applies again without an end (`withdraw_version`).

Only system administrators maintain rules (`require_rules_admin`). The database refuses overlapping
periods whatever the caller: each rule table's migration adds an exclusion constraint on PostgreSQL and
triggers on SQLite (intake/migrations/0004_rule_periods_never_overlap.py is the pattern; migrations are
frozen, so each carries its own SQL).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import ForeignObjectRel, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .administrators import is_system_administrator
from .audit import record


def as_local_date(at: dt.datetime | dt.date) -> dt.date:
    """The calendar day (Asia/Almaty) on which a moment falls; rules take effect on whole days."""
    if isinstance(at, dt.datetime):
        return timezone.localdate(at) if timezone.is_aware(at) else at.date()
    return at


class EffectiveQuerySet(models.QuerySet):
    def effective_on(self, at: dt.datetime | dt.date) -> EffectiveQuerySet:
        day = as_local_date(at)
        return self.filter(effective_from__lte=day).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gt=day)
        )


class EffectivePeriod(models.Model):
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(
        _("effective until"),
        null=True,
        blank=True,
        help_text=_("The first day on which the rule no longer applies; empty while it is in force."),
    )
    confirmed = models.BooleanField(
        _("confirmed against the law"),
        default=False,
        help_text=_("Unconfirmed values are configurable defaults awaiting legal confirmation."),
    )
    source = models.CharField(_("legal source"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = EffectiveQuerySet.as_manager()

    class Meta:
        abstract = True

    def version_group(self) -> dict[str, Any]:
        """The fields whose rows are versions of one rule (their periods must not overlap)."""
        raise NotImplementedError

    def version_label(self) -> str:
        """How the audit log names this version (never personal data)."""
        return f"{self.effective_from.isoformat()}"

    def clean(self) -> None:
        super().clean()
        if self.effective_to is not None and self.effective_from and self.effective_to <= self.effective_from:
            raise ValidationError({"effective_to": _("The end must be after the start.")})
        if not self.effective_from:
            return
        overlapping = (
            type(self)
            .objects.filter(**self.version_group())
            .exclude(pk=self.pk)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=self.effective_from))
        )
        if self.effective_to is not None:
            overlapping = overlapping.filter(effective_from__lt=self.effective_to)
        if overlapping.exists():
            raise ValidationError(
                {"effective_from": _("This period overlaps another version; end that version first.")}
            )


# --- maintaining versions -------------------------------------------------------------------------------


def require_rules_admin(actor: Any) -> None:
    if not is_system_administrator(actor):
        raise PermissionDenied("Only system administrators maintain rules.")


def latest_version[E: EffectivePeriod](
    model: type[E], group: dict[str, Any], *, lock: bool = False
) -> E | None:
    """The open-ended (latest) version of a rule, the one a new version follows; `lock` holds its row."""
    versions = model.objects.select_for_update() if lock else model.objects.all()
    return versions.filter(**group, effective_to__isnull=True).order_by("-effective_from").first()


def check_start(errors: dict[str, Any], current: EffectivePeriod | None, start: Any) -> None:
    """Add an `effective_from` error when `start` may not begin a new version after `current`."""
    if not isinstance(start, dt.date):
        errors["effective_from"] = _("Enter the first day on which the new version applies.")
        return
    if start < timezone.localdate():
        errors["effective_from"] = _(
            "A new version cannot start in the past: decisions taken since then applied the version in force."
        )
    elif current is not None and start <= current.effective_from:
        errors["effective_from"] = _(
            "The new version must start after the version in force (from %(day)s)."
        ) % {"day": current.effective_from.isoformat()}


def add_version[E: EffectivePeriod](
    *, actor: Any, version: E, current: E | None, changes: dict[str, Any] | None = None
) -> E:
    """Save `version` (validated by the caller) after `current`, which ends the day it starts; audited as
    `<model>.add`. Call inside the caller's transaction, with `current` from `latest_version(lock=True)`."""
    try:
        with transaction.atomic():
            if current is not None:
                current.effective_to = version.effective_from
                current.save(update_fields=["effective_to"])
            version.save()
    except IntegrityError as exc:  # another administrator saved a version meanwhile; the database refused
        raise ValidationError(
            {"effective_from": _("Another version was saved for this period meanwhile; reload, try again.")}
        ) from exc
    record(
        actor=actor,
        action=f"{version._meta.model_name}.add",
        obj=version,
        changes={
            "effective_from": version.effective_from.isoformat(),
            "follows": current.version_label() if current is not None else None,
            **(changes or {}),
        },
    )
    return version


def is_used(version: EffectivePeriod, *, ignore: tuple[type[models.Model], ...] = ()) -> bool:
    """True when a row of another model points to `version` (a signal's deadline, a decision), other than
    the models in `ignore` (a rule set's own rules)."""
    for relation in type(version)._meta.get_fields(include_hidden=True):
        if not isinstance(relation, ForeignObjectRel) or relation.related_model in ignore:
            continue
        pointing = relation.related_model
        if pointing._default_manager.filter(**{relation.field.name: version}).exists():
            return True
    return False


@transaction.atomic
def withdraw_version(
    *, actor: Any, version: EffectivePeriod, reason: str, parts: tuple[type[models.Model], ...] = ()
) -> None:
    """Withdraw a version that has not yet taken effect and that nothing used (rows of `parts`, the
    version's own parts, are deleted with it); the one before it applies again without an end. A version
    already in force is ended by a new version, never withdrawn."""
    require_rules_admin(actor)
    model = type(version)
    version = model.objects.select_for_update().get(pk=version.pk)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the version is withdrawn.")})
    if version.effective_from <= timezone.localdate():
        raise ValidationError({"effective_from": _("This version is in force already: add a new one.")})
    if is_used(version, ignore=parts):
        raise ValidationError({"effective_from": _("Decisions already used this version.")})
    group = version.version_group()
    previous = (
        model.objects.select_for_update()
        .filter(**group, effective_to=version.effective_from)
        .exclude(pk=version.pk)
        .first()
    )
    record(
        actor=actor,
        action=f"{model._meta.model_name}.withdraw",
        obj=version,
        changes={"version": version.version_label(), "reason": reason.strip()},
    )
    for part in parts:
        for relation in model._meta.get_fields():
            if isinstance(relation, ForeignObjectRel) and relation.related_model is part:
                part._default_manager.filter(**{relation.field.name: version}).delete()
    version.delete()
    later = model.objects.filter(**group).exclude(pk=version.pk)
    if previous is not None and not later.filter(effective_from__gt=previous.effective_from).exists():
        previous.effective_to = None
        previous.save(update_fields=["effective_to"])
