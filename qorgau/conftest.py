import pytest

from qorgau.core.testing import personas  # noqa: F401  (shared fixture)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    # Argon2 is the production hasher (tested in core); tests create many users, so hash cheaply.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
