"""Scope cases of core's routes (home, its queues, the audit log) and the routes exempt from the matrix."""

from __future__ import annotations

from qorgau.core.models import AuditEvent, User
from qorgau.core.permissions import Scope
from qorgau.core.testing import UserFactory, role
from qorgau.core.testing_matrix import Case, World, builds


@builds("audit_event")
def _audit_event(w: World) -> AuditEvent:
    """The audit row of the Astana person's registration (owned by the Astana police)."""
    person = w["person"]
    return AuditEvent.objects.filter(object_type="people.person", object_id=str(person.pk)).latest("pk")


@builds("agency_admin")
def _agency_admin(w: World) -> User:
    """The Astana police's agency administrator (shipped agency_admin role)."""
    return UserFactory.create(
        username="asel_admin", agency=w.p.astana_police, role=role("agency_admin"), scope=Scope.AGENCY
    )


@builds("account")
def _account(w: World) -> User:
    """An account of the Astana police, administered by its agency administrator."""
    return UserFactory.create(
        username="astana_account", agency=w.p.astana_police, role=role("duty_officer"), scope=Scope.AGENCY
    )


ADMIN = "agency_admin"
ACCOUNT_FORM = {"first_name": "Aliya", "last_name": "Nurova", "scope": "agency", "is_active": "on"}

CASES = [
    Case("core:agency_users", "GET", ADMIN, 200, shows=lambda w: w["account"].username),
    Case(
        "core:agency_user_create",
        "GET",
        ADMIN,
        200,
        other_region=None,
        why="a blank form of a new account: no account of Astana to hide",
    ),
    Case(
        "core:agency_user_create",
        "POST",
        ADMIN,
        200,
        data=lambda w: {**ACCOUNT_FORM, "username": "new_officer", "password": "correct horse battery"},
        other_region=None,
        why="an account is created in the actor's own agency: there is no Astana record to reach (200: the "
        "page of its enrolment code)",
    ),
    Case("core:agency_user_change", "GET", ADMIN, 200, kwargs=lambda w: {"pk": w["account"].pk}),
    Case(
        "core:agency_user_change",
        "POST",
        ADMIN,
        302,
        kwargs=lambda w: {"pk": w["account"].pk},
        data=lambda w: {**ACCOUNT_FORM, "role": w["account"].role_id},
    ),
    Case(
        "core:agency_user_code",
        "POST",
        ADMIN,
        200,
        kwargs=lambda w: {"pk": w["account"].pk},
        why="200: the page that shows the new enrolment code once",
    ),
    Case(
        "core:home",
        "GET",
        "astana_inspector",
        200,
        no_role=200,
        shows=lambda w: w["assigned"].registration_number,
        other_region=200,
        why="a user without a role gets the home page that says so; the twin's queues hold no Astana row",
    ),
    Case(
        "core:home_queue",
        "GET",
        "astana_inspector",
        200,
        kwargs=lambda w: {"key": "intake-assigned"},
        no_role=404,
        other_region=200,
        shows=lambda w: w["assigned"].registration_number,
        why="a queue the user's role lacks is 404 (as a queue that does not exist); the twin's is empty",
    ),
    Case(
        "core:audit_list",
        "GET",
        "astana_auditor",
        200,
        shows=lambda w: f'data-event="{w["audit_event"].pk}"',
        other_region=200,
        why="the Shymkent auditor's log holds no Astana row",
    ),
    Case(
        "api-root",
        "GET",
        "astana_officer",
        200,
        no_role=200,
        other_region=None,
        why="the API root lists the endpoints' addresses only, the same for every signed-in user",
    ),
]

_AUTH = "the sign-in flow: public or personal to the signed-in user, no records; tested in test_auth*.py"
EXEMPT = {
    "core:login": _AUTH,
    "core:otp_verify": _AUTH,
    "core:otp_setup": _AUTH,
    "core:otp_enrolment_code": _AUTH,
    "core:logout": _AUTH,
    "core:healthz": "the load balancer's health check: public, no data (test_health.py)",
    "set_language": "Django's language switch: stores a preference in the session, no data",
    "api-schema": "the OpenAPI schema: no records, signed-in users only (test_api_schema.py)",
    "api-docs": "Swagger UI for the schema: no records (test_api_schema.py)",
    "api/^(?:.*/)?$": "the JSON 404 of every other path under /api/: reads and changes nothing",
}
