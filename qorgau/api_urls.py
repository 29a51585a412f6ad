"""The REST API under /api/: each installed app that declares an API module (`Domain(api=...)` in its
registry.py) registers its viewsets there with `register(router)`, in INSTALLED_APPS order."""

from importlib import import_module
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.exceptions import NotFound
from rest_framework.routers import DefaultRouter

from qorgau.core.domains import collected


def build_router() -> DefaultRouter:
    router = DefaultRouter()
    for module in collected().api_modules:
        import_module(module).register(router)
    return router


@csrf_exempt  # it reads and changes nothing; a POST without a CSRF token must get the same JSON 404
def not_found(request: HttpRequest, *args: object, **kwargs: object) -> JsonResponse:
    """Any other path under /api/ (e.g. an id that is not a number) answers 404 in JSON, as the API does."""
    return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)


def build_urlpatterns() -> list[Any]:
    return [
        path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
        path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
        path("", include(build_router().urls)),
        # Only paths ending in a slash: an unslashed one is still redirected to its slashed form first.
        re_path(r"^(?:.*/)?$", not_found),
    ]


urlpatterns = build_urlpatterns()
