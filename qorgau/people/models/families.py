"""Families: households and the persons in them, with their relationship."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.models import Agency, District, Region
from qorgau.core.permissions import ScopedManager, ScopePaths

from .persons import Person


class Family(models.Model):
    """A household: persons living together or bound by family relations."""

    code = models.CharField(_("code"), max_length=20, unique=True, editable=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    members = models.ManyToManyField(Person, through="FamilyMember", related_name="families")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("registering agency")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = ScopedManager()
    scope = ScopePaths(domain="people", region="region", agency="agency", own=("created_by",))

    class Meta:
        ordering = ["code"]
        verbose_name = _("family")
        verbose_name_plural = _("families")

    def __str__(self) -> str:
        return self.code

    @property
    def audit_label(self) -> str:
        return self.code


class Relationship(models.TextChoices):
    HEAD = "head", _("head of household")
    SPOUSE = "spouse", _("spouse")
    FORMER_SPOUSE = "former_spouse", _("former spouse")
    PARTNER = "partner", _("partner")
    CHILD = "child", _("child")
    PARENT = "parent", _("parent")
    SIBLING = "sibling", _("sibling")
    GRANDPARENT = "grandparent", _("grandparent")
    GRANDCHILD = "grandchild", _("grandchild")
    OTHER_RELATIVE = "other_relative", _("other relative")
    COHABITANT = "cohabitant", _("cohabitant")


class FamilyMember(models.Model):
    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("family")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person")
    )
    relationship = models.CharField(
        _("relationship to the head"), max_length=20, choices=Relationship.choices
    )

    objects = ScopedManager()
    scope = ScopePaths(
        domain="people", region="family__region", agency="family__agency", own=("family__created_by",)
    )

    class Meta:
        ordering = ["family", "id"]
        verbose_name = _("family member")
        verbose_name_plural = _("family members")
        constraints = [models.UniqueConstraint(fields=["family", "person"], name="family_member_unique")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relationship_display()})"
