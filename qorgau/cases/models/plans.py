"""What a case holds: safety plans (versioned), the case plan's goals and services, sessions, children."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.permissions import ScopedManager, ScopePaths
from qorgau.people.models import Person

from .cases import Case
from .specialists import ServiceType, Specialist


def _case_scope(own: tuple[str, ...] = ("case__assigned_to",)) -> ScopePaths:
    """Rows of a case: they belong where the case belongs and are shared with it (grant="case")."""
    return ScopePaths(domain="cases", region="case__region", agency="case__agency", own=own, grant="case")


class SafetyPlan(models.Model):
    """One version of the victim's safety plan. A new recording adds a version; old ones are kept."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="safety_plans", verbose_name=_("case")
    )
    version = models.PositiveSmallIntegerField(_("version"))
    safe_contacts = models.TextField(_("safe contacts"), blank=True)
    safe_place = models.TextField(_("safe place to go"), blank=True)
    documents_ready = models.BooleanField(_("documents ready"), default=False)
    keys_ready = models.BooleanField(_("spare keys ready"), default=False)
    children_plan = models.TextField(_("plan for the children"), blank=True)
    code_word = models.CharField(_("code word"), max_length=100, blank=True)
    hotline_numbers = models.TextField(_("hotline numbers"), blank=True)
    review_due = models.DateField(_("review due"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = ScopedManager()
    scope = _case_scope()

    class Meta:
        ordering = ["case", "-version"]
        verbose_name = _("safety plan")
        verbose_name_plural = _("safety plans")
        constraints = [models.UniqueConstraint(fields=["case", "version"], name="safety_plan_unique_version")]
        indexes = [models.Index(fields=["review_due"], name="safety_plan_review_idx")]

    def __str__(self) -> str:
        return self.audit_label

    @property
    def audit_label(self) -> str:
        return f"{self.case.code}/safety-plan-{self.version}"


class CaseChild(models.Model):
    """A child in the case: a person linked to it with needs of their own."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="children", verbose_name=_("case"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("child"))
    needs = models.JSONField(_("needs"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("added by")
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    objects = ScopedManager()
    scope = _case_scope()

    class Meta:
        ordering = ["case", "id"]
        verbose_name = _("child in a case")
        verbose_name_plural = _("children in cases")
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="case_child_unique")]

    def __str__(self) -> str:
        return self.audit_label

    @property
    def audit_label(self) -> str:
        return f"{self.case.code}/child-{self.pk}"


class CaseGoal(models.Model):
    """A goal of the case plan."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals", verbose_name=_("case"))
    description = models.TextField(_("goal"))
    due_on = models.DateField(_("due"), null=True, blank=True)
    achieved_at = models.DateTimeField(_("achieved"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = ScopedManager()
    scope = _case_scope()

    class Meta:
        ordering = ["case", "id"]
        verbose_name = _("case plan goal")
        verbose_name_plural = _("case plan goals")

    def __str__(self) -> str:
        return self.audit_label

    @property
    def audit_label(self) -> str:
        return f"{self.case.code}/goal-{self.pk}"


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("in progress")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


class CaseService(models.Model):
    """A service of the case plan, delivered by a qualified specialist (to the victim or to a child)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="services", verbose_name=_("case"))
    goal = models.ForeignKey(
        CaseGoal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("goal"),
    )
    child = models.ForeignKey(
        CaseChild,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("for the child"),
    )
    type = models.CharField(_("service type"), max_length=16, choices=ServiceType.choices)
    specialist = models.ForeignKey(
        Specialist, on_delete=models.PROTECT, related_name="services", verbose_name=_("specialist")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    starts_on = models.DateField(_("starts"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assigned by")
    )
    created_at = models.DateTimeField(_("assigned"), default=timezone.now)

    objects = ScopedManager()
    # The specialist with an account sees the services they deliver (own scope), not the whole case.
    scope = _case_scope(own=("case__assigned_to", "specialist__user"))

    class Meta:
        ordering = ["case", "id"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.audit_label

    @property
    def audit_label(self) -> str:
        return f"{self.case.code}/service-{self.pk}"


class ServiceSession(models.Model):
    """One session or act of a service: date, duration and outcome."""

    service = models.ForeignKey(
        CaseService, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("service")
    )
    held_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    outcome = models.TextField(_("outcome"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = ScopedManager()
    scope = ScopePaths(
        domain="cases",
        region="service__case__region",
        agency="service__case__agency",
        own=("service__case__assigned_to", "service__specialist__user"),
        grant="service__case",
    )

    class Meta:
        ordering = ["service", "-held_on", "-id"]
        verbose_name = _("service session")
        verbose_name_plural = _("service sessions")

    def __str__(self) -> str:
        return self.audit_label

    @property
    def audit_label(self) -> str:
        return f"{self.service.audit_label}/session-{self.pk}"
