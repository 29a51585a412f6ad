"""The home page per role (core:home) and its queues as htmx fragments (core:home_queue)."""

from django.urls import path

from . import home

urlpatterns = [
    path("", home.home, name="home"),
    path("home/queues/<slug:key>/", home.home_queue, name="home_queue"),
]
