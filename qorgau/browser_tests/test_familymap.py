"""The family map's pipeline pages in the browser (axe-core after every page):

- the analyst starts a refresh, follows its progress per stage, and reads the aggregates of the scope;
- the analyst makes a draft of the rules, dry-runs it and reads how many families would change level.
The task worker is not running here: the test executes the queued run as the worker would.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from qorgau.core.testing import Personas
from qorgau.familymap.engine.rules import default_document
from qorgau.familymap.models import RuleSet, Run, RunStatus
from qorgau.familymap.reference import ensure_default_rule_set
from qorgau.familymap.services import do_update_draft, execute_run
from qorgau.familymap.tests.factories import MapWorld, make_world

from .ui import Ui

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mw(personas: Personas, tmp_path, settings) -> MapWorld:  # type: ignore[no-untyped-def]
    settings.FAMILYMAP_DIR = tmp_path / "familymap"
    ensure_default_rule_set()
    return make_world(personas, tmp_path)


def _execute(mw: MapWorld, run: Run) -> Run:
    import shutil
    from pathlib import Path

    Path(run.run_dir).mkdir(parents=True, exist_ok=True)
    shutil.copy(mw.linked["safety"], Path(run.run_dir) / "safety.parquet")
    return execute_run(run.pk, validate=lambda d: [], link=mw.link())


def test_analyst_starts_a_refresh_and_follows_it(ui: Ui, mw: MapWorld) -> None:
    ui.sign_in(mw.analyst, next_path="/familymap/runs/")
    page = ui.page
    expect(page.get_by_role("heading", name="Family map runs")).to_be_visible()
    ui.check()
    page.get_by_role("button", name="Start a refresh").click()
    expect(page.get_by_text("Refresh queued.")).to_be_visible()
    expect(page.locator("[data-stage=validate]")).to_have_attribute("data-stage-status", "waiting")
    ui.check()
    run = Run.objects.get()
    assert _execute(mw, run).status == RunStatus.DONE
    page.reload()
    for stage in ("validate", "link", "indicators", "classify", "store"):
        expect(page.locator(f"[data-stage={stage}]")).to_have_attribute("data-stage-status", "done")
    expect(page.locator('[data-aggregate="KZ-71/KZ-71-01"]')).to_be_visible()
    expect(page.locator('[data-aggregate^="KZ-79"]')).to_have_count(0)
    ui.check()
    ui.screenshot("familymap-run")


def test_analyst_dry_runs_a_draft(ui: Ui, mw: MapWorld) -> None:
    _execute(mw, Run.objects.get(pk=mw.refresh_queued().pk))
    ui.sign_in(mw.analyst, next_path="/familymap/rules/")
    page = ui.page
    ui.check()
    page.get_by_role("button", name="New draft from the published rules").click()
    expect(page.locator(".ruleset-status")).to_have_text("draft")
    ui.check()
    draft = RuleSet.objects.get(status="draft")
    document = default_document()
    document["k"] = document["thresholds"]["C"] = "1/4"
    do_update_draft(actor=mw.analyst, rule_set=draft, document=document)
    page.get_by_role("button", name="Dry run against the last linked data").click()
    dry = Run.objects.get(kind="dry_run")
    assert execute_run(dry.pk).status == RunStatus.DONE
    page.reload()
    expect(page.get_by_role("heading", name="would change level")).to_be_visible()
    expect(page.locator('[data-district="KZ-71-01"]')).to_be_visible()
    ui.check()
    ui.screenshot("familymap-dry-run")
