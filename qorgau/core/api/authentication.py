"""How API calls authenticate: a verified session (the browser) or an API token (service clients)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header
from rest_framework.request import Request

from qorgau.core.models import ApiToken, User

from .tokens import find_token

# last_used_at is written at most this often per token, so that a busy client does not write every call.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class VerifiedSessionAuthentication(SessionAuthentication):
    """Session authentication that only accepts sessions that passed the second factor."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if not user.is_verified():
            return None
        return result


class ApiTokenAuthentication(BaseAuthentication):
    """`Authorization: Token <key>` with a key from `manage.py issue_api_token` (qorgau/core/api/tokens.py).

    Refused (401) when the token is unknown, expired or revoked, and while its owner is inactive or
    locked out by django-axes: a token never outlives the account's own right to sign in.
    """

    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        token = find_token(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        now = timezone.now()
        if not token.is_usable(now):
            raise exceptions.AuthenticationFailed(_("The token has expired or was revoked."))
        owner: User = token.owner
        if not owner.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if AxesProxyHandler.is_locked(request._request, {"username": owner.get_username()}):
            raise exceptions.AuthenticationFailed(_("The account is locked after failed sign-ins."))
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return owner, token

    def authenticate_header(self, request: Request) -> str:
        # Sent with every 401, which is why this class comes first in DEFAULT_AUTHENTICATION_CLASSES.
        return self.keyword


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    """Describes the verified session cookie in the OpenAPI schema (/api/schema/)."""

    target_class = VerifiedSessionAuthentication
    name = "sessionAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Describes the API token header in the OpenAPI schema."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'An API token issued with `manage.py issue_api_token`, sent as "Token <key>". '
            "It expires, can be revoked, and stops working while its owner is inactive or locked out.",
        }
