"""No CDN anywhere: every script and style a page loads is served by this site (the CSP allows nothing
else, so a page that names another host is a page that breaks)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from qorgau.core.testing import Personas, otp_login

ROOT = Path(settings.BASE_DIR) / "qorgau"
# A script or style from another host: <script src="http...">, <link href="//...">, @import, url(http...).
EXTERNAL = re.compile(
    r"""<script[^>]*\ssrc\s*=\s*["']?(?:https?:)?//"""
    r"""|<link[^>]*\shref\s*=\s*["']?(?:https?:)?//"""
    r"""|@import\s+(?:url\()?["']?(?:https?:)?//"""
    r"""|url\(\s*["']?(?:https?:)?//""",
    re.IGNORECASE,
)


def external_references(text: str) -> list[str]:
    return [text[m.start() : m.start() + 120] for m in EXTERNAL.finditer(text)]


def test_the_pattern_finds_a_cdn() -> None:
    assert external_references('<script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist/x.js"></script>')
    assert external_references("<link rel='stylesheet' href='//fonts.example.com/a.css'>")
    assert external_references("@import url('https://fonts.example.com/css');")
    assert not external_references('<script src="/static/vendor/htmx/htmx.min.js"></script>')


def test_no_template_or_own_static_file_names_another_host() -> None:
    files = [
        *ROOT.glob("**/templates/**/*.html"),
        *ROOT.glob("static/**/*.css"),
        *ROOT.glob("static/**/*.js"),
    ]
    assert len(files) > 20
    found = {
        str(path.relative_to(ROOT)): refs for path in files if (refs := external_references(path.read_text()))
    }
    assert found == {}


def test_the_api_documentation_is_served_from_our_static_files() -> None:
    for key in ("SWAGGER_UI_DIST", "SWAGGER_UI_FAVICON_HREF", "REDOC_DIST"):
        assert settings.SPECTACULAR_SETTINGS[key] == "SIDECAR", key


@pytest.mark.parametrize(
    ("who", "path"),
    [
        (None, "/accounts/login/"),
        ("astana_officer", "/"),
        ("astana_officer", "/api/docs/"),
        ("astana_officer", "/signals/"),
        ("sysadmin", "/admin/"),
    ],
)
def test_no_page_loads_a_script_or_style_from_another_host(
    client: Client, personas: Personas, who: str | None, path: str
) -> None:
    if who:
        otp_login(client, getattr(personas, who))
    response = client.get(path, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script" in body or "<link" in body
    assert external_references(body) == []


def test_the_api_documentation_scripts_carry_the_page_nonce(client: Client, personas: Personas) -> None:
    response = otp_login(client, personas.astana_officer).get("/api/docs/")
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    assert nonce
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert len(scripts) == 4  # the bundle, the standalone preset, its set-up, our heading fix (swagger-ui.js)
    assert all(f'nonce="{nonce.group(1)}"' in tag for tag in scripts)
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in response.content.decode()
