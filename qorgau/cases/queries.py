"""Reads of the cases domain that pages, queues and other apps share; every one starts from `visible_to`.

Queues and counts of "my work" read `visible_to(user, grants=False)`: a case shared with an agency stays
its owner's work. Lists name cases by code; the victim's name belongs on the detail page only, for the
users whose sections include "identity" (`case_sections`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from qorgau.core.grants import grant_sections

from .models import SECTIONS, Case, Referral, ReferralStatus, SafetyPlan


def case_list(user: Any) -> QuerySet[Case]:
    """The cases `user` may see (own scope and active referrals), for a list: no victim joined."""
    return Case.objects.visible_to(user, "view").select_related("agency", "region", "assigned_to")


def my_cases(user: Any) -> QuerySet[Case]:
    """Open cases assigned to `user`, oldest first."""
    return (
        Case.objects.visible_to(user, "view", grants=False)
        .filter(assigned_to=user.pk, closed_at__isnull=True)
        .order_by("opened_at", "id")
    )


def referrals_waiting(user: Any) -> QuerySet[Referral]:
    """Referrals to `user`'s agency that wait for an answer, longest waiting first."""
    if not getattr(user, "agency_id", None):
        return Referral.objects.none()
    return (
        Referral.objects.visible_to(user, "view", grants=False)
        .filter(to_agency=user.agency_id, status=ReferralStatus.REQUESTED)
        .select_related("case", "purpose")
        .order_by("requested_at", "id")
    )


def current_safety_plan(case: Case) -> SafetyPlan | None:
    """The latest version of the case's safety plan (earlier versions stay in `case.safety_plans`)."""
    return SafetyPlan.objects.filter(case=case).order_by("-version").first()


def safety_reviews_overdue(user: Any, today: dt.date) -> QuerySet[SafetyPlan]:
    """The current safety plans of open cases in `user`'s own scope whose review date has passed."""
    latest = SafetyPlan.objects.filter(case=OuterRef("case")).order_by("-version").values("version")[:1]
    return (
        SafetyPlan.objects.visible_to(user, "view", grants=False)
        .filter(case__closed_at__isnull=True, review_due__lt=today, version=Subquery(latest))
        .select_related("case")
        .order_by("review_due", "id")
    )


def case_sections(user: Any, case: Case) -> dict[str, bool]:
    """Which sections of `case` the page and serializer show to `user`: all by own scope, else only
    those of the user's active referrals' purposes (core.grants.grant_sections)."""
    sections = grant_sections(user, case)
    return {code: sections is None or code in sections for code in SECTIONS}
