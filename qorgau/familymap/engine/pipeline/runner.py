"""A staged run whose every finished stage is written down, so that a restart resumes after it.

The run directory holds each stage's output (Parquet files, a JSON summary) and `manifest.json`, which
records per stage: `done` with its seconds, peak memory and summary, or `failed` with the error. A stage
is skipped on a later call when the manifest has it `done` and its declared outputs still exist; the
first stage that is not done runs, and all after it (their inputs may have changed).
"""

from __future__ import annotations

import json
import os
import resource
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"

Progress = Callable[
    [str, str, dict[str, Any]], None
]  # (stage, "running" | "done" | "skipped" | "failed", info)


@dataclass(frozen=True)
class Stage:
    name: str
    run: Callable[[Any], dict[str, Any]]  # takes the run's context, returns a JSON-ready summary
    outputs: tuple[str, ...] = ()  # paths relative to the run directory that must exist once done


@dataclass
class StageFailed(Exception):
    stage: str
    error: str
    details: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"stage {self.stage} failed: {self.error}"


def read_manifest(run_dir: Path) -> dict[str, Any]:
    path = run_dir / MANIFEST
    if not path.exists():
        return {"stages": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def _write_manifest(run_dir: Path, manifest: dict[str, Any]) -> None:
    tmp = run_dir / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, indent=1, default=str), encoding="utf-8")
    os.replace(tmp, run_dir / MANIFEST)  # atomic: a crash leaves the old manifest or the new one


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (MB; Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def finished(run_dir: Path, stage: Stage, manifest: dict[str, Any]) -> bool:
    entry = manifest["stages"].get(stage.name)
    return bool(entry and entry.get("status") == "done") and all(
        (run_dir / output).exists() for output in stage.outputs
    )


def run_stages(
    run_dir: Path, stages: Sequence[Stage], context: Any, progress: Progress | None = None
) -> dict[str, Any]:
    """Run the stages not yet finished, in order; the manifest. StageFailed names the stage at fault.

    A failure is written to the manifest before it is raised; the stages done before it stay done, and the
    next call starts again at the failed stage.
    """
    run_dir.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(run_dir)
    report = progress or (lambda stage, status, info: None)
    rerun = False
    for stage in stages:
        if not rerun and finished(run_dir, stage, manifest):
            report(stage.name, "skipped", manifest["stages"][stage.name])
            continue
        rerun = True
        started = time.perf_counter()
        manifest["stages"][stage.name] = {"status": "running", "started": time.time()}
        _write_manifest(run_dir, manifest)
        report(stage.name, "running", {})
        try:
            summary = stage.run(context)
        except Exception as error:
            details = dict(getattr(error, "details", None) or {})
            manifest["stages"][stage.name] = {
                "status": "failed",
                "error": f"{type(error).__name__}: {error}",
                "details": details,
                "trace": traceback.format_exc(limit=8),
                "seconds": round(time.perf_counter() - started, 3),
            }
            _write_manifest(run_dir, manifest)
            report(stage.name, "failed", manifest["stages"][stage.name])
            raise StageFailed(stage.name, f"{type(error).__name__}: {error}", details) from error
        entry = {
            "status": "done",
            "seconds": round(time.perf_counter() - started, 3),
            "peak_rss_mb": round(peak_rss_mb(), 1),
            "summary": summary,
        }
        manifest["stages"][stage.name] = entry
        _write_manifest(run_dir, manifest)
        report(stage.name, "done", entry)
    return manifest
