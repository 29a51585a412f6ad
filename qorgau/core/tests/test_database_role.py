"""The application's PostgreSQL role cannot switch off the audit trigger, and production refuses one that can.

The PostgreSQL cases create a real login role with `grant_app_role` (the code behind
`manage.py grant_app_role`), then run Qorgau in production mode as that role in a fresh interpreter. The
role must exist outside the test's transaction to log in, so it is created and dropped over a separate
connection; nothing the role does is committed.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from qorgau.core.dbroles import AUDIT_TABLE, grant_app_role, role_problem

from .test_settings_production import production_env, run_settings

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="roles exist on PostgreSQL only")


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite answer")
@pytest.mark.django_db
def test_grant_app_role_says_it_needs_postgresql() -> None:
    with pytest.raises(CommandError, match="PostgreSQL only"):
        call_command("grant_app_role", "qorgau_app")


@dataclass(frozen=True)
class Role:
    name: str
    password: str
    settings: dict[str, Any]

    def url(self, user: str | None = None, password: str | None = None) -> str:
        s = self.settings
        user = user or self.name
        password = self.password if user == self.name else (password or s.get("PASSWORD") or "")
        auth = quote(user) + (f":{quote(password)}" if password else "")
        return f"postgres://{auth}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


def owner_connection(settings: dict[str, Any]) -> psycopg.Connection:
    """The test database's owner (the suite's superuser), outside the test's transaction."""
    return psycopg.connect(
        host=settings.get("HOST") or "127.0.0.1",
        port=int(settings.get("PORT") or 5432),
        user=settings["USER"],
        password=settings.get("PASSWORD") or None,
        dbname=settings["NAME"],
        autocommit=True,
    )


@pytest.fixture
def app_role(django_db_setup: None) -> Iterator[Role]:
    settings = dict(connection.settings_dict)
    role = Role(
        name=f"qorgau_app_test_{secrets.token_hex(4)}", password=secrets.token_urlsafe(16), settings=settings
    )
    with owner_connection(settings) as conn:
        conn.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                sql.Identifier(role.name), sql.Literal(role.password)
            )
        )
        try:
            with conn.transaction(), conn.cursor() as cursor:
                grant_app_role(cursor, role.name)
            yield role
        finally:
            conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role.name)))
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role.name)))


# Runs as the application does: production settings, the role's DATABASE_URL, the ORM for the audit row.
ROLE_PROBE = """
import json
import django
django.setup()
from django.db import DatabaseError, connection, transaction
from qorgau.core.models import AuditEvent

def attempt(statement):
    try:
        with transaction.atomic():
            AuditEvent.objects.create(action="test.app_role_probe")
            with connection.cursor() as cursor:
                cursor.execute(statement)
            transaction.set_rollback(True)
    except DatabaseError as exc:
        return str(exc).strip().splitlines()[0]
    return "allowed"

out = {"insert": attempt("SELECT 1")}
for name, statement in {
    "update": "UPDATE core_auditevent SET reason = 'rewritten'",
    "delete": "DELETE FROM core_auditevent",
    "truncate": "TRUNCATE core_auditevent",
    "replica": "SET session_replication_role = replica",
    "disable_trigger": "ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_update_delete",
    "drop_trigger": "DROP TRIGGER core_auditevent_no_update_delete ON core_auditevent",
    "update_other_table": "UPDATE core_user SET last_name = last_name",
    "delete_other_table": "DELETE FROM django_session",
}.items():
    out[name] = attempt(statement)
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM core_auditevent WHERE action = 'test.app_role_probe'")
    out["rows_left"] = cursor.fetchone()[0]
print(json.dumps(out))
"""

SUPERUSER_PROBE = """
import json
import django
django.setup()
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

answers = []
for _ in range(2):  # a second try must not slip through on the connection the first one opened
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        answers.append("connected")
    except ImproperlyConfigured as exc:
        answers.append(str(exc))
print(json.dumps(answers))
"""


def run_django(script: str, database_url: str) -> Any:
    result = run_settings(
        script=script, DJANGO_SETTINGS_MODULE="qorgau.settings", **production_env(DATABASE_URL=database_url)
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@postgres_only
def test_the_app_role_adds_audit_rows_but_cannot_change_them_or_switch_off_the_trigger(
    app_role: Role,
) -> None:
    out = run_django(ROLE_PROBE, app_role.url())
    assert out["insert"] == "allowed"
    # Refused by the grants, before the trigger is even reached.
    assert out["update"].startswith(f"permission denied for table {AUDIT_TABLE}")
    assert out["delete"].startswith(f"permission denied for table {AUDIT_TABLE}")
    assert out["truncate"].startswith(f"permission denied for table {AUDIT_TABLE}")
    # The two ways round the trigger need a superuser or the table's owner.
    assert out["replica"].startswith('permission denied to set parameter "session_replication_role"')
    assert out["disable_trigger"].startswith(f"must be owner of table {AUDIT_TABLE}")
    assert out["drop_trigger"].startswith(f"must be owner of relation {AUDIT_TABLE}")
    # The role is not merely read-only: the application's other writes work.
    assert out["update_other_table"] == "allowed"
    assert out["delete_other_table"] == "allowed"
    assert out["rows_left"] == 0


@postgres_only
def test_production_refuses_to_connect_as_a_superuser(app_role: Role) -> None:
    answers = run_django(SUPERUSER_PROBE, app_role.url(user=app_role.settings["USER"]))
    assert len(answers) == 2
    for answer in answers:
        assert answer.startswith(
            f"DATABASE_URL connects as '{app_role.settings['USER']}', a PostgreSQL superuser"
        )
        assert "grant_app_role" in answer
    assert run_django(SUPERUSER_PROBE, app_role.url()) == ["connected", "connected"]


CHECK_PROBE = """
import json
import django
django.setup()
from django.core.management import call_command
from django.core.management.base import SystemCheckError

try:
    call_command("check", "--deploy", "--database", "default", "--fail-level", "WARNING")
    print(json.dumps("ok"))
except SystemCheckError as exc:
    print(json.dumps(str(exc)))
"""


@postgres_only
def test_check_deploy_reports_a_superuser_role_and_passes_the_app_role(app_role: Role) -> None:
    user = app_role.settings["USER"]
    answer = run_django(CHECK_PROBE, app_role.url(user=user))
    assert "(qorgau.E001) DATABASE_URL connects as" in answer
    assert "a PostgreSQL superuser" in answer
    assert run_django(CHECK_PROBE, app_role.url()) == "ok"


@postgres_only
def test_a_role_granted_set_on_session_replication_role_is_refused_too(app_role: Role) -> None:
    with owner_connection(app_role.settings) as conn:
        conn.execute(
            sql.SQL("GRANT SET ON PARAMETER session_replication_role TO {}").format(
                sql.Identifier(app_role.name)
            )
        )
    with psycopg.connect(app_role.url()) as conn, conn.cursor() as cursor:
        assert (
            role_problem(cursor) == f"connects as '{app_role.name}', which may SET session_replication_role"
        )


@postgres_only
@pytest.mark.django_db
def test_grant_app_role_refuses_a_superuser_and_an_unknown_role() -> None:
    with pytest.raises(CommandError, match="is a superuser"):
        call_command("grant_app_role", connection.settings_dict["USER"])
    with pytest.raises(CommandError, match="No role 'qorgau_nobody'"):
        call_command("grant_app_role", "qorgau_nobody")


@postgres_only
@pytest.mark.django_db
def test_grant_app_role_dry_run_prints_the_grants_and_changes_nothing(app_role: Role) -> None:
    with owner_connection(app_role.settings) as conn:
        conn.execute(
            sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(sql.Identifier(app_role.name))
        )
    out = StringIO()
    call_command("grant_app_role", app_role.name, "--dry-run", stdout=out)
    assert f'REVOKE UPDATE, DELETE ON "public"."{AUDIT_TABLE}" FROM "{app_role.name}";' in out.getvalue()
    with connection.cursor() as cursor:
        cursor.execute("SELECT has_table_privilege(%s, 'core_user', 'SELECT')", [app_role.name])
        assert cursor.fetchone() == (False,)


@postgres_only
@pytest.mark.django_db
def test_the_suites_own_superuser_connection_is_named_as_the_problem() -> None:
    with connection.cursor() as cursor:
        assert (
            role_problem(cursor)
            == f"connects as '{connection.settings_dict['USER']}', a PostgreSQL superuser"
        )
