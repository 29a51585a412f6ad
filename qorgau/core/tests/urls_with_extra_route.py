"""The site's urlconf plus one route that no matrix case covers (test_route_matrix.py)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from qorgau.urls import urlpatterns as site


def archive_signal(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse("archived")


urlpatterns = [*site, path("signals/<int:pk>/archive/", archive_signal, name="archive_signal")]
