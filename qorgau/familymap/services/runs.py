"""Runs: start a refresh or a dry run, one at a time; the task executes it stage by stage, resumable."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau.core.audit import record
from qorgau.intake.queries import family_map_safety_rows

from ..engine.pipeline import DRY_RUN, REFRESH, RunContext, StageFailed, inputs_as_of, run_stages
from ..models import RuleSet, RuleSetStatus, Run, RunKind, RunStatus
from ._common import data_dir, inputs_dir, require
from .results import store_dry_run, store_refresh

RUN_ACTION = "familymap.run"
RULES_ACTION = "familymap.rules"
SAFETY_FILE = "safety.parquet"


def current_refresh() -> Run | None:
    return Run.objects.filter(current=True).select_related("rule_set").first()


def _create(*, actor: Any, kind: str, rule_set: RuleSet, day: Any = None, **fields: Any) -> Run:
    number = (Run.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    try:
        with transaction.atomic():
            run = Run.objects.create(
                number=number,
                kind=kind,
                rule_set=rule_set,
                reference_date=day or timezone.localdate(),
                run_dir=str(data_dir() / "runs" / f"{number:05d}"),
                started_by=actor,
                **fields,
            )
    except IntegrityError as error:
        raise ValidationError({"__all__": _("Another run is under way: wait until it finishes.")}) from error
    return run


def _enqueue(run: Run) -> None:
    from ..tasks import run_pipeline

    transaction.on_commit(lambda: run_pipeline.enqueue(run.pk))


@transaction.atomic
def do_start_refresh(*, actor: Any, inputs: Path | None = None) -> Run:
    """Queue a refresh with the published rule set over the registry extracts in `inputs`."""
    require(actor, RUN_ACTION)
    rule_set = RuleSet.objects.filter(status=RuleSetStatus.PUBLISHED).first()
    if rule_set is None:
        raise ValidationError({"__all__": _("No rule set is published.")})
    previous = current_refresh()
    source = Path(inputs or inputs_dir())
    run = _create(
        actor=actor,
        kind=RunKind.REFRESH,
        rule_set=rule_set,
        day=inputs_as_of(source),  # the day the extracts describe; today when they do not say
        inputs_dir=str(source),
        previous=previous,
    )
    record(actor=actor, action="familymap_run.add", obj=run, changes={"kind": [None, run.kind]})
    _enqueue(run)
    return run


@transaction.atomic
def do_start_dry_run(*, actor: Any, rule_set: RuleSet) -> Run:
    """Queue a dry run of a draft against the current refresh's linked data; nothing is published."""
    require(actor, RULES_ACTION)
    if not rule_set.is_draft:
        raise ValidationError({"rule_set": _("Only a draft is dry-run: the published rules are the map.")})
    base = current_refresh()
    if base is None:
        raise ValidationError({"__all__": _("There is no refresh to compare with yet.")})
    run = _create(
        actor=actor,
        kind=RunKind.DRY_RUN,
        rule_set=rule_set,
        day=base.reference_date,
        linked_from=base,
        previous=base,
    )
    record(actor=actor, action="familymap_run.add", obj=run, changes={"kind": [None, run.kind]})
    _enqueue(run)
    return run


@transaction.atomic
def do_resume_run(*, actor: Any, run: Run) -> Run:
    """Queue a failed run again: it resumes at the stage that failed."""
    require(actor, RUN_ACTION if run.kind == RunKind.REFRESH else RULES_ACTION)
    run = Run.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.FAILED:
        raise ValidationError({"__all__": _("Only a failed run is resumed.")})
    try:
        with transaction.atomic():
            Run.objects.filter(pk=run.pk).update(active=True, status=RunStatus.QUEUED, error="")
    except IntegrityError as error:
        raise ValidationError({"__all__": _("Another run is under way: wait until it finishes.")}) from error
    run.refresh_from_db()
    record(actor=actor, action="familymap_run.resume", obj=run, changes={"status": ["failed", "queued"]})
    _enqueue(run)
    return run


def _export_safety(run: Run, path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = family_map_safety_rows(run.started_by, timezone.now())
    schema = pa.schema(
        [
            ("record_id", pa.string()),
            ("iin", pa.int64()),
            ("party_role", pa.string()),
            ("date", pa.date32()),
            ("children_present", pa.bool_()),
            ("outcome", pa.string()),
            ("order_in_force", pa.bool_()),
        ]
    )
    table = pa.table({name: [row[name] for row in rows] for name in schema.names}, schema=schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    pq.write_table(table, tmp)
    tmp.replace(path)
    return len(rows)


def _parquet_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(path).metadata.num_rows)


def context_for(run: Run) -> RunContext:
    """The engine's context of `run` (paths, rules, reference date); the store callback is the app's."""
    run_dir = Path(run.run_dir)
    if run.kind == RunKind.REFRESH:
        linked = run_dir / "linked"
        safety = run_dir / SAFETY_FILE
        store = store_refresh
    else:
        assert run.linked_from is not None
        linked = Path(run.linked_from.run_dir) / "linked"
        safety = Path(run.linked_from.run_dir) / SAFETY_FILE
        store = store_dry_run
    previous = Path(run.previous.run_dir) / "classified.parquet" if run.previous else None
    return RunContext(
        run_dir=run_dir,
        document=run.rule_set.document,
        day=run.reference_date,
        linked_dir=linked,
        inputs_dir=Path(run.inputs_dir) if run.inputs_dir else None,
        safety_path=safety,
        previous=previous,
        threads=getattr(settings, "FAMILYMAP_THREADS", None),
        memory_limit=getattr(settings, "FAMILYMAP_MEMORY_LIMIT", None),
        store=lambda ctx: store(run, ctx),
    )


def _progress(run: Run):  # type: ignore[no-untyped-def]
    def report(stage: str, status: str, info: dict[str, Any]) -> None:
        entry = {"status": status}
        for key in ("seconds", "peak_rss_mb", "error", "details"):
            if key in info:
                entry[key] = info[key]
        run.stages = {**run.stages, stage: entry}
        Run.objects.filter(pk=run.pk).update(stages=run.stages)

    return report


def execute_run(run_id: int, **overrides: Any) -> Run:
    """Run (or resume) `run_id` to its end; the task's body. `overrides` replace fields of the engine's
    context (tests pass their own validate and link)."""
    run = Run.objects.select_related("rule_set", "linked_from", "previous", "started_by").get(pk=run_id)
    if run.status in (RunStatus.DONE, RunStatus.FAILED):
        return run
    Run.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started_at=run.started_at or timezone.now(), attempts=run.attempts + 1
    )
    run.refresh_from_db()
    ctx = dataclasses.replace(context_for(run), **overrides)
    ctx.run_dir.mkdir(parents=True, exist_ok=True)
    stages = REFRESH if run.kind == RunKind.REFRESH else DRY_RUN
    try:
        if run.kind == RunKind.REFRESH and ctx.safety_path:
            if not ctx.safety_path.exists():  # once per refresh: a resumed run keeps its export
                _export_safety(run, ctx.safety_path)
            ctx.extra["safety_rows"] = _parquet_rows(ctx.safety_path)
        manifest = run_stages(ctx.run_dir, stages, ctx, _progress(run))
    except StageFailed as failure:
        Run.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, active=None, error=str(failure)[:2000], finished_at=timezone.now()
        )
        run.refresh_from_db()
        record(actor=run.started_by, action="familymap_run.fail", obj=run, changes={"stage": failure.stage})
        return run
    summary = dict(manifest["stages"].get("classify", {}).get("summary", {}))
    summary["store"] = manifest["stages"].get("store", {}).get("summary", {})
    if "safety_rows" in ctx.extra:  # how many of Qorgau's parties the starter's scope exported
        summary["safety_rows"] = ctx.extra["safety_rows"]
    with transaction.atomic():
        if run.kind == RunKind.REFRESH:
            Run.objects.filter(current=True).update(current=None)
        Run.objects.filter(pk=run.pk).update(
            status=RunStatus.DONE,
            active=None,
            current=True if run.kind == RunKind.REFRESH else None,
            summary=summary,
            finished_at=timezone.now(),
        )
        run.refresh_from_db()
        record(
            actor=run.started_by,
            action="familymap_run.finish",
            obj=run,
            changes={"status": ["running", "done"]},
        )
    return run


def discard_run_files(run: Run) -> None:
    """Remove a run's directory (a dry run's answer is in the database once done)."""
    shutil.rmtree(run.run_dir, ignore_errors=True)
