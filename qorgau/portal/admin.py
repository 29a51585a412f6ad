"""The public help page's content in the administration: every page listed with its versions; a save
adds a new version through the service (audited); a version is never edited (it is what the page said)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms import ModelForm
from django.http import HttpRequest

from qorgau.core.admin import site
from qorgau.core.permissions import has_action

from .models import HelpPage
from .services.content import LANGS, do_publish_page


@admin.register(HelpPage, site=site)
class HelpPageAdmin(admin.ModelAdmin):
    list_display = ("slug", "title_en", "published_at", "order")
    list_filter = ("slug",)
    COPIED = ("slug", "order", *(f"title_{lang}" for lang in LANGS), *(f"body_{lang}" for lang in LANGS))
    fields = (*COPIED[:2], "published_at", *COPIED[2:])

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_action(request.user, "portal.content")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_action(request.user, "portal.content")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return has_action(request.user, "portal.content")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        """A new version starts as a copy of the latest one of `?slug=`."""
        initial = super().get_changeform_initial_data(request)
        latest = HelpPage.objects.filter(slug=request.GET.get("slug", "")).order_by("-published_at").first()
        if latest is not None:
            for name in self.COPIED:
                initial[name] = getattr(latest, name)
        return initial

    def save_model(self, request: HttpRequest, obj: HelpPage, form: ModelForm, change: bool) -> None:
        data = form.cleaned_data
        try:
            page = do_publish_page(
                actor=request.user,  # type: ignore[arg-type]
                slug=data["slug"],
                titles={lang: data[f"title_{lang}"] for lang in LANGS},
                bodies={lang: data[f"body_{lang}"] for lang in LANGS},
                published_at=data["published_at"],
                order=data["order"],
            )
        except ValidationError:
            raise
        obj.pk = page.pk
