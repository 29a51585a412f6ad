"""The public help page (no login): hotlines first, content edited in the administration, the centres of
each region (name, hours, phone: never an address), "write to us", and the quick exit.

No traces (docs/portal.md): no cookie (no session is written, no CSRF cookie: the forms carry a signed
moment instead), no script or style from elsewhere (CSS and the exit script are inline, with the CSP
nonce), `Cache-Control: no-store` and `Referrer-Policy: no-referrer` on every answer, neutral titles.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from qorgau.core.middleware import client_ip
from qorgau.core.models import Region
from qorgau.core.ratelimit import RateLimited

from ..forms import AdditionForm, MessageForm, form_token
from ..hotlines import HOTLINES
from ..models import PageSlug
from ..queries import directory_by_region, published_pages
from ..services import do_add_to_message, do_send_message

LANGUAGES = ("kk", "ru", "en")
NATIVE = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
EXIT_DEFAULT = "https://www.google.com/"


def _no_traces(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
    response["Pragma"] = "no-cache"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noarchive"
    return response


def public(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The page in the language of the URL, with the no-trace headers."""

    @wraps(view)
    def wrapper(request: HttpRequest, lang: str, **kwargs: Any) -> HttpResponse:
        known = lang in LANGUAGES
        shown = lang if known else "ru"
        with translation.override(shown):
            try:
                if not known:
                    raise Http404
                response = view(request, lang, **kwargs)
            except Http404:
                # The help site's own "not found": the staff 404 page would set a CSRF cookie.
                response = _render(request, shown, "portal/public/not_found.html", {}, 404)
            response["Content-Language"] = shown
        return _no_traces(response)

    return wrapper


def _render(
    request: HttpRequest, lang: str, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    pages = published_pages()
    here = request.path if request.path.startswith(f"/help/{lang}/") else f"/help/{lang}/"
    switch = [(code, NATIVE[code], here.replace(f"/help/{lang}/", f"/help/{code}/", 1)) for code in LANGUAGES]
    return render(
        request,
        template,
        {
            "lang": lang,
            "languages": switch,
            "menu": [(slug, pages[slug].title) for slug in PageSlug.values if slug in pages],
            "hotlines": HOTLINES,
            **context,
        },
        status=status,
    )


@require_safe
def choose_language(request: HttpRequest) -> HttpResponse:
    """/help/: to the page in the browser's language (Accept-Language; Russian when none fits)."""
    lang = translation.get_language_from_request(request)[:2]
    response = HttpResponseRedirect(
        reverse("help:home", kwargs={"lang": lang if lang in LANGUAGES else "ru"})
    )
    patch_vary_headers(response, ["Accept-Language"])
    return _no_traces(response)


@require_safe
def away(request: HttpRequest) -> HttpResponse:
    """The quick exit's target: on to a neutral site (PORTAL_EXIT_URL), with the cache of this site
    cleared in browsers that support Clear-Site-Data. The page itself carries no external address."""
    response = HttpResponseRedirect(getattr(settings, "PORTAL_EXIT_URL", EXIT_DEFAULT))
    response["Clear-Site-Data"] = '"cache"'
    return _no_traces(response)


@require_safe
@public
def home(request: HttpRequest, lang: str) -> HttpResponse:
    return _render(request, lang, "portal/public/home.html", {})


@require_safe
@public
def page(request: HttpRequest, lang: str, slug: str) -> HttpResponse:
    found = published_pages().get(slug)
    if found is None:
        raise Http404
    return _render(request, lang, "portal/public/page.html", {"page": found})


@require_safe
@public
def regions(request: HttpRequest, lang: str) -> HttpResponse:
    return _render(
        request, lang, "portal/public/regions.html", {"regions": Region.objects.order_by("name_en")}
    )


@require_safe
@public
def region(request: HttpRequest, lang: str, code: str) -> HttpResponse:
    for place, centres in directory_by_region():
        if place.code == code:
            return _render(request, lang, "portal/public/region.html", {"region": place, "centres": centres})
    raise Http404


def _foreign_origin(request: HttpRequest) -> bool:
    """A POST from a page of another site (the Origin header names it): refused, as CSRF would be."""
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return False
    return urlsplit(origin).netloc != request.get_host()


def _address(request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def _refused(form: Any, exc: RateLimited) -> int:
    form.add_error(None, exc.message)
    form.retry_after = exc.retry_after
    return 429


def _answer(request: HttpRequest, lang: str, template: str, form: Any, status: int) -> HttpResponse:
    response = _render(request, lang, template, {"form": form}, status=status)
    if getattr(form, "retry_after", None):
        response["Retry-After"] = str(form.retry_after)
    return response


@csrf_exempt  # no CSRF cookie on the public page: the form's signed moment and Origin check stand in
@require_http_methods(["GET", "POST"])
@public
def write(request: HttpRequest, lang: str) -> HttpResponse:
    status = 200
    form = MessageForm(request.POST or None, initial={"token": form_token()})
    if request.method == "POST":
        if _foreign_origin(request):
            form.add_error(None, _("The message could not be sent from this page."))
            status = 403
        elif form.is_valid():
            try:
                received = do_send_message(
                    address=_address(request),
                    region=form.cleaned_data["region"],
                    text=form.cleaned_data["text"],
                    children_involved=form.cleaned_data["children"],
                )
            except RateLimited as exc:
                status = _refused(form, exc)
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, messages)
                status = 400
            else:
                return _render(request, lang, "portal/public/sent.html", {"received": received})
        else:
            status = 400
        data = request.POST.copy()
        data["token"] = form_token()  # a fresh moment for the next try; the text stays
        form.data = data
    return _answer(request, lang, "portal/public/write.html", form, status)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@public
def add(request: HttpRequest, lang: str) -> HttpResponse:
    status = 200
    form = AdditionForm(request.POST or None, initial={"token": form_token()})
    if request.method == "POST":
        if _foreign_origin(request):
            form.add_error(None, _("The message could not be sent from this page."))
            status = 403
        elif form.is_valid():
            try:
                do_add_to_message(
                    address=_address(request),
                    reference=form.cleaned_data["reference"],
                    text=form.cleaned_data["text"],
                )
            except RateLimited as exc:
                status = _refused(form, exc)
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, messages)
                status = 400
            else:
                return _render(request, lang, "portal/public/added.html", {})
        else:
            status = 400
        data = request.POST.copy()
        data["token"] = form_token()
        form.data = data
    return _answer(request, lang, "portal/public/add.html", form, status)
