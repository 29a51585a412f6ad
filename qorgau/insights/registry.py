"""What the insights app declares to core (collected by qorgau.core.domains)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qorgau.core.domains import Domain, MenuEntry, UrlInclude

# Frozen copy in migrations/0001_role_grants.py (core/tests/test_reference_data.py compares them).
GRANTS = {
    "analyst": ["insights.view", "insights.export"],
    "system_admin": ["insights.view", "insights.export"],
}

DOMAIN = Domain(
    actions={
        "insights.view": _(
            "see the dashboards, trends, region map and regional report: aggregate figures of the "
            "user's scope"
        ),
        "insights.export": _("download dashboard tables and the regional report (CSV, XLSX, PDF)"),
    },
    grants=GRANTS,
    menu=[MenuEntry("insights", _("Insights"), "insights:dashboard", action="insights.view", order=60)],
    urls=[
        UrlInclude("insights/", "qorgau.insights.urls"),
        UrlInclude("open-data/", "qorgau.insights.public_urls"),
    ],
)
