"""Publishing the public help page's content (`portal.content`): each save is a new version of a page,
shown from its publish date; the earlier versions stay (what the page said, when, is history)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.audit import record
from qorgau.core.models import User
from qorgau.core.permissions import has_action

from ..models import HelpPage, PageSlug

LANGS = ("kk", "ru", "en")
BODY_MAX = 20_000


def do_publish_page(
    *,
    actor: User | None,
    slug: str,
    titles: dict[str, str],
    bodies: dict[str, str],
    published_at: dt.datetime | None = None,
    order: int = 10,
) -> HelpPage:
    """A new version of page `slug`, in all three languages (none may be empty). `actor=None` only for
    the demo and the first content, which load it as the installation's own."""
    if actor is not None and not has_action(actor, "portal.content"):
        raise PermissionDenied("portal.content is not granted.")
    errors: dict[str, Any] = {}
    if slug not in PageSlug.values:
        errors["slug"] = _("Choose a page.")
    for lang in LANGS:
        title = (titles.get(lang) or "").strip()
        body = (bodies.get(lang) or "").strip()
        if not title or len(title) > 200:
            errors[f"title_{lang}"] = _("A title of at most 200 characters is needed in every language.")
        if not body or len(body) > BODY_MAX:
            errors[f"body_{lang}"] = _("A text of at most %(n)d characters is needed in every language.") % {
                "n": BODY_MAX
            }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        page = HelpPage.objects.create(
            slug=slug,
            published_at=published_at or timezone.now(),
            order=order,
            **{f"title_{lang}": titles[lang].strip() for lang in LANGS},
            **{f"body_{lang}": bodies[lang].strip() for lang in LANGS},
        )
        record(
            actor=actor,
            username="" if actor else "portal content",
            action="helppage.publish",
            obj=page,
            changes={
                "slug": {"old": None, "new": slug},
                "published_at": {"old": None, "new": page.published_at.isoformat()},
            },
        )
    return page
