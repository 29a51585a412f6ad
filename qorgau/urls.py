from django.urls import include, path

from qorgau.core import admin as qorgau_admin

urlpatterns = [
    path("admin/", qorgau_admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("qorgau.api_urls")),
    path("people/", include("qorgau.people.urls")),
    path("signals/", include("qorgau.intake.urls")),
    path("", include("qorgau.core.urls")),
]
