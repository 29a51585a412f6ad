"""Background tasks of the platform."""

from __future__ import annotations

from datetime import timedelta

from django.tasks import task
from django.utils import timezone

HEARTBEAT_KEEP = timedelta(hours=1)


@task()
def heartbeat() -> str:
    """Proof that a task worker is alive: /healthz enqueues this at most once a minute and reads the time
    the worker finished it. Older heartbeat results are pruned so that they do not pile up.
    """
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    DBTaskResult.objects.finished().filter(
        task_path=heartbeat.module_path, finished_at__lt=now - HEARTBEAT_KEEP
    ).delete()
    return now.isoformat()
