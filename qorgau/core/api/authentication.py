from typing import Any

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request


class VerifiedSessionAuthentication(SessionAuthentication):
    """Session authentication that only accepts sessions that passed the second factor."""

    def authenticate(self, request: Request):
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if not user.is_verified():
            return None
        return result


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    """Describes the verified session cookie in the OpenAPI schema (/api/schema/)."""

    target_class = VerifiedSessionAuthentication
    name = "sessionAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}
