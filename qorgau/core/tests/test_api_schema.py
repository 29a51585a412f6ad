import io
from pathlib import Path

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_openapi_schema_is_valid_and_generates_without_warnings(tmp_path: Path) -> None:
    out = tmp_path / "schema.yml"
    # --fail-on-warn turns every unresolved type, authenticator or enum clash into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out), stderr=io.StringIO())
    schema = out.read_text()
    assert "/api/people/persons/" in schema
    assert "/api/intake/signals/" in schema
    assert "sessionAuth" in schema and "tokenAuth" in schema
