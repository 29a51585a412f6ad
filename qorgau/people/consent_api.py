from rest_framework.routers import DefaultRouter


def register(router: DefaultRouter) -> None:
    """Consent API viewsets are registered here."""
