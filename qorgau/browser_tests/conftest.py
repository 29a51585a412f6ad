"""The browser suite: pytest-playwright drives Debian's Chromium against pytest-django's live server.

`make test-browser` runs it (`-m browser`); `make test` leaves it out (pyproject's addopts). Every page a
test opens is checked with axe-core (`Ui.check`), and the test fails at teardown if it navigated to a page
it did not check, or if the page reported a content-security-policy violation in its console.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import BrowserContext, Page

from qorgau.core.models import Region, Role
from qorgau.core.reference import load_regions, load_roles
from qorgau.core.testing import Personas, make_personas
from qorgau.intake.models import DeadlineRule, LegalRuleSet, ReconciliationRule
from qorgau.intake.reference import load_deadlines, load_reconciliation_rules

from .ui import Ui

# Playwright's sync API runs an event loop in the test's thread; Django refuses ORM calls from a thread
# with a running loop unless told that this is intended. The ORM calls here are the test's own set-up.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Debian's package (`make test-browser` installs it when missing); Playwright's own download is not used.
CHROMIUM = os.environ.get("QORGAU_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # English unless a test switches: the assertions read English labels. A desktop-sized window.
    # Reduced motion: no colour transitions, so that axe measures the colours a person finally sees.
    return {
        **browser_context_args,
        "locale": "en-GB",
        "viewport": {"width": 1280, "height": 900},
        "reduced_motion": "reduce",
    }


@pytest.fixture(autouse=True)
def _reference_data(transactional_db: None) -> None:
    # The live server needs committed data, so these tests are transactional; the flush after each test
    # empties the migrations' reference data too.
    load_regions(Region)
    load_roles(Role)
    load_deadlines(DeadlineRule)
    load_reconciliation_rules(LegalRuleSet, ReconciliationRule)


@pytest.fixture
def personas(_reference_data: None) -> Personas:
    return make_personas()


@pytest.fixture
def context(context: BrowserContext) -> BrowserContext:
    # axe-core from node_modules (package-lock.json), in every page before the page's own scripts. Init
    # scripts are the browser's, not the page's: the page's CSP does not apply to them, nor do they
    # need a nonce.
    context.add_init_script(path=str(settings.NODE_MODULES / "axe-core" / "axe.min.js"))
    # Counts htmx swaps, so that a test waits for the swap its click caused (Ui.swap), not for a time.
    context.add_init_script(
        "document.addEventListener('htmx:afterSettle',"
        " () => { window.qorgauSwaps = (window.qorgauSwaps || 0) + 1; });"
    )
    return context


@pytest.fixture
def ui(page: Page, live_server: Any) -> Iterator[Ui]:
    ui = Ui(page, live_server.url)
    yield ui
    ui.finish()
