"""Platform tables: the country's regions, agencies, users with roles and scopes, and the audit log."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .permissions import Scope


class TranslatedNameMixin(models.Model):
    """Names in Kazakh, Russian and English; `name` follows the active UI language."""

    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        lang = (get_language() or "ru")[:2]
        return getattr(self, f"name_{lang}", "") or self.name_ru or self.name_en


class Region(TranslatedNameMixin):
    """A first-level unit (oblys or city of republican significance), keyed by its ISO 3166-2:KZ code."""

    code = models.CharField(_("ISO code"), max_length=5, unique=True, help_text="e.g. KZ-71")
    kato = models.CharField(_("KATO code"), max_length=9, blank=True)
    centre = models.CharField(_("administrative centre"), max_length=100, blank=True)
    is_city = models.BooleanField(_("city of republican significance"), default=False)
    population = models.PositiveIntegerField(_("population"))
    population_date = models.DateField(_("population as of"))
    population_estimated = models.BooleanField(_("population is an estimate"), default=False)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class District(TranslatedNameMixin):
    """A second-level unit (district or city district) of a region."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="districts", verbose_name=_("region")
    )
    code = models.CharField(_("code"), max_length=12, unique=True)

    class Meta:
        ordering = ["region__code", "name_en"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class AgencyType(models.TextChoices):
    POLICE = "police", _("police department")
    CRISIS_CENTRE = "crisis_centre", _("crisis centre")
    FAMILY_SUPPORT = "family_support", _("family support centre")
    ADAPTATION_CENTRE = "adaptation_centre", _("temporary adaptation centre")
    DRUG_TREATMENT = "drug_treatment", _("drug treatment facility")
    HEALTH = "health", _("health facility")
    EDUCATION = "education", _("education department")
    AKIMAT = "akimat", _("akimat department")
    NGO = "ngo", _("NGO")
    COURT = "court", _("court")
    PROSECUTOR = "prosecutor", _("prosecutor's office")
    MINISTRY = "ministry", _("ministry")


class Agency(models.Model):
    """A state body, facility or NGO whose staff work in Qorgau. National bodies have no region."""

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    type = models.CharField(_("type"), max_length=32, choices=AgencyType.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        verbose_name=_("region"),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        verbose_name=_("district"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent agency"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(fields=["name", "region"], name="agency_unique_name_in_region")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.Model):
    """A named set of actions per domain, such as `people.view` or `audit.view`."""

    slug = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    actions = models.JSONField(
        _("actions"), default=list, help_text=_("Actions such as people.view, people.add.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A staff member. Sees nothing until given a role and a scope (deny by default)."""

    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("agency"),
    )
    role = models.ForeignKey(
        Role, on_delete=models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("role")
    )
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices, default=Scope.NONE)
    scope_regions = models.ManyToManyField(
        Region,
        blank=True,
        related_name="+",
        verbose_name=_("regions in scope"),
        help_text=_("Used when the scope is 'regions'."),
    )

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def actions(self) -> frozenset[str]:
        if not self.is_active or self.role_id is None:
            return frozenset()
        return frozenset(self.role.actions)  # type: ignore[union-attr]

    def can(self, action: str) -> bool:
        """True if the user's role grants `action` (e.g. 'people.view'); scope is checked by visible_to."""
        return action in self.actions

    @cached_property
    def region_ids(self) -> frozenset[int]:
        return frozenset(self.scope_regions.values_list("id", flat=True))


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs):
        raise PermissionError("Audit events are append-only.")

    def delete(self):
        raise PermissionError("Audit events are append-only.")

    def visible_to(self, user, action: str = "view") -> AuditQuerySet:
        """Only auditors see the audit log: national auditors all of it, others their regions' or agency's."""
        if not getattr(user, "is_authenticated", False) or not user.can(f"audit.{action}"):
            return self.none()
        if user.scope == Scope.NATIONAL:
            return self.all()
        if user.scope == Scope.REGIONS:
            return self.filter(actor_agency__region__in=user.region_ids)
        if user.scope == Scope.AGENCY and user.agency_id:
            return self.filter(actor_agency=user.agency_id)
        return self.none()


class AuditEvent(models.Model):
    """One append-only row per sensitive read, change, export, decision and login.

    The application never updates or deletes a row; PostgreSQL enforces the same with a trigger.
    """

    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("actor")
    )
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    actor_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("agency")
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=36, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        who = self.actor_username or "-"
        return f"{self.time:%Y-%m-%d %H:%M} {who} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only.")


# --- API tokens (qorgau/core/models_tokens.py) -------------------------------------------------------------
from .models_tokens import ApiToken  # noqa: E402, F401
