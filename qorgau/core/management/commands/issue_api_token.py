"""Issue an API token for a service client and print its key once (operators and CI use it)."""

from __future__ import annotations

import getpass
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from qorgau.core.api.tokens import MAX_DAYS, do_issue_api_token
from qorgau.core.models import User


class Command(BaseCommand):
    help = (
        "Issue an API token that acts as USERNAME (their role and scope apply) for the named service "
        "client, valid for --days. Prints the key; it is stored only as a hash and cannot be shown again."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username", help="the account the client acts as")
        parser.add_argument("--name", required=True, help="the service client and its purpose")
        parser.add_argument("--days", type=int, required=True, help=f"validity in days, 1 to {MAX_DAYS}")

    def handle(self, *args: Any, username: str, name: str, days: int, **options: Any) -> None:
        owner = User.objects.filter(username=username).first()
        if owner is None:
            raise CommandError(f"Unknown user: {username}")
        try:
            token, key = do_issue_api_token(
                actor=None, owner=owner, name=name, days=days, operator=f"manage.py:{getpass.getuser()}"
            )
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            ) from None
        self.stderr.write(
            f"Token {token.prefix}... for {username} ({name}), expires {token.expires_at:%Y-%m-%d %H:%M %Z}."
        )
        # The key alone on standard output, so that scripts can capture it.
        self.stdout.write(key)
