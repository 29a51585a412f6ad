"""Give the application's PostgreSQL role exactly the grants it needs (docs/operations.md section 2).

Run as the owner of the tables (the role that runs the migrations), after every `migrate`:

    manage.py grant_app_role qorgau_app            # apply
    manage.py grant_app_role qorgau_app --dry-run  # print the SQL only, for a DBA to review or run
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from qorgau.core.dbroles import RoleError, grant_app_role


class Command(BaseCommand):
    help = (
        "Grant ROLE what the application needs on every table (on the audit log only SELECT and INSERT). "
        "PostgreSQL only; run as the tables' owner."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("role", help="the login role the web and worker processes connect as")
        parser.add_argument("--dry-run", action="store_true", help="print the statements, change nothing")

    def handle(self, *args: Any, role: str, dry_run: bool, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("grant_app_role works on PostgreSQL only (SQLite has no roles).")
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                statements = grant_app_role(cursor, role, dry_run=dry_run)
        except RoleError as exc:
            raise CommandError(str(exc)) from exc
        for statement in statements:
            self.stdout.write(statement + ";")
        if not dry_run:
            self.stdout.write(self.style.SUCCESS(f"Granted the application's privileges to {role}."))
