"""`manage.py demo_logins`: the demo accounts, their password and fresh backup codes (demo mode only).

`scripts/serve.sh` runs it before the server starts. Every run replaces each demo user's backup codes,
so codes printed earlier stop working.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from qorgau.demo.foundation import DEMO_PASSWORD, demo_users

BACKUP_CODES = 5


class Command(BaseCommand):
    help = "Print the demo logins with fresh backup codes for the second factor. Demo mode only."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--address", default="http://127.0.0.1:8000/", help="address to print (default %(default)s)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("DEMO_MODE is off: demo logins and backup codes are not printed.")
        from qorgau.core.auth.backup_codes import issue_backup_codes

        users = demo_users()
        if not users:
            self.stdout.write("No demo users yet: run `manage.py demo`.")
            return
        with transaction.atomic():
            rows = [(user, issue_backup_codes(user, count=BACKUP_CODES)) for user in users]

        width_user = max(len(u.username) for u, _codes in rows)
        width_role = max(len(u.role.name if u.role else "") for u, _codes in rows)
        write = self.stdout.write
        write(self.style.MIGRATE_HEADING(f"Demo logins for {options['address']}"))
        write(f"  Password (every account): {DEMO_PASSWORD}")
        write("  Second factor: enter one of the account's backup codes; each works once.")
        write("  These codes are new: codes printed before no longer work.")
        write("")
        write(f"  {'username':<{width_user}}  {'role':<{width_role}}  {'scope':<8}  agency")
        for user, codes in rows:
            role = user.role.name if user.role else ""
            agency = user.agency.name if user.agency else ""
            write(f"  {user.username:<{width_user}}  {role:<{width_role}}  {user.scope:<8}  {agency}")
            write(f"  {'':<{width_user}}  backup codes: {'  '.join(codes)}")
