"""Family map engine, synthetic national set (issue 10): time and peak memory of `generate` per scale.

    .venv/bin/python bench/familymap_generate.py --scales 0.001,0.01,0.05 --repeat 3
    flock /tmp/qorgau-heavy.lock .venv/bin/python bench/familymap_generate.py --scales 1.0 --repeat 1

Each run is a fresh process (peak memory is that process's max RSS), writing to a temporary directory
(deleted afterwards). Reported: median wall time, peak RSS, rows per source, seconds per stage.
Peer, run side by side at --peer-scale: a plain-Python generator of the same persons (a loop per person
over `random`, names, IIN check digits) against the vectorised population stage of the same scale; the
ratio says what the vectorisation buys. No Django: the engine is plain Python.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def worker_generate(scale: float, seed: int, threads: int | None) -> dict[str, object]:
    from qorgau.familymap.engine.generate import generate

    with tempfile.TemporaryDirectory(prefix="fm-gen-") as tmp:
        start = time.perf_counter()
        report = generate(seed, scale, Path(tmp), threads=threads)
        wall = time.perf_counter() - start
        size = sum(p.stat().st_size for p in Path(tmp).iterdir())
    return {
        "wall_s": round(wall, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rows": report.rows,
        "families": report.families,
        "stages_s": report.seconds,
        "bytes_on_disk": size,
    }


def worker_population(scale: float, seed: int) -> dict[str, object]:
    import numpy as np

    from qorgau.familymap.engine.generate.population import make_population

    start = time.perf_counter()
    pop = make_population(np.random.default_rng(seed), scale)
    return {"wall_s": round(time.perf_counter() - start, 3), "persons": len(pop.person_id)}


def worker_python_peer(scale: float, seed: int) -> dict[str, object]:
    """The same population made one person at a time in Python (the peer)."""
    from qorgau.familymap.engine.generate import names as n
    from qorgau.familymap.engine.generate.population import FAMILY_SIZE_P, FAMILY_SIZES, NATIONAL_FAMILIES

    rng = random.Random(seed)  # noqa: S311 (synthetic data)
    start = time.perf_counter()
    surnames = n.kazakh_surnames() + n.RUSSIAN_SURNAMES
    persons = []
    used: set[int] = set()
    sizes = FAMILY_SIZES.tolist()
    weights = FAMILY_SIZE_P.tolist()
    for family in range(round(NATIONAL_FAMILIES * scale)):
        size = rng.choices(sizes, weights)[0]
        surname = rng.choice(surnames)
        for member in range(size):
            female = rng.random() < 0.5
            given = rng.choice(n.KAZAKH_FEMALE if female else n.KAZAKH_MALE)
            born = dt.date(2026, 1, 1) - dt.timedelta(days=rng.randrange(0, 90 * 365))
            serial = 1
            while True:
                prefix = int(
                    f"{born:%y%m%d}{(4 if female else 3) + (2 if born.year >= 2000 else 0)}{serial:04d}"
                )
                digits = [int(c) for c in f"{prefix:011d}"]
                s = sum(d * w for d, w in zip(digits, range(1, 12), strict=True)) % 11
                if s == 10:
                    s = (
                        sum(d * w for d, w in zip(digits, [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2], strict=True))
                        % 11
                    )
                iin = prefix * 10 + s
                if s < 10 and iin not in used:
                    break
                serial += 1
            used.add(iin)
            persons.append((family, member, n.feminine(surname) if female else surname, given, born, iin))
    return {"wall_s": round(time.perf_counter() - start, 3), "persons": len(persons)}


def run_worker(kind: str, scale: float, seed: int, threads: int | None) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--worker", kind, "--scales", str(scale), "--seed", str(seed)]
    if threads:
        cmd += ["--threads", str(threads)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout  # noqa: S603
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="0.001,0.01")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--peer-scale", type=float, default=0.002)
    parser.add_argument("--worker", choices=["generate", "population", "peer"])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    scales = [float(s) for s in args.scales.split(",")]
    if args.worker:
        fn = {
            "generate": lambda: worker_generate(scales[0], args.seed, args.threads),
            "population": lambda: worker_population(scales[0], args.seed),
            "peer": lambda: worker_python_peer(scales[0], args.seed),
        }[args.worker]
        print(json.dumps(fn()))
        return 0

    result: dict[str, object] = {
        "command": " ".join(sys.argv),
        "machine": f"{platform.node()} {platform.machine()} cpus={os.cpu_count()}",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "scales": {},
    }
    for scale in scales:
        runs = [run_worker("generate", scale, args.seed, args.threads) for _ in range(args.repeat)]
        walls = [float(r["wall_s"]) for r in runs]  # type: ignore[arg-type]
        entry = {
            "median_wall_s": round(statistics.median(walls), 3),
            "runs_wall_s": walls,
            "peak_rss_mb": max(float(r["peak_rss_mb"]) for r in runs),  # type: ignore[arg-type]
            "rows": runs[0]["rows"],
            "families": runs[0]["families"],
            "stages_s": runs[-1]["stages_s"],
            "bytes_on_disk": runs[0]["bytes_on_disk"],
        }
        result["scales"][str(scale)] = entry  # type: ignore[index]
        print(f"scale {scale}: median {entry['median_wall_s']} s, peak {entry['peak_rss_mb']} MB")
    vec = [
        float(run_worker("population", args.peer_scale, args.seed, None)["wall_s"])
        for _ in range(args.repeat)
    ]  # type: ignore[arg-type]
    peer = [float(run_worker("peer", args.peer_scale, args.seed, None)["wall_s"]) for _ in range(args.repeat)]  # type: ignore[arg-type]
    result["peer"] = {
        "scale": args.peer_scale,
        "vectorised_population_median_s": round(statistics.median(vec), 4),
        "python_loop_median_s": round(statistics.median(peer), 4),
        "ratio_python_over_vectorised": round(statistics.median(peer) / statistics.median(vec), 1),
    }
    print(json.dumps(result["peer"]))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
