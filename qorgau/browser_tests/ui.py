"""The browser suite's helpers: pages checked with axe-core, the two-step sign-in, screenshots."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urldefrag

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import ConsoleMessage, Frame, Page, expect

from qorgau.core.models import User

PASSWORD = "correct horse battery staple"  # noqa: S105 (qorgau.core.testing.UserFactory's)
FAILING_IMPACTS = ("serious", "critical")
# One JSON line per page checked (every violation of any impact), for reading the results afterwards.
AXE_LOG = os.environ.get("QORGAU_AXE_LOG", "")


class AccessibilityViolation(AssertionError):
    pass


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = "; ".join(" ".join(map(str, node["target"])) for node in v["nodes"][:5])
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} nodes: {targets})")
        lines.append("    " + v["nodes"][0].get("failureSummary", "").replace("\n", " "))
    return "\n".join(lines)


class Ui:
    """One test's browser tab on the live server.

    `goto` opens a page and checks it; after a click that changes the page (a navigation, an htmx swap),
    the test calls `check()`. At the end `finish()` fails the test for any page it navigated to without a
    check, and for any content-security-policy violation the browser reported.
    """

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.visited: list[str] = []
        self.checked: set[str] = set()
        self.policy_errors: list[str] = []
        page.on("framenavigated", self._navigated)
        page.on("console", self._console)

    def _navigated(self, frame: Frame) -> None:
        if frame is self.page.main_frame and frame.url.startswith(self.base_url):
            self.visited.append(urldefrag(frame.url).url)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.policy_errors.append(f"{self.page.url}: {message.text}")

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str) -> Page:
        self.page.goto(self.url(path))
        self.check()
        return self.page

    def check(self, include: str | None = None) -> list[dict[str, Any]]:
        """Run axe-core on the page (or on the `include` selector); fail on serious or critical violations.
        Returns every violation of lesser impact, for tests that look at them."""
        self.page.wait_for_load_state("load")
        options = {"resultTypes": ["violations"]}
        results = self.page.evaluate(
            "([context, options]) => axe.run(context || document, options)", [include, options]
        )
        url = urldefrag(self.page.url).url
        self.checked.add(url)
        violations = results["violations"]
        if AXE_LOG:
            with open(AXE_LOG, "a", encoding="utf-8") as log:
                summary = [
                    {"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"])} for v in violations
                ]
                log.write(json.dumps({"url": url, "violations": summary}) + "\n")
        failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
        if failing:
            raise AccessibilityViolation(f"axe-core on {url}:\n{describe(failing)}")
        return violations

    def swap(self, action: Callable[[], Any]) -> None:
        """Do `action` (a click, a key) and wait until the htmx swap it caused has settled."""
        before = self.page.evaluate("window.qorgauSwaps || 0")
        action()
        self.page.wait_for_function("n => (window.qorgauSwaps || 0) > n", arg=before)

    def screenshot(self, name: str) -> None:
        """A PNG under $QORGAU_SCREENSHOTS (nothing when unset), to look at what a person sees."""
        folder = os.environ.get("QORGAU_SCREENSHOTS")
        if folder:
            os.makedirs(folder, exist_ok=True)
            self.page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)

    def finish(self) -> None:
        unchecked = [url for url in dict.fromkeys(self.visited) if url not in self.checked]
        assert not unchecked, f"pages visited without an accessibility check: {unchecked}"
        assert not self.policy_errors, "content security policy violations:\n" + "\n".join(self.policy_errors)

    def sign_in(self, user: User, next_path: str = "") -> TOTPDevice:
        """The real two-step sign-in: username and password, then a code of the user's authenticator."""
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        page = self.page
        self.goto("/accounts/login/" + (f"?next={next_path}" if next_path else ""))
        page.get_by_label("Username").fill(user.get_username())
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Continue").click()
        expect(page).to_have_url(re.compile(r"/accounts/verify/"))
        self.check()
        page.get_by_label("Code").fill(current_totp(device))
        page.get_by_role("button", name="Verify").click()
        expect(page).not_to_have_url(re.compile(r"/accounts/verify/"))
        self.check()
        return device


def current_totp(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"
