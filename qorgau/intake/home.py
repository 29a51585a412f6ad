"""The intake work queues on the home page (declared in registry.py).

No names in any of them: a signal is its registration number, a place and a date.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qorgau.core.home import WorkQueue, local_date
from qorgau.core.models import Region

from .models import Signal
from .queries import checks_due, inspector_queue, overdue, overdue_by_region


def _signal_url(signal: Any) -> str:
    return reverse("intake:signal_detail", args=[signal.pk])


def overdue_signals(user: Any) -> QuerySet[Any]:
    # The deadlines of the user's own scope: a signal shared with their agency stays its owner's work.
    queryset = Signal.objects.visible_to(user, grants=False).select_related("region")
    return overdue(queryset).order_by("outcome_due", "id")


def describe_signal(signal: Any) -> str:
    return gettext("%(number)s · %(region)s · received %(received)s · outcome due %(due)s") % {
        "number": signal.registration_number,
        "region": signal.region,
        "received": local_date(signal.received_at),
        "due": local_date(signal.outcome_due),
    }


def describe_assigned(signal: Any) -> str:
    text = describe_signal(signal)
    return gettext("%(signal)s (overdue)") % {"signal": text} if signal.is_overdue else text


def checks_this_week(user: Any) -> QuerySet[Any]:
    now = timezone.now()
    return checks_due(user, now, now + timedelta(days=7))


def describe_check(check: Any) -> str:
    text = gettext("%(due)s · order %(order)s · signal %(number)s") % {
        "due": local_date(check.due_at),
        "order": check.order,
        "number": check.order.signal.registration_number,
    }
    return gettext("%(check)s (overdue)") % {"check": text} if check.is_overdue else text


def overdue_per_region(user: Any) -> list[tuple[Region, int]]:
    counts = overdue_by_region(user)
    regions = Region.objects.in_bulk(list(counts))
    return sorted(((regions[pk], n) for pk, n in counts.items()), key=lambda row: (-row[1], row[0].code))


QUEUES = [
    WorkQueue(
        "intake-overdue",
        title=_("Overdue signals"),
        empty_message=_("Open signals in your scope that missed a deadline will appear here."),
        action="intake.view",
        items=overdue_signals,
        url_name="intake:signal_list",
        url_query="overdue=true",
        describe=describe_signal,
        link=_signal_url,
        order=5,
    ),
    WorkQueue(
        "intake-assigned",
        title=_("Signals assigned to me"),
        empty_message=_("Open signals assigned to you will appear here, overdue first."),
        action="intake.outcome",
        items=inspector_queue,
        url_name="intake:inspector_queue",
        describe=describe_assigned,
        link=_signal_url,
        order=6,
    ),
    WorkQueue(
        "intake-checks-due",
        title=_("Compliance checks due this week"),
        empty_message=_("Checks of protective orders due in the next seven days will appear here."),
        action="intake.outcome",
        items=checks_this_week,
        url_name="intake:order_list",
        describe=describe_check,
        link=lambda check: reverse("intake:compliance_check", args=[check.pk]),
        order=7,
    ),
    WorkQueue(
        "intake-overdue-by-region",
        title=_("Overdue signals by region"),
        empty_message=_("Regions with overdue signals in your scope will appear here with their count."),
        action="intake.view",
        items=overdue_per_region,
        url_name="intake:signal_list",
        url_query="overdue=true",
        describe=lambda row: gettext("%(region)s: %(count)d overdue") % {"region": row[0], "count": row[1]},
        link=lambda row: f"{reverse('intake:signal_list')}?overdue=true&region={row[0].pk}",
        order=8,
    ),
]
