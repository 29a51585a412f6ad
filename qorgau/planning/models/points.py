"""Demand points: the settlements of Kazakhstan (GeoNames, CC BY 4.0) and synthetic rural points.

Not personal data: reference geography, scoped by region (docs/adding-a-domain.md, "Tables that are not
personal data"). Every point is also a candidate site for a new facility.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from qorgau.core.models import District, Region
from qorgau.core.permissions import ScopePaths


class PointKind(models.TextChoices):
    SETTLEMENT = "settlement", _("settlement (GeoNames)")
    RURAL = "rural", _("rural demand point (synthetic)")


class DemandPoint(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=PointKind.choices)
    code = models.CharField(_("code"), max_length=24, unique=True)  # "gn-<geonameid>" or "rural-<region>-<n>"
    name = models.CharField(_("name"), max_length=120)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    population = models.PositiveIntegerField(_("population"))

    scope_paths = ScopePaths(domain="planning", region="region")

    class Meta:
        ordering = ["region", "-population", "id"]
        verbose_name = _("demand point")
        verbose_name_plural = _("demand points")
        indexes = [models.Index(fields=["region", "kind"], name="demandpoint_region_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        return self.code
