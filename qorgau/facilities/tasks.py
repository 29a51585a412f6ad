"""Background tasks of the facilities domain (django.tasks)."""

from __future__ import annotations

from django.tasks import task

from .services import do_lapse_requests


@task()
def lapse_requests_and_holds() -> list[str]:
    """Release lapsed holds and lapse unanswered requests (safe to run twice or late)."""
    return [request.code for request in do_lapse_requests()]
