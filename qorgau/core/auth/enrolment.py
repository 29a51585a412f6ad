"""Enrolment codes: the first authenticator of an account is enrolled only with a code from an administrator.

Without one, enrolment would be trust-on-first-use: anyone holding a user's password (a colleague who
watched it typed, a reused password) would be shown the TOTP secret and own the account's second factor.
An administrator of the user's agency, a system administrator, or an operator
(`manage.py issue_enrolment_code USERNAME`) issues a code and hands it over out of band; the user types
it after the password, and only then sees the secret. A user who already holds backup codes needs no
enrolment code: a backup code verifies the session, and a verified session may enrol an authenticator.

A code is 16 characters of base32 (80 random bits), stored only as a SHA-256 hash, works once, for its
user only, and expires after ENROLMENT_CODE_VALIDITY. Issuing a new code withdraws the user's unused ones.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from qorgau.core.administrators import administers
from qorgau.core.audit import record
from qorgau.core.models import EnrolmentCode, User

from .forms import normalise_code

ENROLMENT_CODE_VALIDITY = timedelta(hours=72)
_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"  # lower-case base32, like the backup codes
_LENGTH = 16


def hash_code(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def format_code(code: str) -> str:
    """'abcdefghijklmnop' -> 'abcd-efgh-ijkl-mnop' (easier to read out; the dashes are ignored on entry)."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def may_issue_enrolment_code(actor: User | None, user: User) -> bool:
    """An operator (actor None: the management command) or an administrator who administers `user`.

    Never for oneself: a signed-in administrator replaces their own authenticator from a verified
    session, and a hijacked session must not mint a way around the second factor.
    """
    if not user.is_active:
        return False
    if actor is None:
        return True
    return actor.pk != user.pk and administers(actor, user)


def do_issue_enrolment_code(*, actor: User | None, user: User) -> tuple[EnrolmentCode, str]:
    """Issue a fresh enrolment code for `user` and return it with the clear code (shown once, never stored).

    `actor` is the administrator, or None for an operator's management command. Refused (PermissionError)
    for an inactive user, for oneself, and beyond the actor's administration (see `administers`). The
    audit row names the code by id and its expiry, never the code.
    """
    if not may_issue_enrolment_code(actor, user):
        raise PermissionError("This user's enrolment code cannot be issued by this account.")
    clear = "".join(secrets.choice(_ALPHABET) for _ in range(_LENGTH))
    now = timezone.now()
    with transaction.atomic():
        withdrawn = EnrolmentCode.objects.filter(user=user, used_at__isnull=True).delete()[0]
        code = EnrolmentCode.objects.create(
            user=user,
            code_hash=hash_code(clear),
            issued_by=actor,
            created_at=now,
            expires_at=now + ENROLMENT_CODE_VALIDITY,
        )
        record(
            actor=actor,
            action="auth.enrolment_code_issued",
            obj=user,
            changes={
                "enrolment_code": code.pk,
                "expires_at": code.expires_at.isoformat(),
                "withdrawn": withdrawn,
            },
        )
    return code, format_code(clear)


def do_redeem_enrolment_code(*, actor: User, code: str) -> EnrolmentCode | None:
    """Use up `code` if it is an unused, unexpired enrolment code of `actor`; None otherwise.

    The caller counts a None as a failed second factor. A redeemed code lets this session (and only
    this one: the caller keeps its id in the session) see a fresh TOTP secret; any pending device made
    before is dropped, because its secret may have been shown without a code.
    """
    now = timezone.now()
    with transaction.atomic():
        # One conditional UPDATE: of two sessions typing the same code at once, only one wins.
        candidates = EnrolmentCode.objects.filter(
            user=actor, code_hash=hash_code(code), used_at__isnull=True, expires_at__gt=now
        )
        found = candidates.first()
        if found is None or candidates.filter(pk=found.pk).update(used_at=now) != 1:
            return None
        found.used_at = now
        TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
        record(
            actor=actor, action="auth.enrolment_code_used", obj=actor, changes={"enrolment_code": found.pk}
        )
    return found


def redeemed_code(user: User, code_id: object) -> EnrolmentCode | None:
    """The enrolment code a session redeemed (its id kept in the session), if it is `user`'s and used."""
    if not isinstance(code_id, int):
        return None
    return EnrolmentCode.objects.filter(pk=code_id, user=user, used_at__isnull=False).first()
