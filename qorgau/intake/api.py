from rest_framework.routers import DefaultRouter


def register(router: DefaultRouter) -> None:
    """Intake API viewsets are registered here."""
