"""What the platform itself declares to core.domains: the default roles, the audit and administration
actions, the home, audit, administration and API menu entries, its queues, its pages and the worker's
heartbeat. Domain apps declare theirs in their own registry.py."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from .administrators import is_system_administrator
from .agency_users import manages_agency_users
from .domains import Domain, MenuEntry, Schedule, UrlInclude, collected
from .health import HEARTBEAT_EVERY
from .home import QUEUES
from .permissions import has_action
from .roles import ROLES


def _agency_administrator(user: Any) -> bool:
    """Agency administrators manage their accounts on core:agency_users; system administrators on the site."""
    return manages_agency_users(user) and not is_system_administrator(user)


def _administers_on_the_site(user: Any) -> bool:
    return has_action(user, "core.admin") and bool(getattr(user, "is_staff", False))


def _holds_an_api_action(user: Any) -> bool:
    """The API documentation is for users who can call some of it: an action of an app with an API."""
    return any(has_action(user, action) for action in collected().api_actions)


DOMAIN = Domain(
    actions={
        "audit.view": _("search the audit log"),
        "core.admin": _("administer users, agencies and reference data"),
    },
    roles=ROLES,
    grants={
        "agency_admin": ["core.admin"],
        "auditor": ["audit.view"],
        "system_admin": ["core.admin", "audit.view"],
    },
    menu=[
        MenuEntry("home", _("Home"), "core:home", order=0),
        MenuEntry("audit", _("Audit log"), "core:audit_list", action="audit.view", order=80),
        MenuEntry(
            "agency-users", _("Accounts"), "core:agency_users", order=85, allowed=_agency_administrator
        ),
        # The administration site lets in staff only (core/admin.py): no link that would answer 403.
        MenuEntry("admin", _("Administration"), "admin:index", order=90, allowed=_administers_on_the_site),
        MenuEntry("api", _("API"), "api-docs", order=95, allowed=_holds_an_api_action),
    ],
    queues=QUEUES,
    urls=[UrlInclude("", "qorgau.core.urls")],
    schedules=[Schedule("core-heartbeat", "qorgau.core.tasks.heartbeat", every=HEARTBEAT_EVERY)],
)
