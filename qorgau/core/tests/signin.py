"""Helpers of the sign-in tests (test_auth.py, test_auth_enrolment.py): the pages, a password login,
what the session holds, the audit trail, and codes."""

from __future__ import annotations

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from qorgau.core.models import AuditEvent

PASSWORD = "correct horse battery staple"
LOGIN = "/accounts/login/"
VERIFY = "/accounts/verify/"
SETUP = "/accounts/two-factor/"
ENROLMENT_CODE = "/accounts/two-factor/start/"
LOGOUT = "/accounts/logout/"
# A page behind the second factor that exists whatever the domain apps have wired so far.
PROTECTED = "/admin/"


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra: str):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def is_verified(client: Client) -> bool:
    return DEVICE_ID_SESSION_KEY in client.session


def actions(**filters: object) -> list[str]:
    return list(AuditEvent.objects.filter(**filters).order_by("time", "id").values_list("action", flat=True))


def current_totp(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"
