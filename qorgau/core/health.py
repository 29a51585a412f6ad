"""/healthz: is the database answering, and is the task worker taking work?

- database: "ok" when a `SELECT 1` succeeds, else "error" (and the answer is 503).
- worker (django-tasks-db `db_worker`), judged from the task table, which every process shares:
  - "stale" when a task has been ready to run for more than WORKER_STALE_AFTER without being picked up;
  - "ok" when nothing waits that long and some task finished within WORKER_STALE_AFTER;
  - "unknown" otherwise (nothing finished recently and nothing waiting too long: e.g. just after start),
    or when the tasks backend is not the database backend.
  So that an idle system still shows proof of life, each call enqueues `core.tasks.heartbeat` unless one
  was enqueued within HEARTBEAT_EVERY; with a live worker it finishes within seconds.
  A stale worker does not make the answer 503: web pages still work, and the load balancer must not take
  web processes out of service for it. Monitoring should alert on "stale".

The answer carries no personal data and needs no login.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import DatabaseError, connection
from django.db.models import Max, Min
from django.http import HttpRequest, JsonResponse
from django.tasks import task_backends
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

WORKER_STALE_AFTER = timedelta(minutes=5)
HEARTBEAT_EVERY = timedelta(minutes=1)


def check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return False


def worker_status(now: datetime | None = None) -> str:
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult, get_date_max

    backend = task_backends["default"]
    if not isinstance(backend, DatabaseBackend):
        return "unknown"
    now = now or timezone.now()
    results = DBTaskResult.objects.filter(backend_name=backend.alias)
    ready = results.ready()
    # A task without run_after waits since it was enqueued; a deferred one since its run_after.
    waiting_since = [
        ready.filter(run_after=get_date_max()).aggregate(t=Min("enqueued_at"))["t"],
        ready.exclude(run_after=get_date_max()).aggregate(t=Min("run_after"))["t"],
    ]
    oldest = min((t for t in waiting_since if t is not None), default=None)
    if oldest is not None and now - oldest > WORKER_STALE_AFTER:
        return "stale"
    last_finished = results.finished().aggregate(t=Max("finished_at"))["t"]
    if last_finished is not None and now - last_finished <= WORKER_STALE_AFTER:
        return "ok"
    return "unknown"


def ensure_heartbeat(now: datetime | None = None) -> None:
    from .scheduling import enqueue_if_due
    from .tasks import heartbeat

    enqueue_if_due(heartbeat, HEARTBEAT_EVERY, now)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    database_ok = check_database()
    worker = "unknown"
    if database_ok:
        try:
            worker = worker_status()
            ensure_heartbeat()
        except DatabaseError:
            logger.exception("Health check: cannot read the task table")
    body = {
        "database": "ok" if database_ok else "error",
        "worker": worker,
        "checked_at": timezone.now().isoformat(),
    }
    return JsonResponse(body, status=200 if database_ok else 503)
