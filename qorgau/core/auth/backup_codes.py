"""Backup codes: single-use second-factor codes held in the user's django-otp static device.

They are the recovery path when the authenticator app is lost, and in DEMO_MODE the way demo users sign
in without a phone. Issuing codes replaces the previous ones, so a printed list stops working once a new
one is issued.
"""

from __future__ import annotations

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from qorgau.core.audit import record
from qorgau.core.models import User

BACKUP_DEVICE_NAME = "backup"


def issue_backup_codes(user: User, count: int = 5, *, actor: User | None = None) -> list[str]:
    """Replace `user`'s backup codes with `count` fresh ones and return them (shown once, stored as given).

    The audit row names who issued them (`actor`, or nobody for a management command) and how many,
    never the codes.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(StaticToken.random_token())
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.confirmed = True
        device.throttle_reset(commit=False)
        device.save()
        device.token_set.all().delete()
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
        record(actor=actor, action="auth.backup_codes_issued", obj=user, changes={"count": count})
    return sorted(codes)
