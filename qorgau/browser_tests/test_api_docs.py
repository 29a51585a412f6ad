"""The API documentation page works under the content security policy: Swagger UI from our own static
files (drf-spectacular-sidecar), its scripts with the page's nonce."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from qorgau.core.testing import Personas

from .ui import Ui, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_the_operations(ui: Ui, personas: Personas) -> None:
    ui.sign_in(personas.astana_officer)
    ui.page.get_by_role("link", name="API", exact=True).click()
    page = ui.page
    expect(page).to_have_url(ui.url("/api/docs/"))
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Qorgau API")
    operations = page.locator(".opblock-summary-path")
    expect(operations.first).to_be_visible()
    assert operations.count() > 10
    expect(page.locator(".opblock-summary-path", has_text="/api/intake/signals/").first).to_be_visible()
    # Moderate findings (the suite fails on serious ones) asked for here: Swagger UI's markup alone has
    # content outside any landmark (region) and headings that skip a level (heading-order); our template
    # wraps it in <main> with a visually hidden h1, and qorgau/swagger-ui.js mends the rest.
    moderate = [v for v in ui.check() if v["id"] in ("heading-order", "region")]
    assert moderate == [], describe(moderate)
    ui.screenshot("api-docs")
