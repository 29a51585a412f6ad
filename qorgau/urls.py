"""The root URL configuration: the admin, languages, the API, and the pages every installed app declares
(`UrlInclude` in its registry.py), in INSTALLED_APPS order."""

from typing import Any

from django.urls import include, path

from qorgau import api_urls
from qorgau.core import admin as qorgau_admin
from qorgau.core.domains import collected


def build_urlpatterns() -> list[Any]:
    return [
        path("admin/", qorgau_admin.site.urls),
        path("i18n/", include("django.conf.urls.i18n")),
        path("api/", include(api_urls.build_urlpatterns())),
        *(path(page.prefix, include(page.module)) for page in collected().urls),
    ]


urlpatterns = build_urlpatterns()
