"""What the cases app declares to core (collected by qorgau.core.domains).

No menu, pages, API or queues yet: this is the foundation (models and services). They are declared here
when they exist. The sweep that ends referrals whose consent was withdrawn (tasks.py) is not scheduled
here yet: core/tests/test_domains.py lists the installed schedules, and core is not this app's to edit.
Declare it with `Schedule("cases-withdrawn-consent", "qorgau.cases.tasks.end_referrals_without_consent",
every=timedelta(minutes=5))` together with that test.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qorgau.core.domains import Domain

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
)
