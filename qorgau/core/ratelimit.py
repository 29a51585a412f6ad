"""Limits on how often one user may repeat a sensitive look-up, counted from the audit log.

The audit log is the counter: it is shared by every web process and worker, survives restarts, and the
rows that count are the same rows an auditor reads. Pages show a `RateLimited` as a form error, the API
answers 429 with Retry-After (core/api/exceptions.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

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
