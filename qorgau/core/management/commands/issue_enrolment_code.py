"""Issue a one-time enrolment code for a user, for operators (the first system administrator, say).

In the application, administrators issue codes from the user list (core/admin.py). This command is for
whoever runs the installation: it acts as nobody in particular, and the audit row says so.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from qorgau.core.auth.enrolment import do_issue_enrolment_code
from qorgau.core.models import User


class Command(BaseCommand):
    help = (
        "Issue a one-time enrolment code with which USERNAME sets up their first authenticator app. "
        "Withdraws the user's earlier unused codes; audited."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        if not user.is_active:
            raise CommandError(f"{username} is not active: activate the account first.")
        code, clear = do_issue_enrolment_code(actor=None, user=user)
        expires = timezone.localtime(code.expires_at)
        self.stdout.write(f"{username}: {clear} (valid until {expires:%Y-%m-%d %H:%M %Z}, works once)")
