"""Background tasks of the family map (django.tasks): the pipeline run, one at a time."""

from __future__ import annotations

from django.tasks import task

from .services.runs import execute_run


@task()
def run_pipeline(run_id: int) -> str:
    """Run or resume a refresh or dry run stage by stage (safe to run twice: finished stages are skipped)."""
    return execute_run(run_id).status
