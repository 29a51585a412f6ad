"""Messages from the public help page (portal's "write to us"): no name, no phone, no account.

A message is a signal like any other (DOMAIN.md B3: worked ex officio to a legal outcome): channel
"online message", anonymous reporter, no parties yet (the region's staff add them once they know who is
involved), registered under the region's police department, whose staff work signals, with the deadlines
in force. `via` is the portal's service account (an inactive user without role or agency, created by
portal's migration): it is the `registered_by` and the audit actor, so the log says where the row came
from. Nothing about the sender is stored: no address, no device, no cookie.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.audit import diff, record
from qorgau.core.models import Agency, AgencyType, District, Region, User

from ..models import Channel, DeadlineKind, DeadlineRule, DeadlineRuleMissing, Signal, SignalStatus
from .signals import ACCOUNT_MAX, next_registration_number

MESSAGE_MAX = 2000  # characters of one message or addition: a short note, not a statement


def _check_via(via: User) -> None:
    if via.is_active or via.role_id is not None or via.agency_id is not None:
        raise PermissionDenied("Public messages are registered only through the portal's service account.")


def receiving_agency(region: Region) -> Agency | None:
    """The agency whose staff work the region's public messages: its police department (the regional one,
    without a district, first)."""
    agencies = Agency.objects.filter(region=region, type=AgencyType.POLICE, is_active=True)
    return agencies.order_by("district_id", "id").first() if agencies.exists() else None


def _check_text(text: str, field: str = "text") -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: _("Write a few words: the message is empty.")})
    if len(text) > MESSAGE_MAX:
        raise ValidationError(
            {
                field: _("The message is at most %(limit)d characters; %(length)d were written.")
                % {"limit": MESSAGE_MAX, "length": len(text)}
            }
        )
    if "\x00" in text:
        raise ValidationError({field: _("The message contains characters that cannot be stored.")})
    return text


def do_receive_public_message(
    *,
    via: User,
    region: Region | None,
    text: str,
    district: District | None = None,
    children_involved: bool = False,
    received_at: dt.datetime | None = None,
) -> Signal:
    """Register a message from the public help page as a signal of the region (see the module)."""
    _check_via(via)
    text = _check_text(text)
    if region is None:
        raise ValidationError({"region": _("Choose your region.")})
    if district is not None and district.region_id != region.pk:
        raise ValidationError({"district": _("The district is not in the selected region.")})
    agency = receiving_agency(region)
    if agency is None:
        raise ValidationError(
            {"region": _("Messages for this region cannot be received here yet; call 111.")}
        )
    received_at = received_at or timezone.now()
    try:
        rules = {
            kind: DeadlineRule.effective(kind, received_at)
            for kind in (DeadlineKind.FIRST_CONTACT, DeadlineKind.OUTCOME)
        }
    except DeadlineRuleMissing:
        raise ValidationError({"text": _("Messages cannot be received just now; call 111.")}) from None
    with transaction.atomic():
        signal = Signal.objects.create(
            registration_number=next_registration_number(region, timezone.localdate(received_at).year),
            channel=Channel.ONLINE_MESSAGE,
            received_at=received_at,
            region=region,
            district=district,
            anonymous_reporter=True,
            agency=agency,
            registered_by=via,
            registered_at=timezone.now(),
            status=SignalStatus.REGISTERED,
            children_present=children_involved,
            account=text,
            first_contact_rule=rules[DeadlineKind.FIRST_CONTACT],
            first_contact_due=received_at + rules[DeadlineKind.FIRST_CONTACT].duration,
            outcome_rule=rules[DeadlineKind.OUTCOME],
            outcome_due=received_at + rules[DeadlineKind.OUTCOME].duration,
        )
        new: dict[str, Any] = {
            "channel": signal.channel,
            "region": region.pk,
            "district": getattr(district, "pk", None),
            "agency": agency.pk,
            "children_present": children_involved,
        }
        changes = diff({}, new) | {"account": "changed"}  # the text itself never in the log
        record(actor=via, action="signal.register", obj=signal, changes=changes)
    return signal


def do_add_to_public_message(*, via: User, signal: Signal, text: str) -> Signal:
    """Append the writer's addition (found by their reference) to the signal's account, dated."""
    _check_via(via)
    text = _check_text(text)
    with transaction.atomic():
        signal = Signal.objects.select_for_update().get(pk=signal.pk, channel=Channel.ONLINE_MESSAGE)
        stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
        account = f"{signal.account}\n\n[+ {stamp}] {text}"
        if len(account) > ACCOUNT_MAX:
            raise ValidationError({"text": _("This message cannot take more additions; please call 111.")})
        signal.account = account
        signal.save(update_fields=["account"])
        record(actor=via, action="signal.public_addition", obj=signal, changes={"account": "changed"})
    return signal
