"""What the risk app declares to core (collected by qorgau.core.domains)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qorgau.core.domains import Domain

ASSESSOR = ["risk.view", "risk.assess", "risk.act"]

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
)
