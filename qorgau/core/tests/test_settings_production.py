"""Production settings: refuse unsafe configuration, and turn on secure cookies, HSTS and the CSP.

Each case imports qorgau.settings in a fresh interpreter, because the module reads the environment once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

BASE_DIR = Path(__file__).resolve().parents[3]

PROBE = """
import json
import qorgau.settings as s
print(json.dumps({
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
    "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS,
    "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
    "SECURE_CSP": {k: [str(v) for v in vals] for k, vals in s.SECURE_CSP.items()},
    "DEBUG": s.DEBUG,
    "DEMO_MODE": s.DEMO_MODE,
}))
"""

# Variables the settings read; cleared so that the developer's shell cannot change the outcome.
SETTINGS_VARS = ("SECRET_KEY", "IIN_HASH_KEY", "IIN_ENCRYPTION_KEY", "ALLOWED_HOSTS", "DEMO_MODE", "DEBUG")


def run_settings(**env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARS and not k.startswith("DJANGO_")}
    return subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, "-c", PROBE],
        cwd=BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_env(**overrides: str) -> dict[str, str]:
    return {
        "DEBUG": "0",
        "SECRET_KEY": "p" * 20 + "-a-real-production-secret-key-" + "q" * 20,
        "IIN_HASH_KEY": "a-real-iin-hash-key-for-production-0123456789",
        "IIN_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "qorgau.gov.kz",
        "DEMO_MODE": "0",
        **overrides,
    }


def test_production_refuses_the_development_secret_key() -> None:
    env = production_env()
    del env["SECRET_KEY"]
    result = run_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_the_development_iin_keys() -> None:
    env = production_env()
    del env["IIN_ENCRYPTION_KEY"]
    result = run_settings(**env)
    assert result.returncode != 0
    assert "IIN_ENCRYPTION_KEY" in result.stderr


def test_production_refuses_demo_mode() -> None:
    result = run_settings(**production_env(DEMO_MODE="1"))
    assert result.returncode != 0
    assert "DEMO_MODE" in result.stderr


def test_production_starts_with_secure_cookies_and_a_csp() -> None:
    result = run_settings(**production_env())
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["DEMO_MODE"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_CSP"]["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in values["SECURE_CSP"]["script-src"]
    assert values["SECURE_CSP"]["frame-ancestors"] == ["'none'"]
