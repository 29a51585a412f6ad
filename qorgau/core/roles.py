"""The platform's default roles, and the action catalogue and default roles collected from the apps.

Roles are data: `load_reference` writes the default roles to the database, where an administrator may
change them; what is here is only the starting set. Core declares the roles (the jobs staff do); each
app declares its own actions and which default roles get which of them (`<app>/registry.py`, collected
by `core.domains`). `ACTIONS` and `DEFAULT_ROLES` are computed from the installed apps on each access.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .domains import DefaultRole, RoleSpec, collected

# slug -> the role as a fresh installation has it (name, description, default scope of its users).
ROLES: dict[str, RoleSpec] = {
    "duty_officer": RoleSpec(_("Duty officer"), _("Police: registers signals from every channel."), "agency"),
    "district_inspector": RoleSpec(
        _("District inspector"), _("Police: works signals to a legal outcome, protective orders."), "agency"
    ),
    "case_worker": RoleSpec(
        _("Case worker"),
        _("Crisis or family support centre: victim cases, safety plans, referrals."),
        "agency",
    ),
    "psychologist": RoleSpec(_("Psychologist"), _("Psychological help to victims."), "own"),
    "lawyer": RoleSpec(_("Lawyer"), _("Legal help to victims."), "own"),
    "doctor": RoleSpec(_("Doctor"), _("Medical help; reports signals from health facilities."), "own"),
    "facility_manager": RoleSpec(
        _("Facility manager"), _("Beds, admissions, discharges and vacancies of a facility."), "agency"
    ),
    "district_social_worker": RoleSpec(
        _("District social worker"), _("Akimat: family risk worklist and preventive visits."), "agency"
    ),
    "conference_chair": RoleSpec(
        _("Conference chair"), _("Chairs the multi-agency risk conference."), "regions"
    ),
    "analyst": RoleSpec(_("Analyst"), _("Dashboards and reports; aggregate data only."), "regions"),
    "agency_admin": RoleSpec(
        _("Agency administrator"), _("Users and reference data of one agency."), "agency"
    ),
    "auditor": RoleSpec(_("Auditor"), _("Searches the audit log; sees no case files."), "regions"),
    "system_admin": RoleSpec(
        _("System administrator"), _("Reference data, roles and agencies for the whole country."), "national"
    ),
}


def actions() -> dict[str, str | Promise]:
    """Every action the installed apps check, code -> description. A role is a subset of these."""
    return collected().actions


def default_roles() -> dict[str, DefaultRole]:
    """The default roles with the actions every installed app grants them."""
    return collected().default_roles()


def __getattr__(name: str) -> Any:
    # The older constant names: a dict of the catalogue, and slug -> (name, description, actions, scope).
    if name == "ACTIONS":
        return actions()
    if name == "DEFAULT_ROLES":
        return {
            slug: (role.name, role.description, list(role.actions), role.scope)
            for slug, role in default_roles().items()
        }
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
