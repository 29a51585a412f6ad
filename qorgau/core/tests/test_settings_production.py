"""Production settings: the mode is explicit, unsafe values are refused, and secure defaults are on.

The rules are small functions in qorgau/settings_checks.py, tested directly; each case is also run through
the whole settings module in a fresh interpreter, because the module reads the environment once.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from qorgau import settings_checks as checks
from qorgau.settings import DEV_IIN_ENCRYPTION_KEY, DEV_IIN_HASH_KEY, DEV_SECRET_KEY

BASE_DIR = Path(__file__).resolve().parents[3]

PROBE = """
import json
import qorgau.settings as s
print(json.dumps({
    "QORGAU_ENV": s.QORGAU_ENV,
    "SESSION_COOKIE_SECURE": getattr(s, "SESSION_COOKIE_SECURE", False),
    "CSRF_COOKIE_SECURE": getattr(s, "CSRF_COOKIE_SECURE", False),
    "SECURE_HSTS_SECONDS": getattr(s, "SECURE_HSTS_SECONDS", 0),
    "SECURE_SSL_REDIRECT": getattr(s, "SECURE_SSL_REDIRECT", False),
    "SECURE_CSP": {k: [str(v) for v in vals] for k, vals in s.SECURE_CSP.items()},
    "DEBUG": s.DEBUG,
    "DEMO_MODE": s.DEMO_MODE,
    "SECRET_KEY": s.SECRET_KEY,
}))
"""

# Variables the settings read; cleared so that the developer's shell (or the Makefile) cannot change the
# outcome.
SETTINGS_VARS = (
    "QORGAU_ENV",
    "SECRET_KEY",
    "IIN_HASH_KEY",
    "IIN_ENCRYPTION_KEY",
    "ALLOWED_HOSTS",
    "DEMO_MODE",
    "DEBUG",
    "DATABASE_URL",
    "DATABASE_TEST_TEMPLATE",
)


def run_settings(script: str = PROBE, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `script` (by default: import the settings and print some) in a fresh interpreter with `env`."""
    base = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARS and not k.startswith("DJANGO_")}
    return subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_env(**overrides: str) -> dict[str, str]:
    """A complete, safe production environment (nothing connects to the database here)."""
    env = {
        "QORGAU_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "IIN_HASH_KEY": secrets.token_hex(32),
        "IIN_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "qorgau.gov.kz",
        "DATABASE_URL": "postgres://qorgau_app:pw@db.invalid:5432/qorgau",
        **overrides,
    }
    return {k: v for k, v in env.items() if v is not None}


def refused(result: subprocess.CompletedProcess[str], *fragments: str) -> bool:
    message = result.stderr.split("ImproperlyConfigured:", 1)[-1]
    return (
        result.returncode != 0
        and "ImproperlyConfigured" in result.stderr
        and all(fragment in message for fragment in fragments)
    )


# The mode


def test_the_mode_is_production_unless_development_is_named() -> None:
    assert checks.mode_from(None) == "production"
    assert checks.mode_from("") == "production"
    assert checks.mode_from("production") == "production"
    assert checks.mode_from("Development") == "development"
    with pytest.raises(ImproperlyConfigured, match="QORGAU_ENV must be 'development' or 'production'"):
        checks.mode_from("dev")


def test_without_any_variable_the_settings_are_production_and_refuse_to_start() -> None:
    result = run_settings()
    assert refused(result, "QORGAU_ENV is 'production'", "SECRET_KEY is not set", "DATABASE_URL")


def test_an_unknown_mode_is_refused() -> None:
    assert refused(run_settings(QORGAU_ENV="staging"), "QORGAU_ENV must be")


def test_development_is_asked_for_and_turns_on_debug_and_demo_mode() -> None:
    result = run_settings(QORGAU_ENV="development")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["QORGAU_ENV"] == "development"
    assert values["DEBUG"] is True
    assert values["DEMO_MODE"] is True
    assert values["SECRET_KEY"] == DEV_SECRET_KEY


def test_production_starts_with_secure_cookies_and_a_csp() -> None:
    result = run_settings(**production_env())
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["QORGAU_ENV"] == "production"
    assert values["DEBUG"] is False
    assert values["DEMO_MODE"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_CSP"]["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in values["SECURE_CSP"]["script-src"]
    assert values["SECURE_CSP"]["frame-ancestors"] == ["'none'"]


# Each refusal, through the whole module. (override, fragments the message must contain)
REFUSALS = {
    "no secret key": ({"SECRET_KEY": None}, ["SECRET_KEY is not set"]),
    "the development secret key": ({"SECRET_KEY": DEV_SECRET_KEY}, ["SECRET_KEY is the public development"]),
    "a short secret key": ({"SECRET_KEY": secrets.token_urlsafe(30)}, ["SECRET_KEY is too short"]),
    "a repeated secret key": ({"SECRET_KEY": "a" * 60}, ["SECRET_KEY has only 1 distinct"]),
    "a patterned secret key": ({"SECRET_KEY": "0123456789abcdef" * 4}, ["SECRET_KEY repeats a shorter"]),
    "the development IIN hash key": ({"IIN_HASH_KEY": DEV_IIN_HASH_KEY}, ["IIN_HASH_KEY is the public"]),
    "a short IIN hash key": ({"IIN_HASH_KEY": secrets.token_hex(10)}, ["IIN_HASH_KEY is too short"]),
    "a low-variety IIN hash key": ({"IIN_HASH_KEY": "ab" * 20}, ["IIN_HASH_KEY has only 2 distinct"]),
    "an invalid Fernet key": (
        {"IIN_ENCRYPTION_KEY": "not-a-fernet-key"},
        ["IIN_ENCRYPTION_KEY is not a valid"],
    ),
    "the development Fernet key": (
        {"IIN_ENCRYPTION_KEY": DEV_IIN_ENCRYPTION_KEY},
        ["IIN_ENCRYPTION_KEY is the public development"],
    ),
    "a wildcard host": ({"ALLOWED_HOSTS": "qorgau.gov.kz,*"}, ["ALLOWED_HOSTS contains '*'"]),
    "no allowed hosts": ({"ALLOWED_HOSTS": None}, ["ALLOWED_HOSTS is empty"]),
    "SQLite": ({"DATABASE_URL": "sqlite:///var/prod.sqlite3"}, ["DATABASE_URL points at SQLite"]),
    "no database URL": ({"DATABASE_URL": None}, ["DATABASE_URL points at SQLite (or is not set)"]),
    "DEMO_MODE": ({"DEMO_MODE": "1"}, ["DEMO_MODE is on"]),
    "DEBUG": ({"DEBUG": "1"}, ["DEBUG is on"]),
}


@pytest.mark.parametrize("case", REFUSALS.keys())
def test_production_refuses(case: str) -> None:
    override, fragments = REFUSALS[case]
    result = run_settings(**production_env(**override))  # type: ignore[arg-type]
    assert refused(result, *fragments), result.stderr[-2000:]


def test_every_problem_is_listed_at_once() -> None:
    result = run_settings(**production_env(SECRET_KEY="short", DEMO_MODE="1", ALLOWED_HOSTS="*"))
    assert refused(result, "SECRET_KEY is too short", "DEMO_MODE is on", "ALLOWED_HOSTS contains '*'")


# The rules, called directly


def test_a_random_secret_key_passes_and_weak_ones_do_not() -> None:
    checks.check_secret_key(secrets.token_urlsafe(50), development_value=DEV_SECRET_KEY)
    weak = {
        "": "is not set",
        DEV_SECRET_KEY: "public development key",
        "django-insecure-" + secrets.token_urlsafe(50): "public development key",
        secrets.token_urlsafe(36)[:49]: "too short",
        "x" * 64: "only 1 distinct",
        "qwertyuiop" * 6: "repeats a shorter pattern",
        "a" * 40 + "0123456789bcdefghijk": "repeats one character too often",
    }
    for value, reason in weak.items():
        with pytest.raises(ImproperlyConfigured, match=f"SECRET_KEY .*{reason}"):
            checks.check_secret_key(value, development_value=DEV_SECRET_KEY)


def test_a_random_iin_hash_key_passes_and_weak_ones_do_not() -> None:
    checks.check_iin_hash_key(secrets.token_hex(32), development_value=DEV_IIN_HASH_KEY)
    checks.check_iin_hash_key(secrets.token_urlsafe(32), development_value=DEV_IIN_HASH_KEY)
    weak = {
        "": "is not set",
        DEV_IIN_HASH_KEY: "public development key",
        secrets.token_hex(15): "too short",
        "1234" * 10: "only 4 distinct",
        "0123456789abcdef" * 3: "repeats a shorter pattern",
    }
    for value, reason in weak.items():
        with pytest.raises(ImproperlyConfigured, match=f"IIN_HASH_KEY .*{reason}"):
            checks.check_iin_hash_key(value, development_value=DEV_IIN_HASH_KEY)


def test_a_generated_fernet_key_passes_and_others_do_not() -> None:
    checks.check_fernet_key(Fernet.generate_key().decode(), development_value=DEV_IIN_ENCRYPTION_KEY)
    bad = {
        "": "is not set",
        DEV_IIN_ENCRYPTION_KEY: "public development key",
        "not-a-fernet-key": "not a valid Fernet key",
        base64.urlsafe_b64encode(secrets.token_bytes(16)).decode(): "not a valid Fernet key",
        "é" * 44: "not a valid Fernet key",
        base64.urlsafe_b64encode(bytes(32)).decode(): "not random",
    }
    for value, reason in bad.items():
        with pytest.raises(ImproperlyConfigured, match=f"IIN_ENCRYPTION_KEY .*{reason}"):
            checks.check_fernet_key(value, development_value=DEV_IIN_ENCRYPTION_KEY)


def test_allowed_hosts_must_name_hosts() -> None:
    checks.check_allowed_hosts(["qorgau.gov.kz", ".qorgau.gov.kz"])
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS is empty"):
        checks.check_allowed_hosts([])
    for hosts in (["*"], ["qorgau.gov.kz", "*.gov.kz"]):
        with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS contains '\\*'"):
            checks.check_allowed_hosts(hosts)


def test_the_database_must_be_postgresql() -> None:
    checks.check_database({"ENGINE": "django.db.backends.postgresql"})
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL points at SQLite"):
        checks.check_database({"ENGINE": "django.db.backends.sqlite3"})


def test_demo_mode_and_debug_must_be_off() -> None:
    checks.check_off("DEMO_MODE", False)
    for name in ("DEMO_MODE", "DEBUG"):
        with pytest.raises(ImproperlyConfigured, match=f"{name} is on"):
            checks.check_off(name, True)
