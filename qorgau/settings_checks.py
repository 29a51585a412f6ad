"""The production refusals of qorgau/settings.py: small typed functions, one per rule.

Each raises ImproperlyConfigured with a message that names the environment variable and what is wrong
with it, so that an operator can fix it without reading code. `refuse_unsafe_production` runs them all
and reports every problem at once. They take plain values, so tests call them without reloading settings.

Plain Python only (no Django app imports): the settings module imports this before Django is set up.
"""

from __future__ import annotations

import base64
import binascii
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ImproperlyConfigured

MODE_VARIABLE = "QORGAU_ENV"
DEVELOPMENT = "development"
PRODUCTION = "production"

SECRET_KEY_MIN_LENGTH = 50
IIN_HASH_KEY_MIN_LENGTH = 32
# A random key of these lengths shows dozens of distinct characters (16 even in hex); fewer than this
# means a typed or patterned value.
MIN_DISTINCT_CHARACTERS = 10
# No character may make up more than this share of a key: 'aaaa...0123456789' is not random.
MAX_SHARE_OF_ONE_CHARACTER = 0.25
FERNET_KEY_BYTES = 32
MIN_DISTINCT_FERNET_BYTES = 16


def mode_from(value: str | None) -> str:
    """The run mode: production unless development is asked for by name (an empty value is production)."""
    mode = (value or PRODUCTION).strip().lower()
    if mode not in {DEVELOPMENT, PRODUCTION}:
        raise ImproperlyConfigured(
            f"{MODE_VARIABLE} must be '{DEVELOPMENT}' or '{PRODUCTION}' (unset means production), "
            f"not {value!r}"
        )
    return mode


def _period(value: str | bytes) -> int:
    """The shortest p such that the value repeats itself every p characters ('abcabca' -> 3)."""
    for p in range(1, len(value) // 2 + 1):
        if value[p:] == value[:-p]:
            return p
    return len(value)


def weakness(value: str | bytes, *, min_distinct: int) -> str | None:
    """Why a key looks typed or patterned rather than random, or None if it does not."""
    if not value:
        return "is empty"
    distinct = len(set(value))
    if distinct < min_distinct:
        return f"has only {distinct} distinct characters (a random key has many more)"
    if _period(value) <= len(value) // 2:
        return "repeats a shorter pattern"
    most_common = Counter(value).most_common(1)[0][1]
    if most_common > MAX_SHARE_OF_ONE_CHARACTER * len(value):
        return "repeats one character too often"
    return None


def check_secret_key(value: str, *, development_value: str, name: str = "SECRET_KEY") -> None:
    if not value:
        raise ImproperlyConfigured(f"{name} is not set: production needs its own random key.")
    if value == development_value or value.startswith("django-insecure-"):
        raise ImproperlyConfigured(f"{name} is the public development key: production needs its own.")
    if len(value) < SECRET_KEY_MIN_LENGTH:
        raise ImproperlyConfigured(
            f"{name} is too short ({len(value)} characters): use {SECRET_KEY_MIN_LENGTH} or more random ones."
        )
    reason = weakness(value, min_distinct=MIN_DISTINCT_CHARACTERS)
    if reason:
        raise ImproperlyConfigured(f"{name} {reason}: generate a random one.")


def check_iin_hash_key(value: str, *, development_value: str, name: str = "IIN_HASH_KEY") -> None:
    if not value:
        raise ImproperlyConfigured(f"{name} is not set: production needs its own random key.")
    if value == development_value:
        raise ImproperlyConfigured(f"{name} is the public development key: production needs its own.")
    if len(value) < IIN_HASH_KEY_MIN_LENGTH:
        raise ImproperlyConfigured(
            f"{name} is too short ({len(value)} characters): use {IIN_HASH_KEY_MIN_LENGTH} or more random "
            "ones (IINs are few enough to enumerate, so the key is all that protects their hashes)."
        )
    reason = weakness(value, min_distinct=MIN_DISTINCT_CHARACTERS)
    if reason:
        raise ImproperlyConfigured(f"{name} {reason}: generate a random one.")


def check_fernet_key(value: str, *, development_value: str, name: str = "IIN_ENCRYPTION_KEY") -> None:
    if not value:
        raise ImproperlyConfigured(f"{name} is not set: production needs its own Fernet key.")
    if value == development_value:
        raise ImproperlyConfigured(f"{name} is the public development key: production needs its own.")
    try:
        raw = base64.urlsafe_b64decode(value.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raw = b""
    if len(raw) != FERNET_KEY_BYTES:
        raise ImproperlyConfigured(
            f"{name} is not a valid Fernet key (32 url-safe base64-encoded bytes): generate one with "
            "Fernet.generate_key()."
        )
    reason = weakness(raw, min_distinct=MIN_DISTINCT_FERNET_BYTES)
    if reason:
        raise ImproperlyConfigured(f"{name} decodes to bytes that are not random: it {reason}.")


def check_allowed_hosts(hosts: Sequence[str], *, name: str = "ALLOWED_HOSTS") -> None:
    if not hosts:
        raise ImproperlyConfigured(f"{name} is empty: list the host names Qorgau is served under.")
    if any("*" in host for host in hosts):
        raise ImproperlyConfigured(
            f"{name} contains '*': name the hosts (a wildcard accepts forged Host headers)."
        )


def check_database(database: Mapping[str, Any], *, name: str = "DATABASE_URL") -> None:
    engine = str(database.get("ENGINE", ""))
    if "sqlite" in engine:
        raise ImproperlyConfigured(
            f"{name} points at SQLite (or is not set): production runs on PostgreSQL, where the audit log "
            "is append-only in the database too."
        )


def check_off(name: str, value: bool) -> None:
    if value:
        raise ImproperlyConfigured(f"{name} is on: it must be off in production.")


def refuse_unsafe_production(checks: Sequence[Callable[[], None]]) -> None:
    """Run every check and raise one ImproperlyConfigured that lists every problem found."""
    problems: list[str] = []
    for check in checks:
        try:
            check()
        except ImproperlyConfigured as exc:
            problems.append(str(exc))
    if problems:
        raise ImproperlyConfigured(
            f"Unsafe production settings ({MODE_VARIABLE} is '{PRODUCTION}'; set {MODE_VARIABLE}="
            f"{DEVELOPMENT} for a development machine):\n- " + "\n- ".join(problems)
        )
