"""Background tasks of the offenders domain (django.tasks)."""

from __future__ import annotations

from django.tasks import task

from .services import do_flag_overdue_steps


@task()
def flag_overdue() -> list[str]:
    """Flag treatment steps past their deadline (once each; safe to run twice or late)."""
    return [referral.code for referral in do_flag_overdue_steps()]
