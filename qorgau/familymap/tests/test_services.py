"""Rule sets (published never change: service, model and database), runs (one at a time, resumable), the
results stored per family with their reasons and change, and a dry run that publishes nothing."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from qorgau.core.models import AuditEvent

from ..engine.rules import default_document
from ..models import (
    Change,
    DistrictAggregate,
    FamilyResult,
    LevelChange,
    RuleSet,
    RuleSetFrozen,
    RuleSetStatus,
    Run,
    RunStatus,
)
from ..queries import family_history, family_results, run_aggregates, run_changes
from ..services import (
    do_create_draft,
    do_publish,
    do_resume_run,
    do_start_dry_run,
    do_start_refresh,
    do_update_draft,
    execute_run,
    published,
)
from .factories import MapWorld, make_world

pytestmark = pytest.mark.django_db


def current_rules() -> RuleSet:
    rule_set = published()
    assert rule_set is not None
    return rule_set


def social_worker(personas, region, name="map_social"):
    from qorgau.core.models import User
    from qorgau.core.testing import UserFactory, role

    user = UserFactory.create(
        username=name,
        agency=personas.astana_police,
        role=role("district_social_worker"),
        scope="regions",
        regions=[region],
    )
    return User.objects.get(pk=user.pk)


@pytest.fixture
def mw(personas, tmp_path) -> MapWorld:
    return make_world(personas, tmp_path)


def test_the_default_rule_set_is_shipped_published():
    rule_set = current_rules()
    assert rule_set.version == 1
    assert rule_set.document == default_document()


def test_a_published_rule_set_never_changes(mw):
    rule_set = current_rules()
    with pytest.raises(RuleSetFrozen):
        do_update_draft(actor=mw.analyst, rule_set=rule_set, document=default_document() | {"k": "1/2"})
    rule_set.document = default_document() | {"k": "1/2"}
    with pytest.raises(RuleSetFrozen):
        rule_set.save()
    with pytest.raises(RuleSetFrozen):
        RuleSet.objects.get(pk=rule_set.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses a bare update too
        RuleSet.objects.filter(pk=rule_set.pk).update(document={"k": "1/2"})
    with pytest.raises(IntegrityError), transaction.atomic():
        RuleSet.objects.filter(pk=rule_set.pk).update(status=RuleSetStatus.DRAFT)
    assert RuleSet.objects.get(pk=rule_set.pk).document == default_document()


def test_a_draft_is_edited_then_published_and_the_old_one_retired(mw):
    draft = do_create_draft(actor=mw.analyst, name="Tighter", based_on=current_rules())
    assert draft.version == 2 and draft.status == RuleSetStatus.DRAFT
    document = default_document() | {"k": "1/4"}
    do_update_draft(actor=mw.analyst, rule_set=draft, document=document)
    with pytest.raises(ValidationError) as error:
        do_update_draft(actor=mw.analyst, rule_set=draft, document=default_document() | {"k": 2})
    assert "k must be above 0 and at most 1" in str(error.value)
    do_publish(actor=mw.analyst, rule_set=draft)
    assert current_rules().pk == draft.pk
    old = RuleSet.objects.get(version=1)
    assert old.status == RuleSetStatus.RETIRED and old.retired_at is not None
    with pytest.raises(RuleSetFrozen):
        do_update_draft(actor=mw.analyst, rule_set=draft, document=default_document())
    actions = list(
        AuditEvent.objects.filter(action__startswith="familymap_ruleset").values_list("action", flat=True)
    )
    assert sorted(actions) == sorted(
        [
            "familymap_ruleset.add",
            "familymap_ruleset.change",
            "familymap_ruleset.retire",
            "familymap_ruleset.publish",
        ]
    )


def test_rules_need_the_rules_action(mw):
    with pytest.raises(PermissionDenied):
        do_create_draft(actor=mw.p.astana_officer, name="x")
    with pytest.raises(PermissionDenied):
        do_start_refresh(actor=mw.p.astana_officer)


def test_one_run_at_a_time(mw):
    do_start_refresh(actor=mw.analyst)
    with pytest.raises(ValidationError, match="Another run is under way"):
        do_start_refresh(actor=mw.analyst)


def test_a_refresh_stores_families_c_to_e_with_reasons_and_aggregates(mw):
    run = mw.refresh()
    assert run.status == RunStatus.DONE and run.current, run.error + str(run.stages)
    classified = pq.read_table(f"{run.run_dir}/classified.parquet").to_pylist()
    assert len(classified) == 150
    high = {r["family_id"] for r in classified if r["level"] >= 2}
    stored = FamilyResult.objects.filter(run=run)
    assert {r.family_key for r in stored} == high  # first run: no movements, levels C-E only
    assert all(r.change == Change.NEW and r.rule_set_id == run.rule_set_id for r in stored)
    sample = stored.order_by("family_key")[0]
    assert sample.reasons and all("." in code for code in sample.reasons)
    assert sample.level in "CDE"
    regional = DistrictAggregate.objects.filter(run=run, district__isnull=True)
    assert sum(a.families for a in regional) == 150
    summary = run.summary
    assert summary["families"] == 150 and sum(summary["levels"].values()) == 150


def test_the_next_refresh_records_the_change_and_keeps_the_history(mw):
    first = mw.refresh()
    draft = do_create_draft(actor=mw.analyst, name="Lower k", document=default_document() | {"k": "1/4"})
    draft.document["thresholds"]["C"] = "1/4"
    do_update_draft(actor=mw.analyst, rule_set=draft, document=draft.document)
    do_publish(actor=mw.analyst, rule_set=draft)
    second = mw.refresh()
    assert second.previous_id == first.pk and second.current and not Run.objects.get(pk=first.pk).current
    moved = FamilyResult.objects.filter(run=second, change=Change.UP)
    assert moved.exists() and all(r.previous_level == "B" and r.level == "C" for r in moved)
    row = moved.order_by("family_key")[0]
    worker = social_worker(mw.p, row.region)
    assert [h.run_id for h in family_history(worker, row.family_key)] == [second.pk]  # B was not stored
    assert not family_history(
        social_worker(mw.p, mw.p.shymkent if row.region == mw.p.astana else mw.p.astana, "other"),
        row.family_key,
    ).exists()
    assert (
        second.summary["moved"]
        == moved.count() + FamilyResult.objects.filter(run=second, change=Change.DOWN).count()
    )


def test_results_per_family_are_read_within_the_scope(mw, personas):
    run = mw.refresh()
    worker = personas.astana_officer  # no familymap.view: nothing
    assert not family_results(worker, run).exists()
    rows = family_results(social_worker(personas, personas.astana), run)
    assert rows.exists() and set(rows.values_list("region__code", flat=True)) == {"KZ-71"}
    assert {a.region.code for a in run_aggregates(mw.shymkent_analyst, run)} == {"KZ-79"}


def test_a_failed_refresh_keeps_the_previous_one_current_and_resumes(mw):
    first = mw.refresh()
    calls = []

    def failing_link(inputs_dir, out_dir, *, threads=None):
        calls.append("link")
        raise OSError("the registry extract is truncated")

    second = mw.refresh(link=failing_link)
    assert second.status == RunStatus.FAILED and "truncated" in second.error
    assert second.stages["validate"]["status"] == "done" and second.stages["link"]["status"] == "failed"
    assert Run.objects.get(current=True).pk == first.pk
    do_resume_run(actor=mw.analyst, run=second)
    resumed = execute_run(second.pk, validate=lambda d: pytest.fail("validated again"), link=mw.link())
    assert resumed.status == RunStatus.DONE and resumed.current
    assert resumed.stages["validate"]["status"] == "skipped"
    assert resumed.attempts == 2


def test_a_bad_input_is_rejected_with_its_rows_and_the_previous_run_stays_current(mw):
    first = mw.refresh()
    problem = {
        "source": "health",
        "column": "addiction",
        "rows": (0, 4),
        "message": "not a boolean",
        "count": 2,
    }
    second = mw.refresh(validate=lambda d: [problem])
    assert second.status == RunStatus.FAILED
    assert second.stages["validate"]["details"]["problems"][0]["rows"] == [0, 4]
    assert Run.objects.get(current=True).pk == first.pk
    assert not FamilyResult.objects.filter(run=second).exists()


def test_a_dry_run_counts_the_changes_and_publishes_nothing(mw):
    base = mw.refresh()
    stored_before = FamilyResult.objects.count()
    document = default_document()
    document["k"] = document["thresholds"]["C"] = "1/4"
    draft = do_create_draft(actor=mw.analyst, name="Lower k", document=document)
    dry = do_start_dry_run(actor=mw.analyst, rule_set=draft)
    assert dry.linked_from_id == base.pk
    dry = execute_run(dry.pk)
    assert dry.status == RunStatus.DONE and dry.current is None
    assert Run.objects.get(current=True).pk == base.pk
    assert FamilyResult.objects.count() == stored_before
    assert RuleSet.objects.get(pk=draft.pk).status == RuleSetStatus.DRAFT
    classified = pq.read_table(f"{dry.run_dir}/classified.parquet").to_pylist()
    moved = sum(1 for r in classified if r["previous_level"] != r["level"])
    assert moved > 0 and sum(LevelChange.objects.filter(run=dry).values_list("families", flat=True)) == moved
    astana = run_changes(mw.analyst, dry)
    assert {d["region"].code for d in astana["districts"]} == {"KZ-71"}
    assert astana["matrix"][1][1][2] == astana["total"]  # every move is B -> C
    with pytest.raises(ValidationError):
        do_start_dry_run(actor=mw.analyst, rule_set=current_rules())


def test_a_refresh_end_to_end_on_a_generated_set(mw, settings):
    """The generator's set, validated and linked by the engine's input half, classified, stored."""
    from qorgau.familymap.engine.generate import generate

    generate(3, 0.001, settings.FAMILYMAP_INPUTS)
    run = execute_run(do_start_refresh(actor=mw.analyst).pk)
    assert run.status == RunStatus.DONE, run.error
    assert run.reference_date.isoformat() == "2026-01-01"  # the extracts' as_of, not today
    assert run.stages["link"]["status"] == "done"
    families = run.summary["families"]
    assert families > 6000 and sum(run.summary["levels"].values()) == families
    assert run.summary["store"]["families_stored"] == FamilyResult.objects.filter(run=run).count()
    assert run.summary["safety_rows"] == 0  # the analyst holds no intake.view: no signal is exported


def test_starting_a_run_enqueues_the_pipeline_task(mw, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        run = do_start_refresh(actor=mw.analyst)
    task = DBTaskResult.objects.get(task_path="qorgau.familymap.tasks.run_pipeline")
    assert task.args_kwargs["args"] == [run.pk]
