"""The staged pipeline: every stage's output persisted, a failed stage resumed without redoing the others."""

from __future__ import annotations

import dataclasses
import shutil

import pyarrow.parquet as pq
import pytest

from qorgau.familymap.engine.pipeline import (
    DRY_RUN,
    REFRESH,
    RunContext,
    Stage,
    StageFailed,
    read_manifest,
    run_stages,
)
from qorgau.familymap.engine.rules import default_document

from .engine_data import DAY, write_linked


@pytest.fixture
def prepared(tmp_path):
    source = tmp_path / "prepared"
    paths = write_linked(source, families_count=120)
    calls = {"validate": 0, "link": 0}

    def validate(inputs_dir):
        calls["validate"] += 1
        return []

    def link(inputs_dir, out_dir, *, threads=None):
        calls["link"] += 1
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, path in paths.items():
            if name != "safety":
                shutil.copy(path, out_dir / path.name)
        return {"rows": 1}

    run_dir = tmp_path / "run1"
    ctx = RunContext(
        run_dir=run_dir,
        document=default_document(),
        day=DAY,
        linked_dir=run_dir / "linked",
        inputs_dir=tmp_path / "inputs",
        safety_path=paths["safety"],
        validate=validate,
        link=link,
        threads=1,
    )
    return ctx, calls


def test_a_refresh_writes_every_stage_output(prepared):
    ctx, _calls = prepared
    events = []
    manifest = run_stages(
        ctx.run_dir, REFRESH, ctx, lambda stage, status, info: events.append((stage, status))
    )
    assert [e for e in events if e[1] == "done"] == [(s.name, "done") for s in REFRESH]
    assert all(manifest["stages"][s.name]["status"] == "done" for s in REFRESH)
    classified = pq.read_table(ctx.run_dir / "classified.parquet")
    assert classified.num_rows == 120
    summary = manifest["stages"]["classify"]["summary"]
    assert sum(summary["levels"].values()) == 120
    assert summary["H"] == summary["identified"] / 120
    aggregates = pq.read_table(ctx.run_dir / "aggregates_district.parquet").to_pylist()
    assert sum(row["n"] for row in aggregates) == 120
    assert {row["district"] for row in aggregates} == {"KZ-71-01", "KZ-71-02", "KZ-79-01"}


def test_a_failed_stage_resumes_without_redoing_the_finished_ones(prepared):
    ctx, calls = prepared
    broken = [s if s.name != "classify" else Stage("classify", _boom, s.outputs) for s in REFRESH]
    with pytest.raises(StageFailed) as failure:
        run_stages(ctx.run_dir, broken, ctx)
    assert failure.value.stage == "classify"
    manifest = read_manifest(ctx.run_dir)
    assert manifest["stages"]["classify"]["status"] == "failed"
    assert "disk full" in manifest["stages"]["classify"]["error"]
    assert "store" not in manifest["stages"]
    hits_written = (ctx.run_dir / "hits.parquet").stat().st_mtime_ns

    events = []
    run_stages(ctx.run_dir, REFRESH, ctx, lambda stage, status, info: events.append((stage, status)))
    assert [e for e in events if e[1] != "running"] == [
        ("validate", "skipped"),
        ("link", "skipped"),
        ("indicators", "skipped"),
        ("classify", "done"),
        ("store", "done"),
    ]
    assert calls == {"validate": 1, "link": 1}
    assert (ctx.run_dir / "hits.parquet").stat().st_mtime_ns == hits_written


def test_a_stage_whose_output_was_lost_runs_again_with_those_after_it(prepared):
    ctx, _calls = prepared
    run_stages(ctx.run_dir, REFRESH, ctx)
    (ctx.run_dir / "hits.parquet").unlink()
    events = []
    run_stages(ctx.run_dir, REFRESH, ctx, lambda stage, status, info: events.append((stage, status)))
    assert [e for e in events if e[1] != "running"][2:] == [
        ("indicators", "done"),
        ("classify", "done"),
        ("store", "done"),
    ]


def test_a_bad_input_fails_validation_with_its_rows_and_columns(prepared):
    ctx, calls = prepared
    problem = {"source": "benefits", "column": "amount_kzt", "rows": (3, 7), "message": "below 0", "count": 2}
    ctx = dataclasses.replace(ctx, validate=lambda inputs_dir: [problem])
    with pytest.raises(StageFailed) as failure:
        run_stages(ctx.run_dir, REFRESH, ctx)
    assert failure.value.stage == "validate"
    assert failure.value.details["problems"] == [
        {"source": "benefits", "column": "amount_kzt", "rows": [3, 7], "message": "below 0", "count": 2}
    ]
    assert calls["link"] == 0
    assert not (ctx.run_dir / "classified.parquet").exists()


def test_a_dry_run_reads_the_last_linked_data_and_counts_the_change(prepared, tmp_path):
    ctx, calls = prepared
    run_stages(ctx.run_dir, REFRESH, ctx)
    draft = default_document()
    draft["k"] = draft["thresholds"]["C"] = "1/4"
    dry = dataclasses.replace(
        ctx, run_dir=tmp_path / "dry", document=draft, previous=ctx.run_dir / "classified.parquet"
    )
    manifest = run_stages(dry.run_dir, DRY_RUN, dry)
    assert calls == {"validate": 1, "link": 1}  # nothing validated or linked again
    before = manifest["stages"]["classify"]["summary"]
    rows = pq.read_table(dry.run_dir / "classified.parquet").to_pylist()
    moved = [r for r in rows if r["previous_level"] != r["level"]]
    assert before["moved"] == len(moved) > 0
    assert all(r["previous_level"] == 1 and r["level"] == 2 for r in moved)  # B -> C, nothing else


def _boom(ctx):
    raise OSError("disk full")


def test_counts_are_integers_in_the_parquet_files(prepared):
    ctx, _calls = prepared
    run_stages(ctx.run_dir, REFRESH, ctx)
    schema = pq.read_schema(ctx.run_dir / "aggregates_district.parquet")
    for name in ("n", "q", "level_A", "level_E"):
        assert str(schema.field(name).type) == "int64", name
    assert str(pq.read_schema(ctx.run_dir / "classified.parquet").field("mask").type) == "int64"
