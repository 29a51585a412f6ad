"""Reads of the risk app that pages, the API, panels and queues share; every one starts from visible_to."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from qorgau.core.aggregates import Slice
from qorgau.core.permissions import in_scope

from .models import (
    Answer,
    Assessment,
    AssessmentStatus,
    Conference,
    ConferenceAction,
    ConferenceReferral,
    InstrumentVersion,
    ReferralStatus,
)
from .scoring import score_many

# The band code the default instrument (DASH-style, migration 0002) gives a high risk; an instrument a
# ministry publishes keeps the codes standard / medium / high (the dashboards count this one).
HIGH_BAND = "high"


def assessment_list(user: Any, action: str = "view") -> QuerySet[Assessment]:
    return Assessment.objects.visible_to(user, action).select_related(
        "signal", "case", "version", "version__instrument", "assessed_by"
    )


def assessments_of_signal(user: Any, signal: Any) -> list[Assessment]:
    return list(assessment_list(user).filter(signal=signal).order_by("-started_at", "-id"))


def assessments_of_case(user: Any, case: Any) -> list[Assessment]:
    return list(assessment_list(user).filter(case=case).order_by("-started_at", "-id"))


def referrals_waiting(user: Any) -> QuerySet[ConferenceReferral]:
    """Referrals waiting for a conference in the user's scope, oldest first (the next agenda)."""
    return (
        ConferenceReferral.objects.visible_to(user)
        .filter(status=ReferralStatus.WAITING)
        .select_related("region", "district", "agency", "case", "signal")
        .order_by("referred_at", "id")
    )


def conference_list(user: Any) -> QuerySet[Conference]:
    return Conference.objects.visible_to(user).select_related("region", "district", "chair", "agency")


def agenda(conference: Conference) -> list[ConferenceReferral]:
    """The conference's agenda, oldest referral first, with each victim's actions."""
    actions = ConferenceAction.objects.select_related("agency", "owner").order_by("due_date", "id")
    return list(
        conference.referrals.select_related("case", "signal", "victim", "assessment")
        .prefetch_related(Prefetch("actions", queryset=actions))
        .order_by("referred_at", "id")
    )


def open_actions(user: Any, action: str = "view") -> QuerySet[ConferenceAction]:
    return (
        ConferenceAction.objects.visible_to(user, action)
        .filter(completed_at__isnull=True)
        .select_related("agency", "owner", "conference", "conference__district", "referral")
        .order_by("due_date", "id")
    )


def actions_for_my_agency(user: Any) -> QuerySet[ConferenceAction]:
    """Open conference actions assigned to the user's agency (or to the user)."""
    if not getattr(user, "agency_id", None):
        return open_actions(user, "act").filter(owner=user)
    return open_actions(user, "act").filter(agency_id=user.agency_id)


def overdue_actions(user: Any, today: dt.date | None = None) -> QuerySet[ConferenceAction]:
    """Open actions past their due date in the user's own scope (the chair's queue)."""
    today = today or timezone.localdate()
    return (
        ConferenceAction.objects.visible_to(user, grants=False)
        .filter(completed_at__isnull=True, due_date__lt=today)
        .select_related("agency", "owner", "conference", "conference__district", "referral")
        .order_by("agency__name", "due_date", "id")
    )


@dataclass(frozen=True)
class AgencyOverdue:
    agency: Any
    actions: list[ConferenceAction]


def overdue_by_agency(user: Any, today: dt.date | None = None) -> list[AgencyOverdue]:
    groups: dict[int, list[ConferenceAction]] = defaultdict(list)
    agencies: dict[int, Any] = {}
    for action in overdue_actions(user, today):
        groups[action.agency_id].append(action)
        agencies[action.agency_id] = action.agency
    return [AgencyOverdue(agencies[pk], rows) for pk, rows in groups.items()]


def conference_history(user: Any, *, case: Any = None, victim: Any = None) -> list[ConferenceReferral]:
    """Every referral of a case (or a victim) to the conference, newest first, with its actions."""
    referrals = ConferenceReferral.objects.visible_to(user)
    referrals = referrals.filter(case=case) if case is not None else referrals.filter(victim=victim)
    actions = ConferenceAction.objects.select_related("agency").order_by("due_date", "id")
    return list(
        referrals.select_related("conference", "conference__district")
        .prefetch_related(Prefetch("actions", queryset=actions))
        .order_by("-referred_at", "-id")
    )


def score_year(year: int, assessments: Iterable[int] | None = None) -> dict[int, tuple[int, str]]:
    """Score every completed assessment started in `year` in one pass over their answers (bench/):
    {assessment id: (score, band)}. Reference data and counts only: no person is read."""
    rows = Answer.objects.filter(
        assessment__status=AssessmentStatus.COMPLETED, assessment__started_at__year=year
    )
    if assessments is not None:
        rows = rows.filter(assessment_id__in=list(assessments))
    bands = {version.pk: version.band_list() for version in InstrumentVersion.objects.all()}
    pairs = (
        rows.order_by()
        .values_list("assessment_id", "assessment__version_id", "value")
        .iterator(chunk_size=5000)
    )
    return score_many(pairs, bands)


# --- aggregates for the insights dashboards (counts only, never a row) ------------------------------------


def risk_figures(user: Any, part: Slice, today: dt.date | None = None) -> dict[str, Any]:
    """Assessments completed in `part` (high-risk share), referrals to the risk conference, and actions
    overdue today, within `user`'s scope. The caller checks the right to see aggregates (insights.view)."""
    today = today or timezone.localdate()
    assessments = in_scope(Assessment.objects.all(), Assessment.scope, user).filter(
        status=AssessmentStatus.COMPLETED, completed_at__gte=part.start, completed_at__lt=part.end
    )
    referrals = in_scope(ConferenceReferral.objects.all(), ConferenceReferral.scope, user).filter(
        referred_at__gte=part.start, referred_at__lt=part.end
    )
    actions = in_scope(ConferenceAction.objects.all(), ConferenceAction.scope, user).filter(
        completed_at__isnull=True, due_date__lt=today
    )
    if part.regions is not None:
        regions = sorted(part.regions)
        assessments = assessments.filter(Q(signal__region__in=regions) | Q(case__region__in=regions))
        referrals = referrals.filter(region__in=regions)
        actions = actions.filter(conference__region__in=regions)
    if part.district:
        assessments = assessments.filter(Q(signal__district=part.district) | Q(case__district=part.district))
        referrals = referrals.filter(district=part.district)
        actions = actions.filter(referral__district=part.district)
    done = assessments.aggregate(total=Count("pk"), high=Count("pk", filter=Q(final_band=HIGH_BAND)))
    return {
        "assessments": done["total"],
        "high_risk": done["high"],
        "conference_referrals": referrals.count(),
        "overdue_actions": actions.count(),
    }
