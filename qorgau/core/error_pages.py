"""The product's 404 and 500 pages in development too.

With DEBUG on, Django answers an unknown URL with its technical 404 page (the whole URL map) and an error
with the technical 500 page (settings, source, local variables). `make run` is what a newcomer deploys
first, and its pages must not show that: this middleware gives them the product's pages, as production
does. A developer who wants the technical pages sets DEBUG_TECHNICAL_PAGES=1 (docs/operations.md). With
DEBUG off (production, and the test suite) Django shows the product's pages itself and this does nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core import signals
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, get_resolver
from django.views import defaults

logger = logging.getLogger("django.request")


def technical_pages() -> bool:
    return bool(settings.DEBUG and getattr(settings, "DEBUG_TECHNICAL_PAGES", False))


class ProductErrorPagesMiddleware:
    """After the session, locale, authentication and messages middleware, so that the pages have their
    menu and language; before CommonMiddleware's slash redirect looks at the 404 (it is outside)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.DEBUG and not technical_pages():
            # An unknown URL fails in URL resolution, before any view or process_exception hook.
            try:
                get_resolver(getattr(request, "urlconf", None)).resolve(request.path_info)
            except Resolver404 as exc:
                return defaults.page_not_found(request, exc)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not settings.DEBUG or technical_pages():
            return None
        if isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        if _handled_by_django(exception):
            return None
        # What Django does for an uncaught exception, except the technical page: log it, signal it.
        signals.got_request_exception.send(sender=None, request=request)
        logger.error(
            "Internal Server Error: %s", request.path, exc_info=exception, extra={"request": request}
        )
        return defaults.server_error(request)


def _handled_by_django(exception: Exception) -> bool:
    """Exceptions Django answers with the product's 400 and 403 pages even under DEBUG."""
    from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
    from django.http.multipartparser import MultiPartParserError

    return isinstance(exception, PermissionDenied | BadRequest | SuspiciousOperation | MultiPartParserError)
