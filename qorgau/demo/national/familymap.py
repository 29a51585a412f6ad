"""The demo family map: a small synthetic registry set (engine.generate at scale 0.001: about 20,000
persons in 6,300 families over the demo's districts) refreshed once with the published rules, so the runs
page, a run's progress and its aggregates show something. About 15 seconds (the linkage is most of it)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings

from qorgau.core.models import User
from qorgau.familymap.engine.generate import generate
from qorgau.familymap.services import do_start_refresh, execute_run

SCALE = 0.001


def create_family_map(analyst: User, *, seed: int, progress: Callable[[str], None]) -> None:
    if not getattr(settings, "FAMILYMAP_DEMO", True):
        return
    started = time.perf_counter()
    inputs = settings.FAMILYMAP_INPUTS
    if not (inputs / "manifest.json").exists():
        generate(seed, SCALE, inputs)
    run = execute_run(do_start_refresh(actor=analyst, inputs=inputs).pk)
    levels = ", ".join(f"{k} {v}" for k, v in run.summary.get("levels", {}).items())
    progress(
        f"Family map: refresh #{run.number} {run.status} ({levels}) in {time.perf_counter() - started:.1f} s."
    )
