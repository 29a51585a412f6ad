"""/healthz: database and task-worker health for the load balancer and monitoring."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from qorgau.core import health
from qorgau.core.tasks import heartbeat
from qorgau.core.testing import Personas

URL = "/healthz"


@pytest.fixture(autouse=True)
def _database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def heartbeats() -> int:
    return DBTaskResult.objects.filter(task_path=heartbeat.module_path).count()


def age(result_id: object, **fields: object) -> None:
    DBTaskResult.objects.filter(pk=str(result_id)).update(**fields)


def test_it_is_named_and_needs_no_login(client: Client, db: None) -> None:
    assert reverse("core:healthz") == URL
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]


def test_it_answers_a_signed_in_user_without_second_factor(client: Client, personas: Personas) -> None:
    client.force_login(personas.astana_officer)
    assert client.get(URL).status_code == 200


def test_it_reports_a_healthy_database(client: Client, db: None) -> None:
    body = client.get(URL).json()
    assert body["database"] == "ok"


def test_it_answers_503_when_the_database_fails(client: Client, db: None) -> None:
    with mock.patch.object(health, "check_database", return_value=False):
        response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["database"] == "error"
    assert response.json()["worker"] == "unknown"


def test_check_database_catches_database_errors(db: None) -> None:
    from django.db import DatabaseError

    with mock.patch.object(health.connection, "cursor", side_effect=DatabaseError("down")):
        assert health.check_database() is False
    assert health.check_database() is True


def test_the_worker_is_unknown_without_evidence_and_a_heartbeat_is_enqueued(client: Client, db: None) -> None:
    assert client.get(URL).json()["worker"] == "unknown"
    assert heartbeats() == 1
    # At most one heartbeat a minute, whoever asks.
    client.get(URL)
    assert heartbeats() == 1


def test_a_new_heartbeat_is_enqueued_after_a_minute(client: Client, db: None) -> None:
    client.get(URL)
    age(DBTaskResult.objects.get().pk, enqueued_at=timezone.now() - timedelta(seconds=61))
    client.get(URL)
    assert heartbeats() == 2


def test_the_worker_is_ok_when_a_task_finished_recently(client: Client, db: None) -> None:
    result = heartbeat.enqueue()
    age(result.id, status="SUCCESSFUL", finished_at=timezone.now() - timedelta(minutes=1))
    assert client.get(URL).json()["worker"] == "ok"


def test_the_worker_is_stale_when_a_task_waits_too_long(client: Client, db: None) -> None:
    finished = heartbeat.enqueue()
    age(finished.id, status="SUCCESSFUL", finished_at=timezone.now() - timedelta(minutes=1))
    waiting = heartbeat.enqueue()
    age(waiting.id, enqueued_at=timezone.now() - timedelta(minutes=6))
    response = client.get(URL)
    # The web tier still works: a stale worker is for monitoring, not a reason to leave the load balancer.
    assert response.status_code == 200
    assert response.json()["worker"] == "stale"


def test_a_deferred_task_counts_from_its_run_after(db: None) -> None:
    result = heartbeat.using(run_after=timezone.now() + timedelta(minutes=2)).enqueue()
    age(result.id, enqueued_at=timezone.now() - timedelta(hours=1))
    assert health.worker_status() == "unknown"  # not due yet, so not waiting
    age(result.id, run_after=timezone.now() - timedelta(minutes=6))
    assert health.worker_status() == "stale"


def test_the_worker_is_unknown_when_the_last_task_finished_long_ago(db: None) -> None:
    result = heartbeat.enqueue()
    age(result.id, status="SUCCESSFUL", finished_at=timezone.now() - timedelta(minutes=30))
    assert health.worker_status() == "unknown"


def test_the_heartbeat_prunes_old_heartbeats(db: None) -> None:
    old = heartbeat.enqueue()
    age(old.id, status="SUCCESSFUL", finished_at=timezone.now() - timedelta(hours=2))
    recent = heartbeat.enqueue()
    age(recent.id, status="SUCCESSFUL", finished_at=timezone.now() - timedelta(minutes=2))
    heartbeat.call()
    assert [str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)] == [recent.id]
