import pytest
from django.db.backends.postgresql.operations import DatabaseOperations as _PostgresOperations

from qorgau.core.testing import personas  # noqa: F401  (shared fixture)

_sql_flush = _PostgresOperations.sql_flush


def _sql_flush_past_audit_trigger(self, style, tables, **kwargs):
    # Test databases only: the append-only audit trigger refuses TRUNCATE, which Django's flush between
    # transactional tests (live_server, transaction=True) uses. Replica mode skips triggers for it.
    sql = _sql_flush(self, style, tables, **kwargs)
    return ["SET LOCAL session_replication_role = replica", *sql] if sql else sql


_PostgresOperations.sql_flush = _sql_flush_past_audit_trigger  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is the production hasher (tested in core); tests create many users, so hash cheaply.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _family_map_files(settings, tmp_path_factory):
    # The family map's run directories and registry extracts go to a temporary directory, never
    # var/familymap; the demo command's family map refresh (about 10 s of linkage) is off unless a test
    # turns it on (qorgau/familymap/tests/test_demo.py).
    base = tmp_path_factory.mktemp("familymap")
    settings.FAMILYMAP_DIR = base
    settings.FAMILYMAP_INPUTS = base / "inputs"
    settings.FAMILYMAP_DEMO = False
