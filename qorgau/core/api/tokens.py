"""Issuing and revoking API tokens (the model: qorgau/core/models_tokens.py).

A token belongs to a named service client and acts as its owner: the owner's role and scope apply to
every call, exactly as for the owner's own session. It does not pass the second factor, so it is issued
only by an operator at the server (`manage.py issue_api_token`) or an administrator of the owner's
agency, always with an expiry, and audited. The clear key is returned once and never stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau.core.audit import record
from qorgau.core.models import ApiToken, User
from qorgau.core.permissions import Scope, has_action

MAX_DAYS = 365
# A recognisable prefix lets secret scanners and log filters find leaked keys.
KEY_PREFIX = "qg_"
PREFIX_LENGTH = 10


def hash_key(key: str) -> str:
    """The stored form of a key. The key is 256 random bits, so a fast hash cannot be brute-forced."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _may_issue(actor: User | None, owner: User) -> bool:
    if actor is None:  # an operator at the server (the management command)
        return True
    if not has_action(actor, "core.admin"):
        return False
    return actor.scope == Scope.NATIONAL or (
        actor.agency_id is not None and actor.agency_id == owner.agency_id
    )


def do_issue_api_token(
    *, actor: User | None, owner: User, name: str, days: int, operator: str = ""
) -> tuple[ApiToken, str]:
    """A new token for `owner`'s service client `name`, valid for `days` (1 to MAX_DAYS), and its clear key.

    `actor` None means an operator at the server; `operator` then names them in the audit row.
    """
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Name the service client that will use the token.")]
    elif len(name) > ApiToken._meta.get_field("name").max_length:  # type: ignore[operator]
        errors["name"] = [_("The client name is too long.")]
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = [_("A token is valid for 1 to %(max)d days.") % {"max": MAX_DAYS}]
    if not owner.is_active:
        errors["owner"] = [_("The owner's account is not active.")]
    if errors:
        raise ValidationError(errors)
    if not _may_issue(actor, owner):
        raise PermissionDenied("Only an administrator of the owner's agency may issue its tokens.")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            name=name,
            prefix=key[:PREFIX_LENGTH],
            key_hash=hash_key(key),
            owner=owner,
            created_at=now,
            created_by=actor,
            expires_at=now + dt.timedelta(days=days),
        )
        record(
            actor=actor,
            username=operator,
            action="api_token.issue",
            obj=token,
            changes={
                "owner": owner.pk,
                "owner_agency": owner.agency_id,
                "name": name,
                "expires_at": token.expires_at.isoformat(),
            },
        )
    return token, key


def do_revoke_api_token(
    *, actor: User | None, token: ApiToken, operator: str = "", reason: str = ""
) -> ApiToken:
    """Revoke `token` at once (its next call answers 401). Revoking a revoked token changes nothing."""
    if not _may_issue(actor, token.owner):
        raise PermissionDenied("Only an administrator of the owner's agency may revoke its tokens.")
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            return token
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        record(
            actor=actor,
            username=operator,
            action="api_token.revoke",
            obj=token,
            changes={"owner": token.owner_id, "owner_agency": token.owner.agency_id},
            reason=reason,
        )
    return token


def find_token(key: str) -> ApiToken | None:
    """The token with this clear key, whatever its state (the authentication decides), or None."""
    if not key.startswith(KEY_PREFIX):
        return None
    return ApiToken.objects.select_related("owner").filter(key_hash=hash_key(key)).first()
