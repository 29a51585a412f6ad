"""What the portal declares to core (collected by qorgau.core.domains): the public help page under /help/
(no login) and the staff register of prevention activities under /prevention/."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qorgau.core.domains import Domain, MenuEntry, UrlInclude

# Frozen copy in migrations/0003_role_grants.py (core/tests/test_reference_data.py compares them).
GRANTS = {
    "district_social_worker": ["portal.view", "portal.add", "portal.change"],
    "conference_chair": ["portal.view"],
    "analyst": ["portal.view"],
    "system_admin": ["portal.content"],
}

DOMAIN = Domain(
    actions={
        "portal.view": _("see the register of prevention activities and their evaluation"),
        "portal.add": _("record prevention activities (school hours, campaigns, events, trainings)"),
        "portal.change": _("correct recorded prevention activities"),
        "portal.content": _("edit the public help page's content in the administration"),
    },
    grants=GRANTS,
    menu=[
        MenuEntry("prevention", _("Prevention"), "portal:activity_list", action="portal.view", order=60),
    ],
    urls=[UrlInclude("help/", "qorgau.portal.urls_public"), UrlInclude("prevention/", "qorgau.portal.urls")],
    api="qorgau.portal.api",
)
