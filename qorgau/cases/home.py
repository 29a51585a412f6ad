"""The cases work queues on the home page (declared in registry.py).

No names in any of them: a case is its code, a state and dates. "My work" reads the user's own scope
(queries.py): a case referred to another agency stays its owner's work.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from qorgau.core.home import HomeAction, WorkQueue, local_date

from .models import Case, Referral, SafetyPlan
from .queries import my_cases, referrals_waiting, safety_reviews_overdue


def _case_url(case: Case) -> str:
    return reverse("cases:case_detail", args=[case.pk])


def describe_case(case: Case) -> str:
    return gettext("%(code)s · %(state)s · opened %(opened)s") % {
        "code": case.code,
        "state": case.get_state_display(),
        "opened": local_date(case.opened_at),
    }


def waited(since: Any, now: Any = None) -> str:
    """How long something has waited, in days or hours ("3 days", "5 hours")."""
    delta = (now or timezone.now()) - since
    days = delta.days
    if days >= 1:
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    hours = max(delta.seconds // 3600, 0)
    if hours >= 1:
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    minutes = max(delta.seconds // 60, 0)
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


def describe_referral(referral: Referral) -> str:
    return gettext("%(code)s · case %(case)s · %(purpose)s · from %(agency)s · waiting %(waited)s") % {
        "code": referral.code,
        "case": referral.case.code,
        "purpose": referral.purpose,
        "agency": referral.case.agency,
        "waited": waited(referral.requested_at),
    }


def waiting_referrals(user: Any) -> QuerySet[Referral]:
    return referrals_waiting(user).select_related("case__agency")


def overdue_reviews(user: Any) -> QuerySet[SafetyPlan]:
    return safety_reviews_overdue(user, timezone.localdate())


def describe_review(plan: SafetyPlan) -> str:
    return gettext("%(code)s · safety plan version %(version)d · review was due %(due)s") % {
        "code": plan.case.code,
        "version": plan.version,
        "due": formats.date_format(plan.review_due, "SHORT_DATE_FORMAT"),
    }


QUEUES = [
    WorkQueue(
        "cases-mine",
        title=_("My cases"),
        empty_message=_("Open cases assigned to you will appear here, oldest first."),
        action="cases.view",
        items=my_cases,
        url_name="cases:case_list",
        url_query="mine=true",
        describe=describe_case,
        link=_case_url,
        order=10,
    ),
    WorkQueue(
        "cases-referrals-waiting",
        title=_("Referrals waiting for my agency"),
        empty_message=_(
            "Cases referred to your agency will appear here until someone accepts or declines them."
        ),
        action="cases.change",
        items=waiting_referrals,
        url_name="cases:referral_list",
        describe=describe_referral,
        link=lambda referral: reverse("cases:referral_detail", args=[referral.pk]),
        order=11,
    ),
    WorkQueue(
        "cases-reviews-overdue",
        title=_("Overdue safety-plan reviews"),
        empty_message=_("Open cases whose safety plan is past its review date will appear here."),
        action="cases.view",
        items=overdue_reviews,
        url_name="cases:case_list",
        url_query="review_overdue=true",
        describe=describe_review,
        link=lambda plan: reverse("cases:case_detail", args=[plan.case_id]),
        order=12,
    ),
]

HOME_ACTIONS = [
    HomeAction("cases-open", _("Open a case"), action="cases.add", url_name="cases:case_open", order=110),
]
