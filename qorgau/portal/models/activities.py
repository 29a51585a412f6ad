"""The register of prevention activities (DOMAIN.md section 1, B9): school hours, media and social-network
campaigns, community events and trainings of professionals, by region and district, with their reach.

No person's data: an activity is a public event. It is still kept per region (who may record and see it),
through the permission engine (`ScopedManager`), so that the register, its API and the idempotency store
read it like every other scoped record (docs/decisions.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.models import Agency, District, Region
from qorgau.core.permissions import ScopedManager, ScopePaths


class ActivityKind(models.TextChoices):
    SCHOOL_HOUR = "school_hour", _("school hour (lesson)")
    MEDIA = "media", _("mass media campaign")
    SOCIAL = "social", _("social network campaign")
    COMMUNITY = "community", _("community event")
    TRAINING = "training", _("training of professionals")


class Audience(models.TextChoices):
    PUPILS = "pupils", _("pupils")
    PARENTS = "parents", _("parents")
    PUBLIC = "public", _("general public")
    WOMEN = "women", _("women")
    YOUTH = "youth", _("young people")
    PROFESSIONALS = "professionals", _("professionals (police, health, education, social work)")


class ReachUnit(models.TextChoices):
    PUPILS = "pupils", _("pupils")
    PARTICIPANTS = "participants", _("participants")
    VIEWS = "views", _("views")


class Activity(models.Model):
    """One prevention activity: what, where, when, for whom, and how many it reached."""

    code = models.CharField(_("code"), max_length=24, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    organiser = models.CharField(_("organiser"), max_length=200)
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices)
    reach = models.PositiveIntegerField(_("reach"))
    reach_unit = models.CharField(_("reach counted as"), max_length=16, choices=ReachUnit.choices)
    materials = models.TextField(_("materials"), blank=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("recording agency")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    objects = ScopedManager()
    scope = ScopePaths(domain="portal", region="region", agency="agency", own=("created_by",))

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("prevention activity")
        verbose_name_plural = _("prevention activities")
        indexes = [models.Index(fields=["region", "starts_on"], name="activity_region_start_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="activity_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def audit_label(self) -> str:
        return self.code

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1
