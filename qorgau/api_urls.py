"""The REST API under /api/: each domain app exposes `register(router)` in its api module."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

router = DefaultRouter()
# Domain apps register their viewsets here, in dependency order.
for module in ("qorgau.people.api", "qorgau.people.consent_api", "qorgau.intake.api"):
    __import__(module, fromlist=["register"]).register(router)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
