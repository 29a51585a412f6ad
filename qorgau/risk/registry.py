"""What the risk app declares to core (collected by qorgau.core.domains).

Risk sits above cases (ARCHITECTURE.md decisions): it shows itself on the signal page and the case page
through panels; intake and cases never import it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from qorgau.core.domains import Domain, MenuEntry, UrlInclude
from qorgau.core.panels import Panel
from qorgau.core.permissions import has_action

from .home import QUEUES
from .queries import assessments_of_case, assessments_of_signal, conference_history

ASSESSOR = ["risk.view", "risk.assess", "risk.act"]


def _signal_panel(user: Any, signal: Any) -> dict[str, Any]:
    return {
        "assessments": assessments_of_signal(user, signal),
        "start_url_name": "risk:assessment_start",
        "subject": signal,
        "can_assess": has_action(user, "risk.assess"),
    }


def _case_panel(user: Any, case: Any) -> dict[str, Any]:
    return {
        "assessments": assessments_of_case(user, case),
        "history": conference_history(user, case=case),
        "start_url_name": "risk:case_assessment_start",
        "subject": case,
        "can_assess": has_action(user, "risk.assess"),
    }


DOMAIN = Domain(
    actions={
        "risk.view": _("see risk assessments, conference referrals, risk conferences and their actions"),
        "risk.assess": _("carry out risk assessments with victims"),
        "risk.conference": _("schedule risk conferences, keep their agenda and record, assign actions"),
        "risk.act": _("complete conference actions assigned to the agency"),
    },
    # Frozen copy in migrations/0004_role_grants.py (core/tests/test_reference_data.py compares them).
    grants={
        "case_worker": ASSESSOR,
        "psychologist": ASSESSOR,
        "doctor": ASSESSOR,
        "district_inspector": ASSESSOR,
        "lawyer": ["risk.view", "risk.act"],
        "duty_officer": ["risk.view"],
        "conference_chair": ["risk.view", "risk.conference", "risk.act"],
    },
    menu=[
        MenuEntry("risk", _("Risk assessments"), "risk:assessment_list", action="risk.view", order=40),
        MenuEntry("conferences", _("Risk conferences"), "risk:conference_list", action="risk.view", order=41),
        MenuEntry(
            "conference-actions", _("Conference actions"), "risk:action_list", action="risk.act", order=42
        ),
    ],
    api="qorgau.risk.api",
    queues=QUEUES,
    urls=[UrlInclude("risk/", "qorgau.risk.urls")],
    panels=[
        Panel(
            "intake.signal",
            "risk-assessments",
            template="risk/includes/panel.html",
            action="risk.view",
            context=_signal_panel,
            order=20,
        ),
        Panel(
            "cases.case",
            "risk-assessments",
            template="risk/includes/panel.html",
            action="risk.view",
            context=_case_panel,
            order=20,
        ),
    ],
)
