"""What the facilities app declares to core (collected by qorgau.core.domains)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from qorgau.core.domains import Domain, MenuEntry, Schedule, UrlInclude
from qorgau.core.panels import Panel

from .home import QUEUES

# Frozen copy in migrations/0003_role_grants.py (core/tests/test_reference_data.py compares them).
GRANTS = {
    "case_worker": ["facilities.view", "facilities.request"],
    "facility_manager": ["facilities.view", "facilities.change"],
    "system_admin": ["facilities.register", "facilities.network"],
    "analyst": ["facilities.network"],
}


def _case_panel(user: Any, case: Any) -> dict[str, Any] | None:
    from .queries import case_placements

    return case_placements(user, case)


DOMAIN = Domain(
    actions={
        "facilities.view": _("see the facility network's vacancies, and the placements of the user's scope"),
        "facilities.change": _(
            "keep a facility's vacancies, answer placement requests, admit, extend stays, discharge, keep "
            "the waiting list"
        ),
        "facilities.request": _("search vacancies for a case and request placements"),
        "facilities.register": _("register facilities and change their details, places and address"),
        "facilities.network": _("see the network's occupancy, vacancies, turn-aways and stale data"),
    },
    grants=GRANTS,
    menu=[
        MenuEntry(
            "facilities", _("Facilities"), "facilities:facility_list", action="facilities.register", order=50
        ),
        MenuEntry("my-facility", _("My facility"), "facilities:manage", action="facilities.change", order=51),
        MenuEntry(
            "placement-requests",
            _("Placement requests"),
            "facilities:request_list",
            action="facilities.request",
            order=52,
        ),
        MenuEntry(
            "network", _("Facility network"), "facilities:network", action="facilities.network", order=53
        ),
    ],
    queues=QUEUES,
    urls=[UrlInclude("facilities/", "qorgau.facilities.urls")],
    panels=[
        Panel(
            "cases.case",
            "facilities-placements",
            template="facilities/includes/case_panel.html",
            action="facilities.view",
            context=_case_panel,
            order=40,
        )
    ],
    api="qorgau.facilities.api",
    schedules=[
        Schedule(
            "facilities-lapse-holds",
            "qorgau.facilities.tasks.lapse_requests_and_holds",
            every=timedelta(minutes=5),
        )
    ],
)
