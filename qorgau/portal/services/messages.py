"""The public help page's "write to us": a message becomes a signal of the region (intake's service), the
writer gets a one-time reference to add to it, and one sender is limited without storing their address.

What is kept, and for how long (docs/portal.md):
- the signal (intake's register: the text, the region, the time), as every signal;
- `PublicMessage`: the signal and the keyed hash of the reference (the reference itself is shown once and
  never stored);
- `MessageThrottle`: for each accepted message, the HMAC of (day, address) under a key derived from
  SECRET_KEY, and the time; rows older than a day are deleted on every write. The address is never
  stored, logged or put in the audit row.
A refused message (limit reached, bad input) stores nothing at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.middleware import without_client_address
from qorgau.core.models import District, Region, User
from qorgau.core.ratelimit import RateLimited, limits_apply
from qorgau.intake.services import do_add_to_public_message, do_receive_public_message

from ..models import MessageThrottle, PublicMessage

SERVICE_ACCOUNT = "portal.public"  # created by migrations/0002_service_account.py
PER_HOUR = 3
PER_DAY = 8
MAX_ADDITIONS = 5
KEEP = dt.timedelta(days=1)
# No 0/O, 1/I/L: the reference is read off a phone screen and typed again.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_CHARS = 12  # 31**12 ~ 2**59: not guessable within the rate limit


@dataclass(frozen=True)
class Received:
    reference: str  # shown to the writer once
    registration_number: str


def service_account() -> User:
    """The account migrations/0002 creates; made again, inactive and without a password, role or scope,
    when a database was emptied after migrating (tests that flush)."""
    account, _created = User.objects.get_or_create(
        username=SERVICE_ACCOUNT,
        defaults={"password": "!", "is_active": False, "first_name": "Public help page"},
    )
    if account.is_active or account.role_id is not None or account.agency_id is not None:
        raise ImproperlyConfigured(f"{SERVICE_ACCOUNT} must stay inactive, without role or agency.")
    return account


def _key(purpose: str) -> bytes:
    return hashlib.sha256(f"qorgau.portal.{purpose}|{settings.SECRET_KEY}".encode()).digest()


def sender_bucket(address: str, *, now: dt.datetime | None = None) -> str:
    """The sender's counter key: HMAC of the UTC day and the address (never the address itself)."""
    day = (now or timezone.now()).astimezone(dt.UTC).date().isoformat()
    return hmac.new(_key("throttle"), f"{day}|{address}".encode(), hashlib.sha256).hexdigest()


def reference_hash(reference: str) -> str:
    cleaned = "".join(ch for ch in reference.upper() if ch in ALPHABET)
    return hmac.new(_key("reference"), cleaned.encode(), hashlib.sha256).hexdigest()


def new_reference() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(REFERENCE_CHARS))
    return "-".join(raw[i : i + 4] for i in range(0, REFERENCE_CHARS, 4))


def check_limit(bucket: str, *, now: dt.datetime | None = None) -> None:
    """RateLimited when this sender sent PER_HOUR messages within the hour or PER_DAY within the day."""
    if not limits_apply():
        return
    now = now or timezone.now()
    rows = MessageThrottle.objects.filter(bucket=bucket)
    for window, limit in ((dt.timedelta(hours=1), PER_HOUR), (KEEP, PER_DAY)):
        recent = rows.filter(at__gte=now - window).order_by("at")
        times = list(recent.values_list("at", flat=True)[:limit])
        if len(times) >= limit:
            wait = max(1, int((times[0] + window - now).total_seconds()) + 1)
            raise RateLimited(
                str(_("Too many messages from this connection. Please call 111 or 102, or try again later.")),
                retry_after=wait,
            )


def _count(bucket: str, now: dt.datetime) -> None:
    MessageThrottle.objects.filter(at__lt=now - KEEP).delete()
    MessageThrottle.objects.create(bucket=bucket, at=now)


def do_send_message(
    *,
    address: str,
    region: Region | None,
    text: str,
    children_involved: bool = False,
    district: District | None = None,
) -> Received:
    """Register the message as a signal of `region` (intake.services.do_receive_public_message) and issue
    a reference. `address` is the sender's network address, used only to derive the throttle bucket."""
    now = timezone.now()
    bucket = sender_bucket(address, now=now)
    check_limit(bucket, now=now)
    via = service_account()
    reference = new_reference()
    with without_client_address(), transaction.atomic():
        signal = do_receive_public_message(
            via=via, region=region, district=district, text=text, children_involved=children_involved
        )
        PublicMessage.objects.create(signal=signal, reference_hash=reference_hash(reference), received_at=now)
        _count(bucket, now)
    return Received(reference=reference, registration_number=signal.registration_number)


def do_add_to_message(*, address: str, reference: str, text: str) -> None:
    """Add to an earlier message found by its reference. A wrong reference and a used-up one answer the
    same way, and count against the sender's limit (so references cannot be tried out)."""
    now = timezone.now()
    bucket = sender_bucket(address, now=now)
    check_limit(bucket, now=now)
    message = PublicMessage.objects.select_related("signal").filter(reference_hash=reference_hash(reference))
    found = message.first()
    if found is None or found.additions >= MAX_ADDITIONS:
        with transaction.atomic():
            _count(bucket, now)
        raise ValidationError(
            {"reference": _("No message with this reference can take an addition. Check the reference.")}
        )
    with without_client_address(), transaction.atomic():
        do_add_to_public_message(via=service_account(), signal=found.signal, text=text)
        PublicMessage.objects.filter(pk=found.pk).update(additions=found.additions + 1)
        _count(bucket, now)
