"""Revoke API tokens by key prefix (as the admin list shows it) or all tokens of a user."""

from __future__ import annotations

import getpass
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from qorgau.core.api.tokens import do_revoke_api_token
from qorgau.core.models import ApiToken


class Command(BaseCommand):
    help = "Revoke API tokens at once: by key prefix, or every token of --user."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("prefix", nargs="?", help="the key prefix shown in the admin (e.g. qg_AbC123x)")
        parser.add_argument("--user", help="revoke every token of this username")
        parser.add_argument("--reason", default="", help="why (kept in the audit log)")

    def handle(self, *args: Any, prefix: str | None, user: str | None, reason: str, **options: Any) -> None:
        if bool(prefix) == bool(user):
            raise CommandError("Give a key prefix or --user, not both.")
        tokens = ApiToken.objects.filter(revoked_at__isnull=True).select_related("owner")
        tokens = tokens.filter(prefix=prefix) if prefix else tokens.filter(owner__username=user)
        found = list(tokens)
        if not found:
            raise CommandError("No token in force matches.")
        operator = f"manage.py:{getpass.getuser()}"
        for token in found:
            do_revoke_api_token(actor=None, token=token, operator=operator, reason=reason)
            self.stdout.write(f"revoked {token.prefix}... ({token.name}) of {token.owner.get_username()}")
