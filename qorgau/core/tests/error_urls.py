"""The project's URLs plus a view that fails, for the error page tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from qorgau.urls import urlpatterns as project_urlpatterns


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a view")


urlpatterns = [path("fail/", fail), *project_urlpatterns]
