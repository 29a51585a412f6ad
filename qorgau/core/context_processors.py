"""The UI shell's context: the navigation the user's role allows, who is signed in, the languages.

The menu is built from the user's actions, never from the role's name, so that an administrator who
edits a role changes the menu with it. Deny by default: a user without a role sees no menu at all.
Its entries are what the installed apps declare (`MenuEntry` in each app's registry.py, core.domains).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import get_language

from .domains import collected
from .middleware import is_verified
from .permissions import Scope

# Each language is offered in its own name, whatever the current UI language is.
NATIVE_LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url: str
    active: bool


def nav_for(user: Any, path: str = "") -> list[NavItem]:
    """The menu of `user`; the item whose URL is the longest prefix of `path` is marked active."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    entries = [(entry, reverse(entry.url_name)) for entry in collected().menu if entry.shows_for(user)]
    active_url = max(
        (url for _entry, url in entries if path == url or (url != "/" and path.startswith(url))),
        key=len,
        default=None,
    )
    return [NavItem(entry.key, entry.label, url, url == active_url) for entry, url in entries]


def scope_label(user: Any) -> str:
    """The user's scope in words, naming the regions when the scope is a set of regions."""
    label = str(user.get_scope_display())
    if user.scope == Scope.REGIONS:
        names = ", ".join(str(region) for region in user.scope_regions.all())
        if names:
            return f"{label}: {names}"
    return label


def shell(request: HttpRequest) -> dict[str, Any]:
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    languages = [
        {"code": code, "name": NATIVE_LANGUAGE_NAMES.get(code, str(name)), "current": code == current}
        for code, name in settings.LANGUAGES
    ]
    user = getattr(request, "user", None)
    context: dict[str, Any] = {
        "shell_languages": languages,
        "shell_nav": [],
        "shell_scope": "",
        "shell_verified": False,
    }
    # Until the second factor is passed, a session shows neither the menu nor who the account is.
    if user is not None and is_verified(user):
        context["shell_verified"] = True
        context["shell_nav"] = nav_for(user, request.path)
        context["shell_scope"] = scope_label(user)
    return context
