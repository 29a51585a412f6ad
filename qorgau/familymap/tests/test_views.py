"""The run page (progress per stage, aggregates of the user's scope), the dry-run result and the rules
pages."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from qorgau.core.testing import otp_login

from ..engine.rules import default_document
from ..models import RuleSet, RuleSetStatus, Run, RunStatus
from ..services import do_create_draft, do_start_dry_run, execute_run
from .factories import MapWorld, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def mw(personas, tmp_path) -> MapWorld:
    return make_world(personas, tmp_path)


@pytest.fixture
def client(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def page(client: Client, user, url: str) -> str:
    response = otp_login(client, user).get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_start_a_refresh_from_the_runs_page(client, mw):
    response = otp_login(client, mw.analyst).post(reverse("familymap:run_list"))
    run = Run.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "familymap:run_detail", args=[run.pk]
    )
    html = page(client, mw.analyst, reverse("familymap:run_detail", args=[run.pk]))
    assert 'data-stage="validate" data-stage-status="waiting"' in html
    assert 'hx-trigger="every 3s"' in html  # polled while under way
    html = page(client, mw.analyst, reverse("familymap:run_list"))
    assert "one run at a time" in html and f'data-run="{run.number}"' in html


def test_the_run_page_shows_each_stage_and_the_aggregates_of_the_users_scope(client, mw):
    run = mw.refresh()
    url = reverse("familymap:run_detail", args=[run.pk])
    html = page(client, mw.analyst, url)
    for stage in ("validate", "link", "indicators", "classify", "store"):
        assert f'data-stage="{stage}" data-stage-status="done"' in html
    assert 'data-aggregate="KZ-71/"' in html and 'data-aggregate="KZ-71/KZ-71-01"' in html
    assert "KZ-79" not in html
    assert "42 parties to Qorgau's signals exported" in html
    assert "every 3s" not in html
    other = page(Client(), mw.shymkent_analyst, url)
    assert 'data-aggregate="KZ-79/KZ-79-01"' in other and "KZ-71" not in other


def test_a_failed_run_shows_the_rows_at_fault_and_resumes(client, mw):
    problem = {"source": "health", "column": "addiction", "rows": (3, 9), "message": "not a boolean"}
    run = mw.refresh(validate=lambda d: [problem])
    html = page(client, mw.analyst, reverse("familymap:run_detail", args=[run.pk]))
    assert "health · addiction: not a boolean (rows 3, 9)" in html
    response = client.post(reverse("familymap:run_resume", args=[run.pk]))
    assert response.status_code == 302 and Run.objects.get(pk=run.pk).status == RunStatus.QUEUED


def test_the_dry_run_page_counts_the_families_that_would_change(client, mw):
    mw.refresh()
    document = default_document()
    document["k"] = document["thresholds"]["C"] = "1/4"
    draft = do_create_draft(actor=mw.analyst, name="Lower k", document=document)
    dry = execute_run(do_start_dry_run(actor=mw.analyst, rule_set=draft).pk)
    html = page(client, mw.analyst, reverse("familymap:run_detail", args=[dry.pk]))
    assert "families in your scope would change level" in html
    assert 'data-district="KZ-71-01"' in html and 'data-district="KZ-79-01"' not in html


def test_a_draft_is_made_edited_dry_run_and_published_from_the_pages(client, mw):
    otp_login(client, mw.analyst)
    response = client.post(reverse("familymap:ruleset_list"))
    draft = RuleSet.objects.get(status=RuleSetStatus.DRAFT)
    assert response["Location"] == reverse("familymap:ruleset_detail", args=[draft.pk])
    url = reverse("familymap:ruleset_detail", args=[draft.pk])
    bad = client.post(url, {"name": "x", "document": json.dumps(default_document() | {"k": 0})})
    assert bad.status_code == 200 and "k must be above 0 and at most 1" in bad.content.decode()
    good = client.post(url, {"name": "Renamed", "document": json.dumps(default_document() | {"k": "1/4"})})
    assert good.status_code == 302 and RuleSet.objects.get(pk=draft.pk).name == "Renamed"
    refused = client.post(reverse("familymap:ruleset_dry_run", args=[draft.pk]), follow=True)
    assert "There is no refresh to compare with yet." in refused.content.decode()
    client.post(reverse("familymap:ruleset_publish", args=[draft.pk]))
    assert RuleSet.objects.get(pk=draft.pk).status == RuleSetStatus.PUBLISHED
    html = page(client, mw.analyst, url)
    assert "Published rules never change" in html and "Save the draft" not in html


def test_pages_need_the_actions(client, mw):
    otp_login(client, mw.p.astana_officer)
    assert client.get(reverse("familymap:run_list")).status_code == 403
    assert client.get(reverse("familymap:ruleset_list")).status_code == 403
