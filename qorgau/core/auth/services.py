"""Writes of the sign-in machinery (backup codes: backup_codes.py, enrolment codes: enrolment.py).

The second-factor services take the request: django-axes counts and resets failures per request (it
reads the client's address and user agent from it) and the verified state lives in the session.
"""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_session_hash
from axes.models import AccessLog
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from qorgau.core.audit import record
from qorgau.core.middleware import is_verified
from qorgau.core.models import EnrolmentCode, User

from .backup_codes import BACKUP_DEVICE_NAME

TOTP_DEVICE_NAME = "authenticator"


def credentials(user: User) -> dict[str, str]:
    return {"username": user.get_username()}


def second_factor_failures(request: HttpRequest, user: User) -> int:
    """Failed sign-in attempts of the account within the cool-off: passwords and codes, all sessions."""
    return AxesProxyHandler.get_failures(request, credentials(user))


def do_record_second_factor_failure(*, request: HttpRequest, user: User, step: str) -> int:
    """Count a wrong code (`step`: 'verify' or 'enrolment_code') against the account; return the count.

    The count is django-axes' own, per account and across sessions, shared with wrong passwords: at
    AXES_FAILURE_LIMIT the account is locked for AXES_COOLOFF_HOURS like after wrong passwords (axes sets
    `request.axes_locked_out` and sends user_locked_out, which signals.py audits). A fresh password
    login does not reset it (AXES_RESET_ON_SUCCESS is off); only a verified second factor does. The code
    itself is in neither the audit row nor axes' records (AXES_SENSITIVE_PARAMETERS masks "code").
    """
    with transaction.atomic():
        AxesProxyHandler.user_login_failed(
            sender=do_record_second_factor_failure, credentials=credentials(user), request=request
        )
        failures = second_factor_failures(request, user)
        record(actor=user, action="auth.otp_failed", changes={"step": step, "failures": failures})
    return failures


def _mark_verified(request: HttpRequest, user: User, device: Device) -> None:
    """Mark the session verified by `device` under a new session key, and clear the account's failures."""
    old_hash = get_client_session_hash(request)
    otp_login(request, device)
    # A session key known before the second factor (one fixed or read by an attacker with the password)
    # must not become a verified session: the data stays, the key changes.
    request.session.cycle_key()
    # axes matches its access log to the session on logout; keep that link across the new key.
    AccessLog.objects.filter(
        username=user.get_username(), session_hash=old_hash, logout_time__isnull=True
    ).update(session_hash=get_client_session_hash(request))
    AxesProxyHandler.reset_attempts(username=user.get_username())


def do_pass_second_factor(*, request: HttpRequest, user: User, device: Device) -> None:
    """The second factor was verified by `device`: the session becomes verified, the failures reset."""
    with transaction.atomic():
        _mark_verified(request, user, device)
        method = "backup_code" if device.name == BACKUP_DEVICE_NAME else "authenticator"
        record(actor=user, action="auth.otp_verified", changes={"method": method})


def do_start_totp_enrolment(*, actor: User) -> TOTPDevice:
    """The actor's pending (unconfirmed) authenticator, made on first use.

    One per user, reused across page loads so that the secret stays the same while the user scans it.
    The caller has checked that the actor may see a secret (a verified session or a redeemed enrolment
    code); redeeming a code drops any older pending device.
    """
    device, _ = TOTPDevice.objects.get_or_create(user=actor, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def do_enrol_totp(
    *,
    actor: User,
    device: TOTPDevice,
    enrolment_code: EnrolmentCode | None = None,
    request: HttpRequest | None = None,
) -> TOTPDevice:
    """Confirm `device` as the actor's authenticator; it replaces any earlier one (one per person).

    The device must be the actor's own: nobody enrols an authenticator for someone else. The actor
    either passed the second factor in this session or redeemed `enrolment_code` (theirs); the audit row
    names which, the code by id. With `request`, the session becomes verified by the new device.
    """
    if device.user_id != actor.pk:
        raise PermissionError("An authenticator can only be enrolled by its owner.")
    if enrolment_code is not None:
        if enrolment_code.user_id != actor.pk or enrolment_code.used_at is None:
            raise PermissionError("This enrolment code was not redeemed by this user.")
        via: dict[str, object] = {"via": "enrolment_code", "enrolment_code": enrolment_code.pk}
    elif is_verified(actor):
        via = {"via": "verified_session"}
    else:
        raise PermissionError("Enrolling an authenticator needs a verified session or an enrolment code.")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save()
        record(actor=actor, action="auth.otp_enrolled", obj=device, changes=via)
        if request is not None:
            _mark_verified(request, actor, device)
    return device
