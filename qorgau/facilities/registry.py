"""What the facilities app declares to core (collected by qorgau.core.domains)."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from qorgau.core.domains import Domain, Schedule

# Frozen copy in migrations/0003_role_grants.py (core/tests/test_reference_data.py compares them).
GRANTS = {
    "case_worker": ["facilities.view", "facilities.request"],
    "facility_manager": ["facilities.view", "facilities.change"],
    "system_admin": ["facilities.register", "facilities.network"],
    "analyst": ["facilities.network"],
}

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
    schedules=[
        Schedule(
            "facilities-lapse-holds",
            "qorgau.facilities.tasks.lapse_requests_and_holds",
            every=timedelta(minutes=5),
        )
    ],
)
