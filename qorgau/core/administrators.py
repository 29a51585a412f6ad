"""Who administers whom: system administrators (national), agency administrators, privileged accounts.

Kept apart from admin.py so that services (issuing an enrolment code) apply the same rules as the
admin pages without importing the admin site.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .permissions import Scope, has_action

if TYPE_CHECKING:
    from .models import User

# Actions only a system administrator may grant: with them a user could administer or read the audit log.
PRIVILEGED_ACTIONS = frozenset({"core.admin", "audit.view"})


def is_administrator(user: Any) -> bool:
    return has_action(user, "core.admin")


def is_system_administrator(user: Any) -> bool:
    return is_administrator(user) and user.scope == Scope.NATIONAL


def administered_scope(admin: Any) -> Scope:
    """How far `admin`'s administration reaches: everywhere for a system administrator, else their agency.

    Whatever the administrator's reading scope (an administrator with a regional scope still administers
    only their own agency), the matching itself is the permission engine's (`permissions.in_scope`).
    """
    return Scope.NATIONAL if is_system_administrator(admin) else Scope.AGENCY


def is_privileged(user: User) -> bool:
    return user.is_superuser or bool(PRIVILEGED_ACTIONS & set(user.role.actions if user.role else []))


def administers(admin: Any, user: User) -> bool:
    """True if `admin` may act on `user`'s account (change it, issue it an enrolment code).

    System administrators administer everyone. An agency administrator administers the users of their
    own agency, except themselves and privileged colleagues (administrators, auditors), who are
    administered nationally: otherwise an agency administrator could take over their powers.
    """
    if is_system_administrator(admin):
        return True
    if not is_administrator(admin) or admin.agency_id is None:
        return False
    return user.agency_id == admin.agency_id and user.pk != admin.pk and not is_privileged(user)
