"""Recording and correcting prevention activities (`portal.add`, `portal.change`), audited.

An activity belongs to the region where it took place; the recording user must work there
(`may_work_in`). Field rules live here only: forms and serializers parse types and show these messages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core import idempotency
from qorgau.core.audit import diff, record
from qorgau.core.models import District, Region, User
from qorgau.core.permissions import has_action, may_work_in

from ..models import Activity, ActivityKind, Audience, ReachUnit

FIELDS = (
    "kind",
    "title",
    "region",
    "district",
    "starts_on",
    "ends_on",
    "organiser",
    "audience",
    "reach",
    "reach_unit",
    "materials",
)
TEXT_LIMITS = {"title": 200, "organiser": 200, "materials": 4000}
REACH_MAX = 50_000_000  # more than the country's population twice over: a typing error
LONGEST = dt.timedelta(days=366)
EARLIEST = dt.date(2000, 1, 1)


def _require(actor: User, action: str) -> None:
    if not has_action(actor, action):
        raise PermissionDenied(f"{action} is not granted.")


def snapshot(activity: Activity) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in FIELDS:
        field = Activity._meta.get_field(name)
        value = getattr(activity, getattr(field, "attname", name))
        values[name] = value.isoformat() if isinstance(value, dt.date) else value
    return values


def _clean(actor: User, values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    cleaned = dict(values)
    for name, limit in TEXT_LIMITS.items():
        text = (cleaned.get(name) or "").strip()
        cleaned[name] = text
        if len(text) > limit:
            errors[name] = _("At most %(limit)d characters.") % {"limit": limit}
    for name in ("title", "organiser"):
        if not cleaned[name] and name not in errors:
            errors[name] = _("This field is required.")
    for name, choices in (("kind", ActivityKind), ("audience", Audience), ("reach_unit", ReachUnit)):
        if cleaned.get(name) not in choices.values:
            errors[name] = _("Choose a valid option.")
    region: Region | None = cleaned.get("region")
    district: District | None = cleaned.get("district")
    if region is None:
        errors["region"] = _("This field is required.")
    elif not may_work_in(actor, region):
        errors["region"] = _("You can record activities only in the regions where you work.")
    elif district is not None and district.region_id != region.pk:
        errors["district"] = _("The district is not in the selected region.")
    starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
    if not isinstance(starts, dt.date):
        errors["starts_on"] = _("This field is required.")
    if not isinstance(ends, dt.date):
        errors["ends_on"] = _("This field is required.")
    if isinstance(starts, dt.date) and isinstance(ends, dt.date):
        if ends < starts:
            errors["ends_on"] = _("The activity cannot end before it starts.")
        elif ends - starts > LONGEST:
            errors["ends_on"] = _("An activity lasts at most a year; record a longer programme year by year.")
        elif starts < EARLIEST:
            errors["starts_on"] = _("The register holds activities from 2000 on.")
        elif starts > timezone.localdate() + dt.timedelta(days=366):
            errors["starts_on"] = _("Plan at most a year ahead.")
    reach = cleaned.get("reach")
    if not isinstance(reach, int) or isinstance(reach, bool) or reach < 0:
        errors["reach"] = _("Enter the number reached (0 if not yet known).")
    elif reach > REACH_MAX:
        errors["reach"] = _("The reach is at most %(max)s.") % {"max": f"{REACH_MAX:,}"}
    if errors:
        raise ValidationError(errors)
    return cleaned


def _next_code(region: Region, year: int) -> str:
    prefix = f"PA-{region.code.removeprefix('KZ-')}-{year}-"
    last = (
        Activity.objects.select_for_update()
        .filter(code__startswith=prefix)
        .order_by(F("code").desc())
        .values_list("code", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:05d}"


def do_record_activity(*, actor: User, idempotency_key: str | None = None, **values: Any) -> Activity:
    """Record an activity; the same `idempotency_key` from the same agency returns it again
    (`idempotent_replay` set on the instance)."""
    _require(actor, "portal.add")
    if not actor.agency_id:
        raise PermissionDenied("Only staff of an agency record activities.")
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown activity fields: {sorted(unknown)}")
    cleaned = _clean(actor, {name: values.get(name) for name in FIELDS})

    def create() -> Activity:
        with transaction.atomic():
            activity = Activity(**cleaned, agency_id=int(actor.agency_id or 0), created_by=actor)
            activity.code = _next_code(cleaned["region"], cleaned["starts_on"].year)
            activity.save()
            record(actor=actor, action="activity.add", obj=activity, changes=diff({}, snapshot(activity)))
            if not Activity.objects.visible_to(actor, "view").filter(pk=activity.pk).exists():
                raise PermissionDenied("The saved activity would be outside your scope.")
        return activity

    payload = {
        name: (
            getattr(value, "pk", value).isoformat()
            if isinstance(value, dt.date)
            else getattr(value, "pk", value)
        )
        for name, value in cleaned.items()
    }
    activity, replayed = idempotency.once(
        actor=actor,
        operation="portal.record_activity",
        key=idempotency_key,
        payload=payload,
        model=Activity,
        create=create,
    )
    activity.idempotent_replay = replayed  # type: ignore[attr-defined]
    return activity


def do_change_activity(*, actor: User, activity: Activity, **values: Any) -> Activity:
    """Correct an activity (its reach is often known only afterwards). Out of scope: PermissionDenied."""
    _require(actor, "portal.change")
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown activity fields: {sorted(unknown)}")
    with transaction.atomic():
        if not Activity.objects.visible_to(actor, "change").filter(pk=activity.pk).exists():
            raise PermissionDenied("Not found.")
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        old = snapshot(activity)
        current = {name: getattr(activity, name) for name in FIELDS}
        cleaned = _clean(actor, current | values)
        for name, value in cleaned.items():
            setattr(activity, name, value)
        activity.save()
        changes = diff(old, snapshot(activity))
        if changes:
            record(actor=actor, action="activity.change", obj=activity, changes=changes)
        if not Activity.objects.visible_to(actor, "view").filter(pk=activity.pk).exists():
            raise PermissionDenied("The changed activity would be outside your scope.")
    return activity
