"""Audit receivers for sign-in events: logins, logouts, failed logins and lockouts.

Django sends user_logged_in / user_logged_out / user_login_failed (with the password already replaced by
stars; only the username is kept here), django-axes sends user_locked_out. Second-factor events
(auth.otp_failed, auth.otp_verified, auth.otp_enrolled, auth.enrolment_code_*) are recorded by the
services in core/auth/services.py and core/auth/enrolment.py.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from .audit import record


@receiver(user_logged_in, dispatch_uid="qorgau_audit_login")
def audit_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    # The password step only; the verified second factor is recorded as auth.otp_verified.
    record(actor=user, action="auth.login")


@receiver(user_logged_out, dispatch_uid="qorgau_audit_logout")
def audit_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None and user.is_authenticated:
        record(actor=user, action="auth.logout")


def _account_agency(username: str) -> int | None:
    """The agency of the account a failed sign-in names, so that the agency's auditor sees it."""
    if not username:
        return None
    model = get_user_model()
    row = model.objects.filter(**{model.USERNAME_FIELD: username}).values_list("agency_id", flat=True)
    return next(iter(row), None)


@receiver(user_login_failed, dispatch_uid="qorgau_audit_login_failed")
def audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get(get_user_model().USERNAME_FIELD) or credentials.get("username") or "")
    record(actor=None, action="auth.login_failed", username=username, agency=_account_agency(username))


@receiver(user_locked_out, dispatch_uid="qorgau_audit_locked_out")
def audit_locked_out(
    sender: Any, request: HttpRequest | None = None, username: str = "", **kwargs: Any
) -> None:
    # Sent at the failure that reaches the limit and again at every attempt while the lock lasts.
    username = str(username or "")
    record(actor=None, action="auth.locked_out", username=username, agency=_account_agency(username))
