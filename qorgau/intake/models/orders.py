"""Protective orders, their scheduled compliance checks, and decisions on reconciliation.

Law No. 214-IV: a protective order lasts 30 days from service and the police check compliance at least
every 7 days. Both numbers come from DeadlineRule rows (kinds protective_order_validity and
compliance_check_interval) in force on the day of service, and the order keeps the rows it used.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.permissions import ScopedManager, ScopePaths
from qorgau.people.models import Person

from .rules import DeadlineRule, LegalRuleSet, ReconciliationRule
from .signals import Signal

_VIA_SIGNAL = ScopePaths(
    domain="intake",
    region="signal__region",
    agency="signal__agency",
    own=("signal__assigned_to", "signal__registered_by"),
    grant="signal",
)


class OrderStatus(models.TextChoices):
    ACTIVE = "active", _("issued")
    REVOKED = "revoked", _("revoked")


class ProtectiveOrder(models.Model):
    """A police protective order against an alleged offender, in force from service until `expires_at`."""

    signal = models.ForeignKey(
        Signal, on_delete=models.PROTECT, related_name="protective_orders", verbose_name=_("signal")
    )
    offender = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="protective_orders_against", verbose_name=_("offender")
    )
    victims = models.ManyToManyField(
        Person, related_name="protective_orders_for", verbose_name=_("protected persons")
    )
    number = models.CharField(_("order number"), max_length=40, blank=True)
    served_at = models.DateTimeField(_("served"))
    expires_at = models.DateTimeField(_("expires"))
    validity_rule = models.ForeignKey(
        DeadlineRule, on_delete=models.PROTECT, related_name="+", verbose_name=_("validity rule applied")
    )
    check_interval_rule = models.ForeignKey(
        DeadlineRule,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("check interval rule applied"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.ACTIVE
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    objects = ScopedManager()
    scope = _VIA_SIGNAL

    class Meta:
        ordering = ["-served_at", "-id"]
        verbose_name = _("protective order")
        verbose_name_plural = _("protective orders")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("served_at")),
                name="protective_order_expires_after_service",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="order_status_expiry_idx")]

    def __str__(self) -> str:
        return self.number or f"PO-{self.pk}"

    @property
    def audit_label(self) -> str:
        return str(self)

    def in_force(self, at: dt.datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.status == OrderStatus.ACTIVE and self.served_at <= at < self.expires_at


class CheckResult(models.TextChoices):
    COMPLIED = "complied", _("order complied with")
    BREACH = "breach", _("breach found")
    NOT_REACHED = "not_reached", _("offender could not be reached")


class ComplianceCheck(models.Model):
    """A scheduled check that the offender keeps the order; rows are created when the order is issued."""

    order = models.ForeignKey(
        ProtectiveOrder, on_delete=models.CASCADE, related_name="checks", verbose_name=_("protective order")
    )
    due_at = models.DateTimeField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    result = models.CharField(_("result"), max_length=16, choices=CheckResult.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = ScopedManager()
    scope = ScopePaths(
        domain="intake",
        region="order__signal__region",
        agency="order__signal__agency",
        own=("order__signal__assigned_to", "order__signal__registered_by"),
        grant="order__signal",
    )

    class Meta:
        ordering = ["order", "due_at", "id"]
        verbose_name = _("compliance check")
        verbose_name_plural = _("compliance checks")
        indexes = [models.Index(fields=["due_at", "done_at"], name="compliance_check_due_idx")]

    def __str__(self) -> str:
        return f"{self.order_id} @ {self.due_at:%Y-%m-%d}"


class ReconciliationDecision(models.Model):
    """The guard's answer to a request to reconcile the parties, with the rule-set version it applied."""

    signal = models.ForeignKey(
        Signal, on_delete=models.PROTECT, related_name="reconciliation_decisions", verbose_name=_("signal")
    )
    offender = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("offender")
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    law_date = models.DateField(
        _("law applied as on"),
        help_text=_("The day whose rule-set version was applied (the day of the offence)."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    allowed = models.BooleanField(_("reconciliation allowed"))
    rule_set = models.ForeignKey(
        LegalRuleSet, on_delete=models.PROTECT, related_name="+", verbose_name=_("rule set version")
    )
    rule = models.ForeignKey(
        ReconciliationRule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rule applied"),
    )
    rule_code = models.CharField(_("rule code"), max_length=60, blank=True)
    explanation = models.TextField(_("explanation"))
    request_note = models.TextField(_("note on the request"), blank=True)

    objects = ScopedManager()
    scope = _VIA_SIGNAL

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("reconciliation decision")
        verbose_name_plural = _("reconciliation decisions")

    def __str__(self) -> str:
        verdict = _("allowed") if self.allowed else _("refused")
        return f"{self.signal_id}: {verdict}"
