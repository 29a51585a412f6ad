"""Location-allocation: our HiGHS models (qorgau/planning/solve) against spopt's, side by side.

    .venv/bin/python bench/planning.py                 # every instance below
    .venv/bin/python bench/planning.py --only small    # one instance (small, pmedian, mclp, pmedian_large)

Each instance is synthetic and deterministic (seeded): demand points in clusters around "towns" over a
1,200 x 900 km area with log-normal weights, candidates drawn among the demand points, Euclidean km.
The same matrices go to both: ours (`p_median`, `max_cover`, the time includes building the model) and
spopt 0.8 (`PMedian.from_cost_matrix` / `MCLP.from_cost_matrix` + `solve(pulp.HiGHS(msg=False,
gapRel=0))`, the same HiGHS through PuLP; build + solve timed). Both run to proven optimality (our
status must be HiGHS's kOptimal; spopt's PuLP status "Optimal"), and the script checks that the
objectives agree (relative 1e-6) - the proof that both answers are optimal. Reported: the median of the
repeats, the ratio spopt / ours, the objectives, our model size, and the peak memory of the process
(ru_maxrss) after our large p-median. Results go to bench/README.md by hand, with the machine's load.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qorgau.planning.solve import max_cover, p_median

INSTANCES: dict[str, dict[str, Any]] = {
    "small": {"model": "pmedian", "n": 300, "m": 60, "p": 8, "repeats": 5, "spopt_repeats": 5},
    "pmedian": {"model": "pmedian", "n": 2_000, "m": 300, "p": 20, "repeats": 3, "spopt_repeats": 1},
    "mclp": {
        "model": "mclp",
        "n": 10_000,
        "m": 1_000,
        "p": 50,
        "radius": 30.0,
        "repeats": 3,
        "spopt_repeats": 1,
    },
    "pmedian_large": {"model": "pmedian", "n": 10_000, "m": 1_000, "p": 50, "repeats": 1, "spopt_repeats": 0},
}


def instance(n: int, m: int, seed: int = 2026) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    towns = rng.uniform((0, 0), (1200, 900), size=(60, 2))
    size = rng.lognormal(0, 1, 60)
    which = rng.choice(60, size=n, p=size / size.sum())
    pts = towns[which] + rng.normal(0, 35, size=(n, 2))
    weights = np.round(rng.lognormal(3, 1, n), 1)
    cand = pts[rng.choice(n, size=m, replace=False)]
    dist = np.sqrt(((pts[:, None, :] - cand[None, :, :]) ** 2).sum(axis=2))
    return weights, np.round(dist, 3)


def ours(spec: dict[str, Any], w: np.ndarray, d: np.ndarray) -> tuple[float, float, dict[str, Any]]:
    started = time.perf_counter()
    if spec["model"] == "pmedian":
        sol = p_median(w, d, p=spec["p"], time_limit=900)
    else:
        sol = max_cover(w, d, radius=spec["radius"], p=spec["p"], time_limit=900)
    seconds = time.perf_counter() - started
    if not sol.optimal:
        raise SystemExit(f"ours: not optimal ({sol.status}, gap {sol.gap})")
    return seconds, float(sol.objective), {"size": sol.size, "iterations": sol.iterations}


def spopt(spec: dict[str, Any], w: np.ndarray, d: np.ndarray) -> tuple[float, float]:
    import pulp
    from spopt.locate import MCLP, PMedian

    solver = pulp.HiGHS(msg=False, gapRel=0)
    started = time.perf_counter()
    if spec["model"] == "pmedian":
        model = PMedian.from_cost_matrix(d, w, p_facilities=spec["p"]).solve(solver, results=False)
    else:
        model = MCLP.from_cost_matrix(d, w, service_radius=spec["radius"], p_facilities=spec["p"]).solve(
            solver, results=False
        )
    seconds = time.perf_counter() - started
    status = pulp.LpStatus[model.problem.status]
    if status != "Optimal":
        raise SystemExit(f"spopt: {status}")
    return seconds, float(pulp.value(model.problem.objective))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", choices=sorted(INSTANCES), action="append")
    parser.add_argument("--spopt-repeats", type=int, help="override the repeats of spopt (0: skip it)")
    args = parser.parse_args()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    for name in args.only or list(INSTANCES):
        spec = INSTANCES[name]
        w, d = instance(spec["n"], spec["m"])
        label = f"{name}: {spec['model']} {spec['n']} x {spec['m']}, p = {spec['p']}"
        runs = [ours(spec, w, d) for _ in range(spec["repeats"])]
        mine = statistics.median(r[0] for r in runs)
        objective = runs[0][1]
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{label}\n  ours:  median {mine:.2f} s of {len(runs)}, objective {objective:.6f}, "
            f"model {runs[0][2]}, peak RSS {rss:.0f} MB",
            flush=True,
        )
        repeats = spec["spopt_repeats"] if args.spopt_repeats is None else args.spopt_repeats
        if repeats:
            theirs = [spopt(spec, w, d) for _ in range(repeats)]
            median = statistics.median(t[0] for t in theirs)
            same = abs(theirs[0][1] - objective) <= 1e-6 * max(1.0, abs(objective))
            print(
                f"  spopt: median {median:.2f} s of {len(theirs)}, objective {theirs[0][1]:.6f}"
                f"\n  ratio spopt / ours: {median / mine:.1f}x, same objective: {same}",
                flush=True,
            )
            if not same:
                raise SystemExit("the objectives differ: one of the two is not optimal")
        print(f"  load now {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
