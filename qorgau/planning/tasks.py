"""Background tasks of the planning app (django.tasks): one scenario solve per task."""

from __future__ import annotations

from django.tasks import task

from .services import do_run_scenario


@task()
def run_scenario(scenario_id: int) -> str:
    """Solve one scenario; its status and progress show on its page while it runs."""
    scenario = do_run_scenario(scenario_id=scenario_id)
    return f"{scenario.code} {scenario.status}"
