"""Background tasks of the cases domain (django.tasks)."""

from __future__ import annotations

from django.tasks import task

from .services import do_end_referrals_without_consent


@task()
def end_referrals_without_consent() -> list[str]:
    """End the access of accepted referrals whose consent was withdrawn (safe to run twice or late)."""
    return [referral.code for referral in do_end_referrals_without_consent()]
