"""Writes of the sign-in machinery (backup codes: backup_codes.py)."""

from __future__ import annotations

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from qorgau.core.audit import record
from qorgau.core.models import User


def do_enrol_totp(*, actor: User, device: TOTPDevice) -> TOTPDevice:
    """Confirm `device` as the actor's authenticator; it replaces any earlier one (one per person).

    The device must be the actor's own: nobody enrols an authenticator for someone else.
    """
    if device.user_id != actor.pk:
        raise PermissionError("An authenticator can only be enrolled by its owner.")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save()
        record(actor=actor, action="auth.otp_enrolled", obj=device)
    return device
