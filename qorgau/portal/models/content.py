"""The public help page's content: edited by staff in the administration, in three languages, published
from a date. Templates hold the frame (quick exit, hotlines, navigation), never the text."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class PageSlug(models.TextChoices):
    ABOUT = "what-is-violence", _("What domestic violence is")
    AFTER_CALL = "after-a-call", _("What happens after a call")
    RIGHTS = "your-rights", _("Your rights")
    FRIEND = "help-a-friend", _("How to help a friend")
    TRACKS = "cover-your-tracks", _("Cover your tracks")


class HelpPage(models.Model):
    """One content page of the public help site; a later published version of a slug replaces it."""

    slug = models.SlugField(_("page"), max_length=40, choices=PageSlug.choices)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=200)
    title_ru = models.CharField(_("title (Russian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_kk = models.TextField(_("text (Kazakh)"), help_text=_("Paragraphs separated by an empty line."))
    body_ru = models.TextField(_("text (Russian)"), help_text=_("Paragraphs separated by an empty line."))
    body_en = models.TextField(_("text (English)"), help_text=_("Paragraphs separated by an empty line."))
    published_at = models.DateTimeField(
        _("published from"), default=timezone.now, help_text=_("Not shown before this moment.")
    )
    order = models.PositiveSmallIntegerField(_("order in the menu"), default=10)

    class Meta:
        ordering = ["order", "slug", "-published_at"]
        verbose_name = _("help page")
        verbose_name_plural = _("help pages")
        indexes = [models.Index(fields=["slug", "published_at"], name="helppage_slug_published_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_label(self) -> str:
        return self.slug

    def _lang(self, prefix: str) -> str:
        lang = (get_language() or "ru")[:2]
        return getattr(self, f"{prefix}_{lang}", "") or getattr(self, f"{prefix}_ru", "")

    @property
    def title(self) -> str:
        return self._lang("title")

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self._lang("body").replace("\r\n", "\n").split("\n\n") if p.strip()]
