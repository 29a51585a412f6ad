"""PostgreSQL roles: the application runs as a role that cannot switch off the audit log's trigger.

Two roles (docs/operations.md section 2): the owner runs the migrations and owns the tables; the
application (web and worker) logs in as a second role that is neither superuser nor owner. A superuser can
`SET session_replication_role = replica`, with which ordinary triggers do not fire, and an owner can
`ALTER TABLE ... DISABLE TRIGGER`; the application's role can do neither, and on the audit table it holds
only SELECT and INSERT.

- `app_role_statements` / `grant_app_role`: the grants, applied by `manage.py grant_app_role ROLE`.
- `refuse_unsafe_role`: in production, every new connection checks its role and is closed with
  ImproperlyConfigured if the role could switch the trigger off. It runs on connection, not only as a
  system check, because gunicorn and the task worker run no system checks; it is one small query per new
  connection (CONN_MAX_AGE reuses connections).
- `check_database_role`: the same as a system check (qorgau.E001, tagged database), so that
  `manage.py check --deploy --database default` reports it before anything is started.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

AUDIT_TABLE = "core_auditevent"
# PostgreSQL 15 lets a superuser GRANT SET ON PARAMETER to other roles; such a role is as dangerous.
PARAMETER_PRIVILEGES_SINCE = 150000


def quote_ident(name: str) -> str:
    """A PostgreSQL identifier, quoted (works with any DB-API cursor, unlike psycopg.sql)."""
    return '"' + name.replace('"', '""') + '"'


def app_role_statements(*, role: str, owner: str, schema: str, database: str) -> list[str]:
    """The SQL that gives `role` what the application needs, and no more, on the owner's tables.

    Run as the owner (or a superuser). Idempotent: it first revokes what the role holds on the tables, so
    that re-running it after a migration also removes anything granted by hand since.
    """
    r, o, s = quote_ident(role), quote_ident(owner), quote_ident(schema)
    audit = f"{s}.{quote_ident(AUDIT_TABLE)}"
    return [
        f"GRANT CONNECT ON DATABASE {quote_ident(database)} TO {r}",
        f"GRANT USAGE ON SCHEMA {s} TO {r}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {r}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r}",
        # The audit log is append-only for the application: reading and adding rows only.
        f"REVOKE UPDATE, DELETE ON {audit} FROM {r}",
        # Tables and sequences that later migrations create (as the owner) are reachable at once.
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA {s} "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {r}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA {s} GRANT USAGE, SELECT ON SEQUENCES TO {r}",
    ]


class RoleError(Exception):
    """The role cannot be given the application's grants (unknown, superuser, or the tables' owner)."""


def grant_app_role(cursor: Any, role: str, *, dry_run: bool = False) -> list[str]:
    """Apply `app_role_statements` for `role` through a DB-API cursor connected as the tables' owner.

    Returns the statements (executed unless dry_run). The caller owns the transaction.
    """
    cursor.execute(
        "SELECT current_schema(), current_database(), "
        "(SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() AND tablename = %s)",
        [AUDIT_TABLE],
    )
    schema, database, owner = cursor.fetchone()
    if owner is None:
        raise RoleError(f"No {AUDIT_TABLE} table in schema {schema}: run the migrations first.")
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
    row = cursor.fetchone()
    if row is None:
        raise RoleError(f"No role {role!r}: create it first (CREATE ROLE ... LOGIN PASSWORD ...).")
    if row[0]:
        raise RoleError(f"Role {role!r} is a superuser: the application needs an ordinary role.")
    if role == owner:
        raise RoleError(
            f"Role {role!r} owns the tables (it could disable the audit trigger): the application needs "
            "a second role; the owner only runs the migrations."
        )
    statements = app_role_statements(role=role, owner=owner, schema=schema, database=database)
    if not dry_run:
        for statement in statements:
            cursor.execute(statement)
    return statements


def role_problem(cursor: Any) -> str | None:
    """Why the connected role could switch the audit trigger off, or None."""
    cursor.execute(
        "SELECT current_user, rolsuper, current_setting('server_version_num')::int "
        "FROM pg_roles WHERE rolname = current_user"
    )
    user, superuser, version = cursor.fetchone()
    if superuser:
        return f"connects as {user!r}, a PostgreSQL superuser"
    if version >= PARAMETER_PRIVILEGES_SINCE:
        cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
        if cursor.fetchone()[0]:
            return f"connects as {user!r}, which may SET session_replication_role"
    return None


def refuse_unsafe_role(connection: Any) -> None:
    """Close the connection and raise ImproperlyConfigured if its role could switch the trigger off."""
    with connection.cursor() as cursor:
        problem = role_problem(cursor)
    if problem:
        connection.close()
        raise ImproperlyConfigured(
            f"DATABASE_URL {problem}: that role can switch off the audit log's append-only trigger. "
            "Run the application as an ordinary role (manage.py grant_app_role, docs/operations.md)."
        )


def check_connection_role(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created receiver: production refuses a database role that could bypass the trigger."""
    if connection.vendor == "postgresql" and getattr(settings, "QORGAU_ENV", "") == "production":
        refuse_unsafe_role(connection)


def check_database_role(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """System check: in production, each checked PostgreSQL database's role must not bypass the trigger."""
    if getattr(settings, "QORGAU_ENV", "") != "production":
        return []
    errors: list[CheckMessage] = []
    for alias in databases or []:
        conn = connections[alias]
        if conn.vendor != "postgresql":
            continue
        try:
            conn.ensure_connection()  # check_connection_role runs here on a new connection
            refuse_unsafe_role(conn)
        except ImproperlyConfigured as exc:
            errors.append(Error(str(exc), id="qorgau.E001", obj=f"DATABASES[{alias!r}]"))
    return errors
