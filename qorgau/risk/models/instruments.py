"""Risk instruments as versioned data (DOMAIN.md section 6): the items, the answer scale, the scoring rule
and its bands. Reference data of the whole country, not personal data: no scope; readable with risk.view.

A version is a draft while an administrator edits it, then published with an effective period
(`core.effective.EffectivePeriod`): the published versions of one instrument never overlap, and a
published version and its items are never edited again (services/instruments.py refuses, and the database
refuses too: migrations/0002_published_versions_frozen.py). Assessments keep the version they used.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from qorgau.core.effective import EffectivePeriod


def localized(obj: Any, field: str) -> str:
    """`obj.<field>_<language>` in the active language (kk, ru, en), falling back to English."""
    language = (translation.get_language() or "en")[:2]
    return str(getattr(obj, f"{field}_{language}", "") or getattr(obj, f"{field}_en", ""))


class AnswerValue(models.TextChoices):
    YES = "yes", _("yes")
    NO = "no", _("no")
    DONT_KNOW = "dont_know", _("don't know")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class ScoringRule(models.TextChoices):
    COUNT_YES = "count_yes", _('count of "yes" answers')


class InstrumentMissing(LookupError):
    """No published version of an instrument is in force on a day: reference data must be fixed."""


class Instrument(models.Model):
    """A risk identification instrument (the DASH-style checklist); its content lives in its versions."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("risk instrument")
        verbose_name_plural = _("risk instruments")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def audit_label(self) -> str:
        return self.code


@dataclass(frozen=True)
class Band:
    """A risk level: `code` (standard, medium, high), reached at `min_score` "yes" answers or more."""

    code: str
    min_score: int
    label_en: str
    label_ru: str
    label_kk: str
    refer: bool = False  # this level refers the victim to the risk conference

    @property
    def label(self) -> str:
        return localized(self, "label")


class InstrumentVersion(EffectivePeriod):
    """One version of an instrument: its items, scoring rule and bands; drafts are edited, published ones
    never. `bands` is a list of {code, min_score, label_en, label_ru, label_kk, refer}, lowest first."""

    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="versions", verbose_name=_("instrument")
    )
    number = models.PositiveIntegerField(_("version number"))
    status = models.CharField(
        _("status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    scoring = models.CharField(
        _("scoring rule"), max_length=16, choices=ScoringRule.choices, default=ScoringRule.COUNT_YES
    )
    bands = models.JSONField(_("bands and thresholds"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        ordering = ["instrument", "-number"]
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="risk_version_unique_number"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=models.F("effective_from")),
                name="risk_version_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.code} v{self.number} ({self.get_status_display()})"

    @property
    def audit_label(self) -> str:
        return f"{self.instrument.code}-v{self.number}"

    def version_group(self) -> dict[str, Any]:
        return {"instrument": self.instrument_id, "status": VersionStatus.PUBLISHED}

    def version_label(self) -> str:
        return f"v{self.number} from {self.effective_from.isoformat()}"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED

    def band_list(self) -> list[Band]:
        return sorted((Band(**band) for band in self.bands), key=lambda band: band.min_score)

    def band(self, code: str) -> Band | None:
        return next((band for band in self.band_list() if band.code == code), None)

    @property
    def referral_threshold(self) -> int | None:
        """The lowest score of a level that refers to the conference (14 for the DASH default)."""
        scores = [band.min_score for band in self.band_list() if band.refer]
        return min(scores) if scores else None

    @classmethod
    def in_force(cls, instrument: str, at: dt.datetime | dt.date) -> InstrumentVersion:
        """The published version of `instrument` (its code) in force on the day of `at`."""
        version = (
            cls.objects.effective_on(at)
            .filter(instrument__code=instrument, status=VersionStatus.PUBLISHED)
            .select_related("instrument")
            .order_by("-effective_from")
            .first()
        )
        if version is None:
            raise InstrumentMissing(f"No published version of {instrument} is in force on {at}.")
        return version


class Item(models.Model):
    """A question of an instrument version, in three languages; `code` follows it from version to version."""

    version = models.ForeignKey(
        InstrumentVersion, on_delete=models.CASCADE, related_name="items", verbose_name=_("version")
    )
    position = models.PositiveIntegerField(_("position"))
    code = models.SlugField(_("code"), max_length=40)
    text_en = models.TextField(_("question (English)"))
    text_ru = models.TextField(_("question (Russian)"))
    text_kk = models.TextField(_("question (Kazakh)"))
    help_en = models.TextField(_("help text (English)"), blank=True)
    help_ru = models.TextField(_("help text (Russian)"), blank=True)
    help_kk = models.TextField(_("help text (Kazakh)"), blank=True)

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="risk_item_unique_position"),
            models.UniqueConstraint(fields=["version", "code"], name="risk_item_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"

    @property
    def text(self) -> str:
        return localized(self, "text")

    @property
    def help(self) -> str:
        return localized(self, "help")

    @property
    def audit_label(self) -> str:
        return f"item-{self.code}"


class ReferralRule(EffectivePeriod):
    """When a victim is referred to the risk conference besides a high score: the escalation count and
    window, and the window of a repeat incident after the last conference. Versioned data."""

    code = models.SlugField(_("code"), max_length=32, default="conference")
    escalation_signals = models.PositiveIntegerField(_("signals that show escalation"), default=3)
    escalation_days = models.PositiveIntegerField(_("window of the escalation count (days)"), default=365)
    repeat_days = models.PositiveIntegerField(
        _("repeat window after the last conference (days)"), default=365
    )

    class Meta:
        ordering = ["code", "-effective_from"]
        verbose_name = _("conference referral rule")
        verbose_name_plural = _("conference referral rules")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "effective_from"], name="risk_referral_rule_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=models.F("effective_from")),
                name="risk_referral_rule_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return _("%(count)s signals in %(days)s days; repeat within %(repeat)s days (from %(start)s)") % {
            "count": self.escalation_signals,
            "days": self.escalation_days,
            "repeat": self.repeat_days,
            "start": self.effective_from,
        }

    @property
    def audit_label(self) -> str:
        return f"{self.code}-{self.effective_from.isoformat()}"

    def version_group(self) -> dict[str, Any]:
        return {"code": self.code}

    @classmethod
    def in_force(cls, at: dt.datetime | dt.date, code: str = "conference") -> ReferralRule:
        rule = cls.objects.effective_on(at).filter(code=code).order_by("-effective_from").first()
        if rule is None:
            raise InstrumentMissing(f"No conference referral rule is in force on {at}.")
        return rule
