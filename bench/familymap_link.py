# ruff: noqa: S608  (SQL over the benchmark's own files)
"""Family map engine, linkage (issue 10): time, peak memory and quality of `link_sources`.

    .venv/bin/python bench/familymap_link.py --scale 0.01
    flock /tmp/qorgau-heavy.lock .venv/bin/python bench/familymap_link.py --scale 0.05 --inputs var/fm-0.05

The set is generated once into --inputs (kept; not timed) unless it is there already. Each linkage run
is a fresh process: wall time, peak RSS, seconds per step, and precision and recall against truth.parquet,
for all records and for those without a valid IIN (the issue's measure: precision >= 0.99, recall >= 0.97).
Peer, same run, same set: a hand-written DuckDB deterministic rule for the records without a valid IIN
(folded last name, first name and birth date equal to exactly one spine person), the usual first
step before a probabilistic model; its precision, recall and time beside Splink's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
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


def worker_link(inputs: Path, threads: int | None) -> dict[str, object]:
    from qorgau.familymap.engine.link import link_sources

    with tempfile.TemporaryDirectory(prefix="fm-link-") as tmp:
        start = time.perf_counter()
        report = link_sources(inputs, Path(tmp), threads=threads)
        wall = time.perf_counter() - start
    return {
        "wall_s": round(wall, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "report": report.to_dict(),
    }


def worker_peer(inputs: Path, threads: int | None) -> dict[str, object]:
    """Deterministic DuckDB rule for records without a valid IIN (the peer)."""
    import duckdb

    from qorgau.familymap.engine.inputs import source_path, source_relation
    from qorgau.familymap.engine.link import LINKED_SOURCES, SPINE
    from qorgau.familymap.engine.link.keys import keyed, register_name_keys

    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    con.execute("SET enable_progress_bar = false")
    start = time.perf_counter()
    for s in (SPINE, *LINKED_SOURCES):
        path = source_path(inputs, s)
        assert path is not None
        con.execute(f"CREATE VIEW src_{s} AS SELECT * FROM {source_relation(path)}")
    register_name_keys(con, [f"src_{s}" for s in (SPINE, *LINKED_SOURCES)])
    con.execute(f"CREATE TEMP TABLE spine AS {keyed('src_' + SPINE, ', t.person_id')}")
    con.execute(
        "CREATE TEMP TABLE records AS "
        + " UNION ALL ".join(f"SELECT '{s}' AS source, * FROM ({keyed('src_' + s)})" for s in LINKED_SOURCES)
    )
    con.execute(
        """CREATE TEMP TABLE peer AS
        SELECT r.source, r.record_id, any_value(s.person_id) AS person_id
        FROM records r JOIN spine s ON s.lk = r.lk AND s.fk = r.fk AND s.birth_date = r.birth_date
        WHERE NOT r.iin_valid
        GROUP BY ALL HAVING count(*) = 1"""
    )
    wall = time.perf_counter() - start
    truth = inputs / "truth.parquet"
    records, linked, correct = con.execute(
        f"""SELECT count(*), count(p.person_id), count(*) FILTER (WHERE p.person_id = t.person_id)
        FROM records r JOIN read_parquet('{truth}') t USING (source, record_id)
        LEFT JOIN peer p USING (source, record_id)
        WHERE NOT r.iin_valid"""
    ).fetchall()[0]
    return {
        "wall_s": round(wall, 3),
        "records": records,
        "linked": linked,
        "correct": correct,
        "precision": round(correct / linked, 5) if linked else 1.0,
        "recall": round(correct / records, 5) if records else 1.0,
    }


def run_worker(kind: str, inputs: Path, threads: int | None) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--worker", kind, "--inputs", str(inputs)]
    if threads:
        cmd += ["--threads", str(threads)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout  # noqa: S603
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--inputs", type=Path, default=None, help="default var/familymap-bench/<scale>")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--worker", choices=["link", "peer"])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    inputs = args.inputs or ROOT / "var" / "familymap-bench" / f"s{args.seed}-{args.scale}"
    if args.worker == "link":
        print(json.dumps(worker_link(inputs, args.threads)))
        return 0
    if args.worker == "peer":
        print(json.dumps(worker_peer(inputs, args.threads)))
        return 0
    if not (inputs / "truth.parquet").is_file():
        from qorgau.familymap.engine.generate import generate

        print(f"generating scale {args.scale} into {inputs} (not timed)")
        generate(args.seed, args.scale, inputs, threads=args.threads)
    runs = [run_worker("link", inputs, args.threads) for _ in range(args.repeat)]
    peers = [run_worker("peer", inputs, args.threads) for _ in range(args.repeat)]
    last = runs[-1]["report"]
    quality = last["quality"]  # type: ignore[index]
    result = {
        "command": " ".join(sys.argv),
        "machine": f"{platform.node()} {platform.machine()} cpus={os.cpu_count()}",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "inputs": str(inputs),
        "splink": {
            "median_wall_s": statistics.median(float(r["wall_s"]) for r in runs),  # type: ignore[arg-type]
            "peak_rss_mb": max(float(r["peak_rss_mb"]) for r in runs),  # type: ignore[arg-type]
            "steps_s": last["seconds"],  # type: ignore[index]
            "probabilistic_counts": last["probabilistic_counts"],  # type: ignore[index]
            "quality": quality,
            "sources": last["sources"],  # type: ignore[index]
        },
        "peer_deterministic_duckdb": {
            **peers[-1],
            "median_wall_s": statistics.median(float(p["wall_s"]) for p in peers),  # type: ignore[arg-type]
        },
    }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
