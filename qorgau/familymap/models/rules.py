"""Rule sets of the family map: the standard rules as a versioned JSON document (engine/rules).

A rule set is a draft while methodologists work on it (edited freely, dry-run against the last linked
data), then published (the one in force: every refresh uses it, and it never changes again), then retired
when the next one is published. Not personal data: every holder of `familymap.view` reads them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleSetStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    RETIRED = "retired", _("retired")


class RuleSetFrozen(ValidationError):
    """A published or retired rule set was about to change: its rules never change after publication."""


# Of a published rule set only these may change, and only to retire it.
RETIRING_FIELDS = frozenset({"status", "retired_at"})
RULE_FIELDS = ("name", "document", "notes", "version", "based_on_id", "published_at", "published_by_id")


class RuleSet(models.Model):
    version = models.PositiveIntegerField(_("version"), unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=RuleSetStatus.choices, default=RuleSetStatus.DRAFT
    )
    document = models.JSONField(_("rules"), help_text=_("Indicators, k, level thresholds and overrides."))
    notes = models.TextField(_("notes"), blank=True)
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("based on")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
        help_text=_("Empty: shipped with the application (the default standard rules)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("family map rule set")
        verbose_name_plural = _("family map rule sets")
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="published"),
                name="familymap_one_published_rule_set",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(published_at__isnull=False),
                name="familymap_rule_set_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version} {self.name} ({self.get_status_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk:
            stored = RuleSet.objects.filter(pk=self.pk).values(*RULE_FIELDS, "status").first()
            if stored and stored["status"] != RuleSetStatus.DRAFT:
                changed = {f for f in RULE_FIELDS if stored[f] != getattr(self, f)}
                retiring = (
                    stored["status"] == RuleSetStatus.PUBLISHED and self.status == RuleSetStatus.RETIRED
                )
                if changed or (self.status != stored["status"] and not retiring):
                    raise RuleSetFrozen(_("A published rule set never changes: make a new draft from it."))
                update_fields = kwargs.get("update_fields")
                if update_fields is not None and not set(update_fields) <= RETIRING_FIELDS:
                    raise RuleSetFrozen(_("A published rule set never changes: make a new draft from it."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if RuleSet.objects.filter(pk=self.pk).exclude(status=RuleSetStatus.DRAFT).exists():
            raise RuleSetFrozen(_("A published rule set never changes: make a new draft from it."))
        return super().delete(*args, **kwargs)

    @property
    def audit_label(self) -> str:
        return f"v{self.version}"

    @property
    def is_draft(self) -> bool:
        return self.status == RuleSetStatus.DRAFT
