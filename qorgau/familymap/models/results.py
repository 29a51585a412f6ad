"""What a refresh stores per family and per district, and what a dry run would change.

`FamilyResult` is personal data (a family's level and its reasons): the families the pages need (levels
C-E and every family whose level moved), per refresh, so that history across runs is a query. The whole
population's results stay in the run's Parquet (`classified.parquet`). The aggregate tables hold counts
per district: not personal, but a district's figures are its region's (read with `in_scope`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from qorgau.core.models import District, Region
from qorgau.core.permissions import ScopedManager, ScopePaths

from .rules import RuleSet
from .runs import Run

LEVEL_CHOICES = [(level, level) for level in "ABCDE"]


class Change(models.TextChoices):
    NEW = "new", _("new on the map")
    UP = "up", _("risk rose")
    DOWN = "down", _("risk fell")
    SAME = "same", _("unchanged")


class FamilyResult(models.Model):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="families", verbose_name=_("run"))
    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.PROTECT, related_name="+", verbose_name=_("rule set")
    )
    family_key = models.BigIntegerField(_("family (civil registry)"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    members = models.PositiveSmallIntegerField(_("members"))
    level = models.CharField(_("level"), max_length=1, choices=LEVEL_CHOICES)
    score = models.FloatField(_("deprivation score"))
    score_level = models.CharField(_("level by score"), max_length=1, choices=LEVEL_CHOICES)
    identified = models.BooleanField(_("identified (score at least k)"))
    reasons = models.JSONField(_("indicators that fired"), default=list)
    overrides = models.JSONField(_("override rules applied"), default=list)
    previous_level = models.CharField(_("previous level"), max_length=1, choices=LEVEL_CHOICES, blank=True)
    change = models.CharField(_("change since the previous run"), max_length=8, choices=Change.choices)

    objects = ScopedManager()
    scope = ScopePaths(domain="familymap", region="region")

    class Meta:
        ordering = ["run", "-level", "-score", "family_key"]
        verbose_name = _("family result")
        verbose_name_plural = _("family results")
        constraints = [models.UniqueConstraint(fields=["run", "family_key"], name="familymap_result_unique")]
        indexes = [
            models.Index(fields=["run", "region", "level"], name="familymap_result_level_idx"),
            models.Index(fields=["family_key", "run"], name="familymap_result_history_idx"),
        ]

    def __str__(self) -> str:
        return f"family {self.family_key}: {self.level} (run {self.run_id})"

    @property
    def audit_label(self) -> str:
        return f"family result {self.pk}"


class DistrictAggregate(models.Model):
    """H, A, M0 and the families per level of one district (district empty: the region's total)."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="aggregates", verbose_name=_("run"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    district_code = models.CharField(_("district code"), max_length=20, blank=True)
    families = models.PositiveIntegerField(_("families"))
    identified = models.PositiveIntegerField(_("families identified"))
    headcount = models.FloatField(_("headcount ratio H"))
    intensity = models.FloatField(_("intensity A"))
    adjusted_headcount = models.FloatField(_("adjusted headcount M0"))
    levels = models.JSONField(_("families per level"), default=dict)

    scope_paths = ScopePaths(domain="familymap", region="region")

    class Meta:
        ordering = ["run", "region__code", "district_code"]
        verbose_name = _("district aggregate")
        verbose_name_plural = _("district aggregates")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "region", "district_code"], name="familymap_aggregate_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.district_code or self.region_id}: M0 {self.adjusted_headcount:.3f}"


class LevelChange(models.Model):
    """How many families of a district a run moved from one level to another (a dry run's answer)."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="changes", verbose_name=_("run"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    district_code = models.CharField(_("district code"), max_length=20, blank=True)
    from_level = models.CharField(_("from level"), max_length=1, choices=LEVEL_CHOICES)
    to_level = models.CharField(_("to level"), max_length=1, choices=LEVEL_CHOICES)
    families = models.PositiveIntegerField(_("families"))

    scope_paths = ScopePaths(domain="familymap", region="region")

    class Meta:
        ordering = ["run", "region__code", "district_code", "from_level", "to_level"]
        verbose_name = _("level change")
        verbose_name_plural = _("level changes")

    def __str__(self) -> str:
        return f"{self.district_code}: {self.from_level}->{self.to_level} x{self.families}"
