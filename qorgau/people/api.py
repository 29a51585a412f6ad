from rest_framework.routers import DefaultRouter


def register(router: DefaultRouter) -> None:
    """People API viewsets are registered here."""
