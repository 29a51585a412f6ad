"""Reads of the cases domain that pages, queues and other apps share; every one starts from `visible_to`.

Queues and counts of "my work" read `visible_to(user, grants=False)`: a case shared with an agency stays
its owner's work. Lists name cases by code; the victim's name belongs on the detail page only, for the
users whose sections include "identity" (`case_sections`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from qorgau.core.aggregates import HoursBetween, Slice, percentile
from qorgau.core.grants import grant_sections
from qorgau.core.permissions import in_scope

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


# --- aggregates for the insights dashboards (counts only, never a row) ------------------------------------


def referral_figures(user: Any, part: Slice) -> dict[str, Any]:
    """Referrals requested in `part` from cases of `user`'s scope (counted in the case's region): how
    many, accepted and declined, and the hours from request to acceptance (median, 90th percentile).
    The caller checks the right to see aggregates (insights.view)."""
    rows = in_scope(Referral.objects.all(), Referral.scope, user).filter(
        requested_at__gte=part.start, requested_at__lt=part.end
    )
    cases = in_scope(Case.objects.all(), Case.scope, user)
    if part.regions is not None:
        rows = rows.filter(case__region__in=sorted(part.regions))
        cases = cases.filter(region__in=sorted(part.regions))
    if part.district:
        rows = rows.filter(case__district=part.district)
        cases = cases.filter(district=part.district)
    accepted = Q(status__in=[ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED])
    totals = rows.aggregate(
        total=Count("pk"),
        accepted=Count("pk", filter=accepted),
        declined=Count("pk", filter=Q(status="declined")),
    )
    histogram = list(
        rows.filter(accepted, decided_at__isnull=False)
        .annotate(h=HoursBetween("requested_at", "decided_at"))
        .values_list("h")
        .annotate(n=Count("pk"))
        .order_by()
    )
    opened = cases.filter(opened_at__gte=part.start, opened_at__lt=part.end).count()
    return {
        **totals,
        "cases_opened": opened,
        "hours_median": percentile(histogram, 0.5),
        "hours_p90": percentile(histogram, 0.9),
    }
