"""What the family map app declares to core (collected by qorgau.core.domains)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qorgau.core.domains import Domain, MenuEntry, UrlInclude

# Frozen copy in migrations/0003_role_grants.py (core/tests/test_reference_data.py compares them).
GRANTS = {
    "district_social_worker": ["familymap.view"],
    "analyst": ["familymap.run", "familymap.rules"],
}

DOMAIN = Domain(
    actions={
        "familymap.view": _("see the family risk map's results for the families of the user's scope"),
        "familymap.run": _("start refreshes of the family risk map and follow their progress"),
        "familymap.rules": _("draft the standard rules of the family risk map, dry-run and publish them"),
    },
    grants=GRANTS,
    menu=[
        MenuEntry(
            "familymap-runs", _("Family map runs"), "familymap:run_list", action="familymap.run", order=60
        ),
        MenuEntry(
            "familymap-rules",
            _("Family map rules"),
            "familymap:ruleset_list",
            action="familymap.rules",
            order=61,
        ),
    ],
    urls=[UrlInclude("familymap/", "qorgau.familymap.urls")],
)
