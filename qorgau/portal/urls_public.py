"""The public help page: /help/ (no login; OTP-exempt in core.middleware)."""

from django.urls import path

from .views import public

app_name = "help"
urlpatterns = [
    path("", public.choose_language, name="choose_language"),
    path("away/", public.away, name="away"),
    path("<str:lang>/", public.home, name="home"),
    path("<str:lang>/page/<slug:slug>/", public.page, name="page"),
    path("<str:lang>/regions/", public.regions, name="regions"),
    path("<str:lang>/regions/<str:code>/", public.region, name="region"),
    path("<str:lang>/write/", public.write, name="write"),
    path("<str:lang>/write/add/", public.add, name="add"),
]
