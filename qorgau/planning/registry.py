"""What the planning app declares to core (collected by qorgau.core.domains)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qorgau.core.domains import Domain, MenuEntry, UrlInclude

# Frozen copy in migrations/0002_role_grants.py (core/tests/test_reference_data.py compares them).
GRANTS = {
    "analyst": ["planning.view", "planning.plan"],
    "system_admin": ["planning.view", "planning.plan", "planning.rules"],
}

DOMAIN = Domain(
    actions={
        "planning.view": _("see demand against the facility network and the saved planning scenarios"),
        "planning.plan": _("create planning scenarios (where to open facilities)"),
        "planning.rules": _("change the parameters of the demand formula"),
    },
    grants=GRANTS,
    menu=[MenuEntry("planning", _("Network planning"), "planning:gaps", action="planning.view", order=55)],
    urls=[UrlInclude("planning/", "qorgau.planning.urls")],
)
