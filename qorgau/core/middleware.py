"""Request context for the audit log, the second-factor gate for every staff page, and no caching of
anything a signed-in user or the API is answered."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers


@dataclass(frozen=True)
class RequestContext:
    ip: str | None
    request_id: str


_current: ContextVar[RequestContext | None] = ContextVar("qorgau_request_context", default=None)


def current_request_context() -> RequestContext | None:
    return _current.get()


@contextmanager
def without_client_address() -> Iterator[None]:
    """Inside it, audit rows store no network address: the public help page's anonymous writers are not
    traced (portal), even by the audit row of the signal their message became."""
    ctx = _current.get()
    token = _current.set(RequestContext(ip=None, request_id=ctx.request_id) if ctx else None)
    try:
        yield
    finally:
        _current.reset(token)


def client_ip(request: HttpRequest) -> str | None:
    # Behind the production proxy the first X-Forwarded-For hop is the client; only trusted when configured.
    if getattr(settings, "USE_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current.set(RequestContext(ip=client_ip(request), request_id=str(uuid.uuid4())))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


def is_verified(user: Any) -> bool:
    """True for a signed-in user whose session passed the second factor (django_otp OTPMiddleware)."""
    return bool(user.is_authenticated and getattr(user, "is_verified", lambda: False)())


# Paths a signed-in user may reach before passing the second factor.
OTP_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/", "/api/", "/help/")


class RequireOTPMiddleware:
    """Every staff page needs a verified second factor; until then the user is sent to verify it.

    The API is exempt here because its session authentication class applies the same rule itself
    and token clients are service accounts.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not is_verified(user)
            and not request.path.startswith(OTP_EXEMPT_PREFIXES)
        ):
            target = reverse("core:otp_verify")
            if request.method == "GET":
                # Back to the page they asked for once verified (the verify view re-checks it is on-site).
                target += "?" + urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(target)
        return self.get_response(request)


class NoStoreMiddleware:
    """No browser or proxy keeps a copy of what a signed-in user saw, nor of any API answer.

    Pages of persons and signals must not survive in a shared computer's cache or back-button history at
    a police station: every response to an authenticated request, and every /api/ response (token clients
    authenticate inside DRF, after this middleware has looked), gets `Cache-Control: no-store` (with
    no-cache, must-revalidate, private) and `Pragma: no-cache` for HTTP/1.0 proxies. Static files keep
    their far-future caching: they hold no data.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(settings.STATIC_URL or "/static/"):
            return response
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
            response["Pragma"] = "no-cache"
        return response
