"""Background schedules: the periodic tasks the installed apps declare (`Schedule` in registry.py).

There is no scheduler process: `manage.py enqueue_schedules`, run every minute by a timer
(docs/operations.md), enqueues each declared task that was not enqueued within its interval; the task
worker (`db_worker`) runs it. The interval is counted from the task table, which every process shares,
so running the command more often, or from two machines, does not enqueue a task twice per interval.
With a tasks backend other than the database backend nothing is enqueued (there is no table to read).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.tasks import task_backends
from django.utils import timezone
from django.utils.module_loading import import_string

from .domains import collected


def enqueue_if_due(task: Any, every: timedelta, now: datetime | None = None) -> bool:
    """Enqueue `task` unless it was enqueued within `every`; True if it was enqueued now."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task_backends["default"], DatabaseBackend):
        return False
    now = now or timezone.now()
    if DBTaskResult.objects.filter(task_path=task.module_path, enqueued_at__gt=now - every).exists():
        return False
    task.enqueue()
    return True


def enqueue_due(now: datetime | None = None) -> list[str]:
    """Enqueue every declared schedule that is due; the keys of those enqueued."""
    return [
        schedule.key
        for schedule in collected().schedules
        if enqueue_if_due(import_string(schedule.task), schedule.every, now)
    ]
