"""Legal rules and time limits as versioned data (DOMAIN.md section 4).

Every rule row has an effective period [effective_from, effective_to) (`core.effective.EffectivePeriod`):
`effective_to` is exclusive and empty while the rule is in force. A decision stores the row (or rule-set
version) it applied, so that a later change of the law never rewrites the reasons of an earlier decision.
New versions are added by intake/services/rules.py, never by editing a row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Re-exported: intake.models and the services import them from here.
from qorgau.core.effective import EffectivePeriod as EffectivePeriod
from qorgau.core.effective import EffectiveQuerySet as EffectiveQuerySet
from qorgau.core.effective import as_local_date as as_local_date


class DeadlineKind(models.TextChoices):
    FIRST_CONTACT = "first_contact", _("time to first contact with the victim")
    OUTCOME = "outcome", _("time to a recorded legal outcome")
    PROTECTIVE_ORDER_VALIDITY = "protective_order_validity", _("validity of a protective order")
    COMPLIANCE_CHECK_INTERVAL = (
        "compliance_check_interval",
        _("longest interval between compliance checks of a protective order"),
    )


class DurationUnit(models.TextChoices):
    HOURS = "hours", _("hours")
    DAYS = "days", _("days")


class DeadlineRuleMissing(LookupError):
    """No deadline rule of a kind is in force on a day: reference data must be fixed, never guessed."""


class DeadlineRule(EffectivePeriod):
    """A time limit of the procedure (first contact, outcome, order validity, check interval)."""

    kind = models.CharField(_("kind"), max_length=32, choices=DeadlineKind.choices)
    value = models.PositiveIntegerField(_("value"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=8, choices=DurationUnit.choices)

    class Meta:
        ordering = ["kind", "-effective_from"]
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        constraints = [
            models.UniqueConstraint(fields=["kind", "effective_from"], name="deadline_rule_unique_start"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=models.F("effective_from")),
                name="deadline_rule_period_valid",
            ),
            models.CheckConstraint(condition=Q(value__gte=1), name="deadline_rule_value_positive"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()}: {self.value} {self.get_unit_display()} (from {self.effective_from})"
        )

    def version_group(self) -> dict[str, Any]:
        return {"kind": self.kind}

    @property
    def duration(self) -> dt.timedelta:
        if self.unit == DurationUnit.HOURS:
            return dt.timedelta(hours=self.value)
        return dt.timedelta(days=self.value)

    @classmethod
    def effective(cls, kind: str, at: dt.datetime | dt.date) -> DeadlineRule:
        """The rule of `kind` in force on the day of `at` (the latest start wins if periods overlap)."""
        rule = cls.objects.effective_on(at).filter(kind=kind).order_by("-effective_from").first()
        if rule is None:
            raise DeadlineRuleMissing(f"No deadline rule {kind!r} is in force on {as_local_date(at)}.")
        return rule


class RuleTopic(models.TextChoices):
    RECONCILIATION = "reconciliation", _("reconciliation of the parties")


class LegalRuleSet(EffectivePeriod):
    """One version of a body of legal rules, e.g. the reconciliation bans of Law No. 72-VIII (2024)."""

    topic = models.CharField(_("topic"), max_length=32, choices=RuleTopic.choices)
    code = models.SlugField(_("version code"), max_length=40, help_text="e.g. 2024-72-VIII")
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        ordering = ["topic", "-effective_from"]
        verbose_name = _("legal rule set")
        verbose_name_plural = _("legal rule sets")
        constraints = [
            models.UniqueConstraint(fields=["topic", "code"], name="legal_rule_set_unique_code"),
            models.UniqueConstraint(fields=["topic", "effective_from"], name="legal_rule_set_unique_start"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=models.F("effective_from")),
                name="legal_rule_set_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def version_group(self) -> dict[str, Any]:
        return {"topic": self.topic}

    def version_label(self) -> str:
        return self.code

    @classmethod
    def effective(cls, topic: str, at: dt.datetime | dt.date) -> LegalRuleSet:
        rule_set = cls.objects.effective_on(at).filter(topic=topic).order_by("-effective_from").first()
        if rule_set is None:
            raise cls.DoesNotExist(f"No {topic} rule set is in force on {as_local_date(at)}.")
        return rule_set


class ReconciliationRuleKind(models.TextChoices):
    """The tests the engine knows (qorgau/intake/rules.py); which apply, and their parameters, are data."""

    PHYSICAL_VIOLENCE = "physical_violence", _("physical violence")
    CHILD_CRUELTY = "child_cruelty", _("cruelty to children")
    REPEATED_VIOLENCE = "repeated_violence", _("repeated violence")


class ReconciliationRule(models.Model):
    """One ground on which a rule-set version excludes reconciliation; `params` tune its test."""

    rule_set = models.ForeignKey(
        LegalRuleSet,
        on_delete=models.PROTECT,
        related_name="reconciliation_rules",
        verbose_name=_("rule set"),
    )
    code = models.SlugField(_("rule code"), max_length=60)
    kind = models.CharField(_("test"), max_length=32, choices=ReconciliationRuleKind.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("order of evaluation"), default=0)
    confirmed = models.BooleanField(_("confirmed against the law"), default=False)

    class Meta:
        ordering = ["rule_set", "position", "id"]
        verbose_name = _("reconciliation rule")
        verbose_name_plural = _("reconciliation rules")
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "code"], name="reconciliation_rule_unique_code"),
        ]

    def __str__(self) -> str:
        return self.code
