"""Print fresh backup codes for demo users, so that a demo needs no phone. Refused outside DEMO_MODE."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from qorgau.core.auth.backup_codes import issue_backup_codes
from qorgau.core.models import User


class Command(BaseCommand):
    help = (
        "Issue and print fresh backup codes for the given users (default: every active user). DEMO_MODE only."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("usernames", nargs="*", help="users to issue codes for (default: all active)")
        parser.add_argument("--count", type=int, default=5, help="codes per user (default 5)")

    def handle(self, *args: Any, usernames: list[str], count: int, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError(
                "demo_backup_codes only works with DEMO_MODE on; production users enrol an authenticator app."
            )
        if count < 1:
            raise CommandError("--count must be at least 1.")
        if usernames:
            users = list(User.objects.filter(username__in=usernames))
            missing = sorted(set(usernames) - {u.username for u in users})
            if missing:
                raise CommandError(f"Unknown users: {', '.join(missing)}")
        else:
            users = list(User.objects.filter(is_active=True))
        for user in users:
            codes = issue_backup_codes(user, count)
            self.stdout.write(f"{user.username}: {' '.join(codes)}")
