"""Specialists of an agency and their qualifications; the check that blocks an unqualified assignment."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from qorgau.core.audit import diff, record
from qorgau.core.models import User

from ..models import Qualification, ServiceType, Specialist
from ._common import ensure_still_visible, locked_visible, raise_if, require, text


def do_add_specialist(*, actor: User, user: User | None = None, full_name: str = "") -> Specialist:
    """Record a specialist of the actor's agency: one of its users, or a named person without an account."""
    require(actor, "cases.change")
    if actor.agency_id is None:
        raise PermissionDenied("Only staff of an agency record specialists.")
    full_name = text(full_name)
    errors: dict[str, Any] = {}
    if (user is None) == (not full_name):
        errors["__all__"] = _("Choose a user of your agency or give the name of the specialist, not both.")
    elif user is not None and (user.agency_id != actor.agency_id or not user.is_active):
        errors["user"] = _("The specialist must be an active user of your agency.")
    elif user is not None and Specialist.objects.filter(user=user).exists():
        errors["user"] = _("This user is already recorded as a specialist.")
    if len(full_name) > 200:
        errors["full_name"] = _("The name is at most 200 characters.")
    raise_if(errors)
    with transaction.atomic():
        specialist = Specialist.objects.create(agency_id=actor.agency_id, user=user, full_name=full_name)
        # The name stays out of the audit row.
        record(
            actor=actor,
            action="specialist.add",
            obj=specialist,
            changes=diff({}, {"agency": specialist.agency_id, "user": getattr(user, "pk", None)}),
        )
        ensure_still_visible(Specialist, specialist, actor)
    return specialist


def do_change_specialist(
    *, actor: User, specialist: Specialist, full_name: str = "", is_active: bool
) -> Specialist:
    """Correct a specialist's name or stop them working with cases (an inactive specialist is assigned no
    new service; the services they delivered stay). Staff of the specialist's agency; audited without the
    name."""
    require(actor, "cases.change")
    full_name = text(full_name)
    with transaction.atomic():
        specialist = locked_visible(Specialist, specialist, actor, "change")
        if specialist.agency_id != actor.agency_id:
            raise PermissionDenied("Not found.")
        errors: dict[str, Any] = {}
        if specialist.user_id is None and not full_name:
            errors["full_name"] = _("Give the name of the specialist.")
        if len(full_name) > 200:
            errors["full_name"] = _("The name is at most 200 characters.")
        raise_if(errors)
        old: dict[str, Any] = {"is_active": specialist.is_active}
        new: dict[str, Any] = {"is_active": bool(is_active)}
        if full_name != specialist.full_name:
            old["full_name"], new["full_name"] = "", "changed"
        specialist.full_name, specialist.is_active = full_name, bool(is_active)
        specialist.save(update_fields=["full_name", "is_active"])
        record(actor=actor, action="specialist.change", obj=specialist, changes=diff(old, new))
    return specialist


def do_add_qualification(
    *,
    actor: User,
    specialist: Specialist,
    kind: str,
    document_number: str,
    issuer: str,
    valid_until: dt.date,
    valid_from: dt.date | None = None,
) -> Qualification:
    """Record a qualification of a specialist of the actor's agency (never one's own)."""
    require(actor, "cases.change")
    document_number, issuer = text(document_number), text(issuer)
    errors: dict[str, Any] = {}
    if kind not in ServiceType.values:
        errors["kind"] = _("Choose the service type the qualification is for.")
    if not document_number:
        errors["document_number"] = _("Enter the number of the document.")
    if not issuer:
        errors["issuer"] = _("Enter who issued the document.")
    if not isinstance(valid_until, dt.date):
        errors["valid_until"] = _("Enter the date the qualification is valid until.")
    elif valid_from is not None and valid_from > valid_until:
        errors["valid_until"] = _("The end of validity must not be before its start.")
    raise_if(errors)
    with transaction.atomic():
        specialist = locked_visible(Specialist, specialist, actor, "change")
        if specialist.user_id == actor.pk:
            raise PermissionDenied(_("You cannot record your own qualification."))
        qualification = Qualification.objects.create(
            specialist=specialist,
            kind=kind,
            document_number=document_number,
            issuer=issuer,
            valid_from=valid_from,
            valid_until=valid_until,
            recorded_by=actor,
        )
        record(
            actor=actor,
            action="qualification.add",
            obj=qualification,
            changes=diff(
                {},
                {
                    "specialist": specialist.pk,
                    "kind": kind,
                    "document_number": "changed",
                    "valid_from": valid_from,
                    "valid_until": valid_until,
                },
            ),
        )
    return qualification


def check_qualified(specialist: Specialist, service_type: str, day: dt.date | None = None) -> Qualification:
    """The specialist's qualification for `service_type` valid on `day`, or a ValidationError saying why."""
    day = day or timezone.localdate()
    label = ServiceType(service_type).label if service_type in ServiceType.values else service_type
    if not specialist.is_active:
        raise ValidationError({"specialist": _("This specialist no longer works with cases.")})
    rows = list(
        Qualification.objects.filter(specialist=specialist, kind=service_type).order_by("-valid_until")
    )
    valid = next((q for q in rows if q.valid_on(day)), None)
    if valid is not None:
        return valid
    if not rows:
        message = _(
            "%(specialist)s has no qualification for %(type)s help on record; record it before assigning "
            "the service."
        ) % {"specialist": specialist.display_name, "type": label}
    elif rows[0].valid_until < day:
        message = _(
            "The qualification of %(specialist)s for %(type)s help expired on %(date)s; record the renewed "
            "one before assigning the service."
        ) % {
            "specialist": specialist.display_name,
            "type": label,
            "date": date_format(rows[0].valid_until, "SHORT_DATE_FORMAT"),
        }
    else:
        message = _("The qualification of %(specialist)s for %(type)s help is not yet valid.") % {
            "specialist": specialist.display_name,
            "type": label,
        }
    raise ValidationError({"specialist": message})
