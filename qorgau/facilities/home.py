"""The facilities work queues on the home page (declared in registry.py): no names, only codes."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qorgau.core.home import WorkQueue

from .models import RequestStatus
from .queries import holds_lapsing, my_requests, requests_waiting, stale_facilities


def _time(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def describe_request(request: Any) -> str:
    return gettext("%(code)s · %(type)s · answer due %(due)s") % {
        "code": request.code,
        "type": request.get_place_type_display(),
        "due": _time(request.answer_due),
    }


def describe_hold(hold: Any) -> str:
    return gettext("%(code)s · %(places)s places held until %(until)s") % {
        "code": hold.request.code,
        "places": hold.places,
        "until": _time(hold.expires_at),
    }


def describe_mine(request: Any) -> str:
    return gettext("%(code)s · %(facility)s · %(status)s") % {
        "code": request.code,
        "facility": request.facility,
        "status": request.get_status_display(),
    }


def _manage(_row: Any) -> str:
    return reverse("facilities:manage")


QUEUES = [
    WorkQueue(
        key="facility-requests",
        title=_("Placement requests waiting for your answer"),
        empty_message=_("Requests for a place at your facility will appear here."),
        action="facilities.change",
        items=requests_waiting,
        url_name="facilities:manage",
        describe=describe_request,
        link=_manage,
        order=40,
    ),
    WorkQueue(
        key="facility-holds",
        title=_("Places held, soonest to lapse first"),
        empty_message=_("Places held for accepted requests will appear here."),
        action="facilities.change",
        items=holds_lapsing,
        url_name="facilities:manage",
        describe=describe_hold,
        link=_manage,
        order=41,
    ),
    WorkQueue(
        key="facility-stale",
        title=_("Vacancy data older than 24 hours"),
        empty_message=_("Facilities whose vacancies were not confirmed for a day will appear here."),
        action="facilities.change",
        items=stale_facilities,
        url_name="facilities:manage",
        link=_manage,
        order=42,
    ),
    WorkQueue(
        key="placement-requests-mine",
        title=_("My open placement requests"),
        empty_message=_("Placement requests you make for your cases will appear here."),
        action="facilities.request",
        items=lambda user: my_requests(user).filter(
            status__in=(RequestStatus.REQUESTED, RequestStatus.ACCEPTED)
        ),
        url_name="facilities:request_list",
        describe=describe_mine,
        link=lambda r: reverse("facilities:request_detail", args=[r.pk]),
        order=43,
    ),
]
