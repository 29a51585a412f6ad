"""What the cases app declares to core (collected by qorgau.core.domains): actions and grants, the menu,
pages, home queues and actions, panels on the signal and person pages, and the sweep that ends referrals
whose consent was withdrawn (tasks.py; core/tests/test_domains.py lists the installed schedules)."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from qorgau.core.domains import Domain, MenuEntry, Schedule, UrlInclude
from qorgau.core.panels import Panel

from .home import HOME_ACTIONS, QUEUES
from .panels import person_panel, signal_panel

CASE_WORKER = ["cases.view", "cases.add", "cases.change", "cases.refer", "cases.close"]
SPECIALIST = ["cases.view", "cases.change"]

DOMAIN = Domain(
    api="qorgau.cases.api",
    actions={
        "cases.view": _("see victim cases, their safety plans, case plans, services and referrals"),
        "cases.add": _("open victim cases and accept cases transferred to the agency"),
        "cases.change": _(
            "record assessments, safety plans, goals, services and sessions; accept or decline referrals"
        ),
        "cases.refer": _("refer a case to another agency, revoke a referral, transfer a case"),
        "cases.close": _("close and reopen victim cases"),
    },
    # Frozen copy in migrations/0003_role_grants.py (core/tests/test_reference_data.py compares them).
    grants={
        "case_worker": CASE_WORKER,
        "psychologist": SPECIALIST,
        "lawyer": SPECIALIST,
        "doctor": SPECIALIST,
        "facility_manager": ["cases.view", "cases.change"],
    },
    menu=[
        MenuEntry("cases", _("Cases"), "cases:case_list", action="cases.view", order=30),
        MenuEntry("referrals", _("Referrals"), "cases:referral_list", action="cases.view", order=31),
        MenuEntry("specialists", _("Specialists"), "cases:specialist_list", action="cases.view", order=32),
    ],
    queues=QUEUES,
    home_actions=HOME_ACTIONS,
    urls=[UrlInclude("cases/", "qorgau.cases.urls")],
    panels=[
        Panel(
            "intake.signal",
            "cases-open",
            template="cases/includes/signal_panel.html",
            action="cases.add",
            context=signal_panel,
            order=20,
        ),
        Panel(
            "people.person",
            "cases-of-person",
            template="cases/includes/person_panel.html",
            action="cases.view",
            context=person_panel,
            order=20,
        ),
    ],
    schedules=[
        Schedule(
            "cases-withdrawn-consent",
            "qorgau.cases.tasks.end_referrals_without_consent",
            every=timedelta(minutes=5),
        )
    ],
)
