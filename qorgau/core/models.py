"""Platform tables: the country's regions, agencies, users with roles and scopes, and the audit log."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from .permissions import Scope, ScopedQuerySet, ScopePaths, work_region_ids


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

    # How a region meets a user's scope (`permissions.in_scope`): the region choices of list filters.
    scope_paths = ScopePaths(domain="core", region="pk", agency="agencies")

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

    name = models.CharField(
        _("name"), max_length=255, help_text=_("The official name; the key of the agency within its region.")
    )
    # Shown in the language of the page, like regions; empty ones fall back to the official name.
    name_kk = models.CharField(_("name (Kazakh)"), max_length=255, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=255, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
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

    # How an agency row meets a user's scope (`permissions.in_scope`): the agencies an auditor may pick,
    # the one an agency administrator edits.
    scope_paths = ScopePaths(domain="core", region="region", agency="pk")

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(fields=["name", "region"], name="agency_unique_name_in_region")
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the language of the page, else the official name."""
        lang = (get_language() or "ru")[:2]
        return getattr(self, f"name_{lang}", "") or self.name


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
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the language of the page: a shipped role's name is a msgid of the catalogue
        (core/roles.py loads it in English); a role an administrator named stays as named."""
        return gettext(self.name) if self.name else ""


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

    # How a user row meets another user's scope (`permissions.in_scope`; `scope` is the user's own scope
    # field): through the agency the account belongs to. No own path: an administrator does not reach
    # their own account by being it.
    scope_paths = ScopePaths(domain="core", region="agency__region", agency="agency")

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


def work_regions(user: object) -> models.QuerySet[Region]:
    """The regions `user` may create records in (choices of region fields in forms and serializers)."""
    regions = work_region_ids(user)
    return Region.objects.all() if regions is None else Region.objects.filter(pk__in=regions)


class AuditQuerySet(ScopedQuerySet):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Audit events are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only.")


class AuditEvent(models.Model):
    """One append-only row per sensitive read, change, export, decision and login.

    The application never updates or deletes a row; PostgreSQL enforces the same with a trigger.
    An auditor sees the rows of their scope from both sides: what the staff of their agency or region
    did (`actor_agency`), and what anyone did to records their agency or region owns (`subject_agency`,
    `subject_region`), so that a look-up from another region lands with the owner's auditor too.
    No row holds a person's name: `object_repr` is a code (see `qorgau.core.audit.audit_repr`).
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
    subject_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency owning the record"),
    )
    subject_region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region of the record"),
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=36, blank=True)

    objects = AuditQuerySet.as_manager()
    # Only roles with audit.view; no own path: an auditor does not see their own trail by being in it.
    scope = ScopePaths(
        domain="audit",
        region=("actor_agency__region", "subject_region"),
        agency=("actor_agency", "subject_agency"),
    )

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            # Counting one user's recent look-ups (rate limit of IIN searches) without scanning the log.
            models.Index(fields=["actor", "action", "time"], name="audit_actor_action_time_idx"),
        ]

    def __str__(self) -> str:
        who = self.actor_username or "-"
        return f"{self.time:%Y-%m-%d %H:%M} {who} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only.")


# --- Sign-in: enrolment codes (qorgau/core/auth/enrolment.py) --------------------------------------------


class EnrolmentCode(models.Model):
    """A one-time code, issued by an administrator, that lets one user enrol their first authenticator.

    Without it the first enrolment would be trust-on-first-use: whoever has the password would be shown
    the TOTP secret. Only a SHA-256 hash of the code is stored (the code is 80 random bits, so the hash
    cannot be reversed by trying codes); it works once, for its user only, until `expires_at`.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="enrolment_codes", verbose_name=_("user")
    )
    code_hash = models.CharField(_("code hash"), max_length=64, unique=True)
    issued_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issuer"),
    )  # empty when an operator issued it with the management command
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("enrolment code")
        verbose_name_plural = _("enrolment codes")

    def __str__(self) -> str:
        # Never the code: it is not stored, and the hash is no business of a list or a log.
        return f"enrolment code #{self.pk}"


# --- Grants: one object shared with an agency or a user (qorgau/core/grants.py) ---------------------------


class GrantQuerySet(models.QuerySet["Grant"]):
    def active(self, at: object = None) -> GrantQuerySet:
        """Grants in force at `at` (now by default): granted, not yet expired, not revoked."""
        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True, granted_at__lte=at, expires_at__gt=at)

    def to(self, user: User) -> GrantQuerySet:
        """Grants naming `user`, or naming their agency when their scope covers their agency.

        A user with the `own` scope sees only what is assigned to them: only a grant naming them counts.
        A user with no scope gets none (deny by default).
        """
        if user.scope == Scope.NONE:
            return self.none()
        q = Q(user=user.pk)
        if user.agency_id and user.scope in (Scope.AGENCY, Scope.REGIONS, Scope.NATIONAL):
            q |= Q(agency=user.agency_id)
        return self.filter(q)

    def allowing(self, action: str) -> GrantQuerySet:
        return self.filter(actions__has_key=action)

    def of_model(self, model: type[models.Model]) -> GrantQuerySet:
        # By the content type's natural key, joined in the same query: no look-up of its id first, so a
        # page's query count does not depend on whether the content type cache is warm.
        meta = model._meta.concrete_model._meta  # type: ignore[union-attr]
        return self.filter(content_type__app_label=meta.app_label, content_type__model=meta.model_name)

    def on(self, obj: models.Model) -> GrantQuerySet:
        return self.of_model(type(obj)).filter(object_id=obj.pk)


class Grant(models.Model):
    """An object shared with one agency or one user, for a purpose, until it expires or is revoked.

    Referrals and placements are grants: the permission engine opens the object (and the rows declared
    as reached through it, `ScopePaths.grant`) to the grantee at every read while the grant is active.
    `sections` are the parts of the object the purpose needs (codes a domain defines and interprets:
    `grants.grant_sections`); `actions` the domain actions it allows, stored as the keys of a JSON
    object (`{"view": true}`) so that every database can look one up (`has_key`).
    """

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("type of record")
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    target = GenericForeignKey("content_type", "object_id")
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grants",
        verbose_name=_("agency given access"),
    )
    user = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grants",
        verbose_name=_("user given access"),
    )
    purpose = models.CharField(_("purpose"), max_length=64, help_text=_("A code such as referral."))
    sections = models.JSONField(_("sections"), default=list, blank=True)
    actions = models.JSONField(_("actions"), default=dict)
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("granted by")
    )
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("revoked by")
    )
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)

    objects = GrantQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-id"]
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="grant_target_idx"),
            models.Index(fields=["agency", "expires_at"], name="grant_agency_idx"),
            models.Index(fields=["user", "expires_at"], name="grant_user_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=False, user__isnull=True)
                | Q(agency__isnull=True, user__isnull=False),
                name="grant_one_grantee",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("granted_at")), name="grant_expires_after_granted"
            ),
            models.CheckConstraint(condition=~Q(purpose=""), name="grant_purpose_required"),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | Q(revoked_at__isnull=False, revoked_by__isnull=False, revoked_at__gte=F("granted_at")),
                name="grant_revoked_with_actor",
            ),
        ]

    def __str__(self) -> str:
        # No names: the audit log shows this (`audit_repr`).
        return f"grant #{self.pk} ({self.purpose})"

    @property
    def action_list(self) -> list[str]:
        return sorted(self.actions)

    def is_active(self, at: object = None) -> bool:
        at = at or timezone.now()
        return self.revoked_at is None and self.granted_at <= at < self.expires_at  # type: ignore[operator]


# --- API tokens (qorgau/core/models_tokens.py), idempotency keys (qorgau/core/models_idempotency.py) ------
from .models_idempotency import IdempotencyRecord  # noqa: E402, F401
from .models_tokens import ApiToken  # noqa: E402, F401
