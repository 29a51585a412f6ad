"""Limits on how often one user may repeat a sensitive look-up, counted from the audit log.

The audit log is the counter: it is shared by every web process and worker, survives restarts, and the
rows that count are the same rows an auditor reads. Pages show a `RateLimited` as a form error, the API
answers 429 with Retry-After (core/api/exceptions.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from .models import AuditEvent


class RateLimited(Exception):
    """The actor did this too often in the window; `retry_after` seconds until the oldest counted row
    leaves it."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def recent_events(actor: Any, action: str, window: dt.timedelta) -> Any:
    """The actor's audit rows of `action` within the window (newest last)."""
    since = timezone.now() - window
    return AuditEvent.objects.filter(actor=actor.pk, action=action, time__gte=since).order_by("time")


def retry_after(events: Any, window: dt.timedelta) -> int:
    oldest = events.values_list("time", flat=True).first()
    if oldest is None:
        return int(window.total_seconds())
    return max(1, int((oldest + window - timezone.now()).total_seconds()) + 1)


_loading_demo_data: ContextVar[bool] = ContextVar("qorgau_loading_demo_data", default=False)


@contextmanager
def loading_demo_data() -> Iterator[None]:
    """While `manage.py demo` registers hundreds of synthetic persons as one demo user: the limits, made
    for a person at a keyboard, do not refuse (every look-up is still audited). Only with DEMO_MODE on,
    which production refuses (settings_checks.py)."""
    if not settings.DEMO_MODE:
        raise ImproperlyConfigured("Demo data are loaded only with DEMO_MODE on.")
    token = _loading_demo_data.set(True)
    try:
        yield
    finally:
        _loading_demo_data.reset(token)


def limits_apply() -> bool:
    """False only inside `loading_demo_data()`."""
    return not _loading_demo_data.get()
