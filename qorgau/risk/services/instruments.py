"""Maintaining instruments: a system administrator drafts the next version (a copy of the latest), edits
its items and bands, and publishes it from a day not in the past (core.effective: the version in force
ends that day). A published version is never edited (here, in the admin and in the database)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau.core.audit import record
from qorgau.core.effective import add_version, check_start, latest_version, require_rules_admin

from ..models import Instrument, InstrumentVersion, Item, ReferralRule, VersionStatus
from ._common import raise_if, text

ITEM_TEXTS = ("text_en", "text_ru", "text_kk", "help_en", "help_ru", "help_kk")
BAND_KEYS = ("code", "min_score", "label_en", "label_ru", "label_kk", "refer")


def _draft(version: InstrumentVersion) -> InstrumentVersion:
    locked = InstrumentVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != VersionStatus.DRAFT:
        raise ValidationError({"__all__": _("A published version is never edited: draft a new version.")})
    return locked


def check_bands(bands: Any) -> list[dict[str, Any]]:
    """The bands as stored (lowest first), or a ValidationError on `bands`."""
    message = _(
        "Give the levels as a list of {code, min_score, label_en, label_ru, label_kk, refer}; the lowest "
        "starts at 0, codes and thresholds differ, at least one level refers to the conference."
    )
    if not isinstance(bands, list) or not bands:
        raise ValidationError({"bands": message})
    cleaned: list[dict[str, Any]] = []
    for band in bands:
        if not isinstance(band, dict) or not text(band.get("code")):
            raise ValidationError({"bands": message})
        score = band.get("min_score")
        if not isinstance(score, int) or isinstance(score, bool) or score < 0:
            raise ValidationError({"bands": message})
        cleaned.append(
            {
                "code": text(band["code"]),
                "min_score": score,
                **{key: text(band.get(key)) for key in ("label_en", "label_ru", "label_kk")},
                "refer": bool(band.get("refer")),
            }
        )
    cleaned.sort(key=lambda band: band["min_score"])
    codes = {band["code"] for band in cleaned}
    scores = {band["min_score"] for band in cleaned}
    labels_missing = any(not band[key] for band in cleaned for key in ("label_en", "label_ru", "label_kk"))
    refers = any(band["refer"] for band in cleaned)
    if len(codes) < len(cleaned) or len(scores) < len(cleaned) or cleaned[0]["min_score"] != 0:
        raise ValidationError({"bands": message})
    if labels_missing or not refers:
        raise ValidationError({"bands": message})
    return cleaned


@transaction.atomic
def do_create_draft(*, actor: Any, instrument: Instrument) -> InstrumentVersion:
    """A new draft version of `instrument`: a copy of its latest version (items and bands)."""
    require_rules_admin(actor)
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    if instrument.versions.filter(status=VersionStatus.DRAFT).exists():
        raise ValidationError({"__all__": _("This instrument has a draft already: edit or publish it.")})
    latest = instrument.versions.order_by("-number").first()
    number = (instrument.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    draft = InstrumentVersion.objects.create(
        instrument=instrument,
        number=number,
        status=VersionStatus.DRAFT,
        scoring=latest.scoring if latest else InstrumentVersion._meta.get_field("scoring").default,
        bands=latest.bands if latest else [],
        effective_from=timezone.localdate() + dt.timedelta(days=1),
        source=latest.source if latest else "",
        created_by=actor,
    )
    if latest is not None:
        Item.objects.bulk_create(
            Item(
                version=draft,
                position=item.position,
                code=item.code,
                **{field: getattr(item, field) for field in ITEM_TEXTS},
            )
            for item in latest.items.all()
        )
    record(
        actor=actor,
        action="instrumentversion.draft",
        obj=draft,
        changes={"number": number, "copy_of": latest.audit_label if latest else None},
    )
    return draft


@transaction.atomic
def do_update_draft(
    *,
    actor: Any,
    version: InstrumentVersion,
    bands: Any = None,
    source: str | None = None,
    notes: str | None = None,
) -> InstrumentVersion:
    require_rules_admin(actor)
    version = _draft(version)
    changes: dict[str, Any] = {}
    if bands is not None:
        cleaned = check_bands(bands)
        if cleaned != version.bands:
            changes["bands"] = {"old": version.bands, "new": cleaned}
            version.bands = cleaned
    for field, value in (("source", source), ("notes", notes)):
        if value is not None and text(value) != getattr(version, field):
            changes[field] = {"old": getattr(version, field), "new": text(value)}
            setattr(version, field, text(value))
    version.save()
    record(actor=actor, action="instrumentversion.change", obj=version, changes=changes)
    return version


@transaction.atomic
def do_save_item(
    *,
    actor: Any,
    version: InstrumentVersion,
    code: str,
    position: int,
    item: Item | None = None,
    **texts: str,
) -> Item:
    """Add an item to a draft, or change one of its items (`item`)."""
    require_rules_admin(actor)
    version = _draft(version)
    unknown = set(texts) - set(ITEM_TEXTS)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    errors: dict[str, Any] = {}
    code = text(code)
    if not code:
        errors["code"] = _("Give the item a code (it follows the question from version to version).")
    for field in ("text_en", "text_ru", "text_kk"):
        if not text(texts.get(field, getattr(item, field, ""))):
            errors[field] = _("Write the question in every language.")
    others = version.items.exclude(pk=item.pk) if item is not None else version.items.all()
    if others.filter(code=code).exists():
        errors["code"] = _("Another item of this version has this code.")
    if not isinstance(position, int) or position < 1:
        errors["position"] = _("The position is a number from 1.")
    elif others.filter(position=position).exists():
        errors["position"] = _("Another item of this version has this position.")
    raise_if(errors)
    if item is None:
        item = Item(version=version)
        old: dict[str, Any] = {}
    else:
        item = Item.objects.select_for_update().get(pk=item.pk, version=version)
        old = {"code": item.code, "position": item.position, **{f: getattr(item, f) for f in ITEM_TEXTS}}
    item.code, item.position = code, position
    for field, value in texts.items():
        setattr(item, field, text(value))
    item.save()
    new = {"code": item.code, "position": item.position, **{f: getattr(item, f) for f in ITEM_TEXTS}}
    changes = {k: {"old": old.get(k), "new": v} for k, v in new.items() if old.get(k) != v}
    record(actor=actor, action="item.change" if old else "item.add", obj=item, changes=changes)
    return item


@transaction.atomic
def do_remove_item(*, actor: Any, item: Item) -> None:
    require_rules_admin(actor)
    _draft(item.version)
    record(
        actor=actor, action="item.remove", obj=item, changes={"code": item.code, "position": item.position}
    )
    item.delete()


@transaction.atomic
def do_publish_version(*, actor: Any, version: InstrumentVersion, effective_from: Any) -> InstrumentVersion:
    """Publish a draft from `effective_from` (today or later, after the start of the version in force,
    which ends that day). From then on the version is never edited."""
    require_rules_admin(actor)
    version = _draft(version)
    current = latest_version(InstrumentVersion, version.version_group(), lock=True)
    errors: dict[str, Any] = {}
    check_start(errors, current, effective_from)
    if not version.items.exists():
        errors["__all__"] = _("A version without items cannot be published.")
    try:
        check_bands(version.bands)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    raise_if(errors)
    version.effective_from = effective_from
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = actor
    return add_version(
        actor=actor,
        version=version,
        current=current,
        changes={"number": version.number, "items": version.items.count()},
    )


def check_referral_rule(
    *, effective_from: Any, escalation_signals: Any, escalation_days: Any, repeat_days: Any, **rest: Any
) -> None:
    errors: dict[str, Any] = {}
    check_start(errors, latest_version(ReferralRule, {"code": "conference"}), effective_from)
    for field, value in (
        ("escalation_signals", escalation_signals),
        ("escalation_days", escalation_days),
        ("repeat_days", repeat_days),
    ):
        if not isinstance(value, int) or value < 1:
            errors[field] = _("A whole number from 1.")
    raise_if(errors)


@transaction.atomic
def do_add_referral_rule_version(
    *,
    actor: Any,
    effective_from: dt.date,
    escalation_signals: int,
    escalation_days: int,
    repeat_days: int,
    source: str = "",
    confirmed: bool = False,
    notes: str = "",
    **rest: Any,
) -> ReferralRule:
    """A new version of the conference referral rule (escalation count and windows)."""
    require_rules_admin(actor)
    check_referral_rule(
        effective_from=effective_from,
        escalation_signals=escalation_signals,
        escalation_days=escalation_days,
        repeat_days=repeat_days,
    )
    current = latest_version(ReferralRule, {"code": "conference"}, lock=True)
    rule = ReferralRule(
        code="conference",
        effective_from=effective_from,
        escalation_signals=escalation_signals,
        escalation_days=escalation_days,
        repeat_days=repeat_days,
        source=text(source),
        confirmed=confirmed,
        notes=text(notes),
    )
    return add_version(
        actor=actor,
        version=rule,
        current=current,
        changes={
            "escalation_signals": escalation_signals,
            "escalation_days": escalation_days,
            "repeat_days": repeat_days,
        },
    )
