"""The risk work queues on the home page (declared in registry.py). No names: codes, districts, dates."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qorgau.core.home import WorkQueue

from .queries import actions_for_my_agency, overdue_actions, referrals_waiting


def _action_url(action: Any) -> str:
    return reverse("risk:action_complete", args=[action.pk])


def describe_action(action: Any) -> str:
    text = gettext("%(code)s · due %(due)s · conference %(conference)s (%(district)s)") % {
        "code": action.code,
        "due": action.due_date.isoformat(),
        "conference": action.conference.date.isoformat(),
        "district": action.conference.district,
    }
    return gettext("%(action)s (overdue)") % {"action": text} if action.is_overdue() else text


def describe_overdue(action: Any) -> str:
    return gettext("%(agency)s: %(code)s, due %(due)s") % {
        "agency": action.agency,
        "code": action.code,
        "due": action.due_date.isoformat(),
    }


def describe_referral(referral: Any) -> str:
    return gettext("%(code)s · %(subject)s · %(district)s · referred %(day)s") % {
        "code": referral.code,
        "subject": referral.subject_label,
        "district": referral.district or referral.region,
        "day": referral.referred_at.date().isoformat(),
    }


QUEUES = [
    WorkQueue(
        key="risk-my-agency-actions",
        title=_("Conference actions assigned to my agency"),
        empty_message=_("Actions the risk conference assigns to your agency will appear here."),
        action="risk.act",
        items=actions_for_my_agency,
        url_name="risk:action_list",
        describe=describe_action,
        link=_action_url,
        order=40,
    ),
    WorkQueue(
        key="risk-overdue-actions",
        title=_("Overdue conference actions by agency"),
        empty_message=_("Conference actions past their due date will appear here."),
        action="risk.conference",
        items=overdue_actions,
        url_name="risk:action_list",
        describe=describe_overdue,
        link=_action_url,
        order=41,
    ),
    WorkQueue(
        key="risk-referrals-waiting",
        title=_("Victims referred to the risk conference"),
        empty_message=_(
            "Victims referred to the risk conference will appear here until a conference lists them."
        ),
        action="risk.conference",
        items=referrals_waiting,
        url_name="risk:referral_list",
        describe=describe_referral,
        link=None,
        order=42,
    ),
]
