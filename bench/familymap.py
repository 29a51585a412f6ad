"""Family map refresh (issue 10), stage by stage, and the scoring against a hand-written DuckDB query.

    .venv/bin/python bench/familymap.py --scale 0.01 --repeat 3
    flock /tmp/qorgau-heavy.lock .venv/bin/python bench/familymap.py --scale 1.0 --repeat 1 --json var/fm.json

1. The synthetic set of `--scale` (engine.generate; 1.0 = about 20 million persons, 6.3 million families)
   is generated once into var/bench-familymap/<seed>-<scale>/inputs and reused (generation is a one-off
   step outside the refresh; bench/familymap_generate.py measures it).
2. The refresh's engine stages (validate, link, indicators, classify) run each in a fresh process through
   engine.pipeline.run_stages on one run directory, so that each stage's time and peak memory (that
   process's max RSS, DuckDB's included) are its own. The store stage writes the database through Django
   and is not part of this script (its share is the bulk insert of levels C-E).
3. Scoring, side by side in one process with the same threads: the engine's Ibis expressions (indicators
   and Alkire-Foster classification, linked Parquet in, per-family Parquet out) against one hand-written
   DuckDB SQL query computing the same levels for the shipped rule set. Medians of `--repeat` runs after
   one warm-up each; the levels of both are compared family by family (they must be identical).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

STAGES = ("validate", "link", "indicators", "classify")


def _context(run_dir: Path, inputs: Path, threads: int | None, memory: str | None) -> Any:
    from qorgau.familymap.engine.pipeline import RunContext, inputs_as_of
    from qorgau.familymap.engine.rules import default_document

    return RunContext(
        run_dir=run_dir,
        document=default_document(),
        day=inputs_as_of(inputs) or dt.datetime.now(dt.UTC).date(),
        linked_dir=run_dir / "linked",
        inputs_dir=inputs,
        safety_path=run_dir / "safety.parquet",
        threads=threads,
        memory_limit=memory,
    )


def _empty_safety(path: Path) -> None:
    """Qorgau's signals come from the application's tables; the bench has none (the indicators still run)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            ("record_id", pa.string()),
            ("iin", pa.int64()),
            ("party_role", pa.string()),
            ("date", pa.date32()),
            ("children_present", pa.bool_()),
            ("order_in_force", pa.bool_()),
        ]
    )
    pq.write_table(schema.empty_table(), path)


def worker_stage(
    name: str, run_dir: Path, inputs: Path, threads: int | None, memory: str | None, accept_invalid: bool
) -> None:
    import dataclasses

    from qorgau.familymap.engine.pipeline import REFRESH, Stage, run_stages
    from qorgau.familymap.engine.pipeline.stages import validate_stage

    ctx = _context(run_dir, inputs, threads, memory)

    def tolerant(ctx: Any) -> dict[str, Any]:
        from qorgau.familymap.engine.inputs import validate_inputs

        found = validate_inputs(ctx.inputs_dir)
        validate_stage(dataclasses.replace(ctx, validate=lambda inputs_dir: []))
        (run_dir / "validate.json").write_text(json.dumps({"problems": [str(p) for p in found]}))
        return {"problems": len(found), "accepted": True}

    stages = [s for s in REFRESH if s.name in STAGES[: STAGES.index(name) + 1]]
    if accept_invalid:
        stages = [Stage("validate", tolerant, s.outputs) if s.name == "validate" else s for s in stages]
    run_stages(run_dir, stages, ctx)


def run_stage_process(name: str, args: argparse.Namespace, run_dir: Path, inputs: Path) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--worker-stage",
        name,
        "--run-dir",
        str(run_dir),
        "--inputs",
        str(inputs),
    ]
    if args.threads:
        command += ["--threads", str(args.threads)]
    if args.memory_limit:
        command += ["--memory-limit", args.memory_limit]
    if args.accept_invalid:
        command += ["--accept-invalid"]
    start = time.perf_counter()
    process = subprocess.Popen(command)  # noqa: S603 (our own script)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"stage {name} failed (status {status})")
    return {"stage": name, "wall_s": round(wall, 2), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}


def hand_sql(linked: Path, safety: Path, out: Path, day: dt.date) -> str:
    """One DuckDB query computing the shipped rule set's levels (engine/rules/default.json), by hand."""

    def before(months: int = 0, years: int = 0) -> str:
        from qorgau.familymap.engine.classify.indicators import months_before, years_before

        return (years_before(day, years) if years else months_before(day, months)).isoformat()

    src = {
        name: f"read_parquet('{linked / (name + '.parquet')}')"
        for name in ("civil_persons", "benefits", "employment", "health", "education", "housing")
    }
    d = day.isoformat()
    return f"""
COPY (
WITH p AS (SELECT person_id, family_id, iin, role, birth_date, region, district FROM {src["civil_persons"]}),
size AS (SELECT family_id, count(*) AS members,
                coalesce(min(person_id) FILTER (WHERE role = 'head'), min(person_id)) AS anchor
         FROM p GROUP BY family_id),
fam AS (SELECT s.family_id, p.region, p.district, s.members FROM size s JOIN p ON p.person_id = s.anchor),
s AS (SELECT p.family_id, x.* FROM read_parquet('{safety}') x JOIN p ON p.iin = x.iin),
hits AS (
  SELECT DISTINCT p.family_id, 0 AS bit FROM {src["benefits"]} b JOIN p USING (person_id)
    WHERE b.benefit = 'tsa' AND b.end_date IS NULL
  UNION SELECT z.family_id, 1 FROM size z LEFT JOIN (
      SELECT p.family_id, sum(coalesce(e.income_kzt, 0)::DOUBLE) AS total FROM {src["employment"]} e
      JOIN p USING (person_id) WHERE e.status IN ('employed', 'self_employed')
        AND e.period >= DATE '{before(months=1)}' AND e.period <= DATE '{d}' GROUP BY 1) i USING (family_id)
    WHERE coalesce(i.total, 0) / z.members < 46228
  UNION SELECT DISTINCT p.family_id, 2 FROM {src["employment"]} e JOIN p USING (person_id)
    WHERE e.status = 'registered_unemployed'
      AND e.period >= DATE '{before(months=3)}' AND e.period <= DATE '{d}'
      AND p.birth_date <= DATE '{before(years=18)}' AND p.birth_date > DATE '{before(years=63)}'
  UNION SELECT DISTINCT p.family_id, 3 FROM {src["benefits"]} b JOIN p USING (person_id)
    WHERE b.benefit = 'disability' AND b.disability_group <= 2 AND b.end_date IS NULL
  UNION SELECT DISTINCT p.family_id, 4 FROM {src["housing"]} h JOIN p USING (person_id)
    WHERE h.tenure = 'none'
  UNION SELECT DISTINCT p.family_id, 5 FROM {src["housing"]} h JOIN p USING (person_id)
    WHERE h.condition IN ('emergency', 'poor') AND h.residents <> 0 AND h.area_m2 / h.residents < 9
  UNION SELECT DISTINCT p.family_id, 6 FROM {src["health"]} x JOIN p USING (person_id)
    WHERE x.addiction AND p.birth_date <= DATE '{before(years=18)}'
  UNION SELECT DISTINCT p.family_id, 7 FROM {src["health"]} x JOIN p USING (person_id) WHERE x.psychiatric
  UNION SELECT DISTINCT p.family_id, 8 FROM {src["education"]} x JOIN p USING (person_id)
    WHERE x.level = 'school' AND NOT x.enrolled
      AND p.birth_date <= DATE '{before(years=6)}' AND p.birth_date > DATE '{before(years=18)}'
  UNION SELECT DISTINCT p.family_id, 9 FROM {src["education"]} x JOIN p USING (person_id)
    WHERE x.absences_days >= 15 AND p.birth_date > DATE '{before(years=18)}'
  UNION SELECT DISTINCT family_id, 10 FROM s WHERE party_role = 'victim'
    AND date >= DATE '{before(months=12)}' AND date <= DATE '{d}'
  UNION SELECT DISTINCT family_id, 11 FROM s WHERE order_in_force
  UNION SELECT DISTINCT family_id, 12 FROM s WHERE children_present AND party_role IN ('victim', 'offender')
    AND date >= DATE '{before(months=12)}' AND date <= DATE '{d}'
  UNION SELECT family_id, 13 FROM s WHERE party_role IN ('victim', 'offender')
    AND date >= DATE '{before(months=12)}' AND date <= DATE '{d}' GROUP BY family_id HAVING count(*) >= 2
),
scored AS (SELECT family_id, round(sum(CASE WHEN bit < 12 THEN 1.0 / 12 ELSE 0 END), 9) AS score,
                  sum(1::BIGINT << bit) AS mask FROM hits GROUP BY family_id),
l AS (SELECT f.family_id, f.region, f.district, coalesce(s.score, 0) AS score, coalesce(s.mask, 0) AS mask
      FROM fam f LEFT JOIN scored s USING (family_id)),
lv AS (SELECT *, CASE WHEN score >= 0.75 THEN 4 WHEN score >= 0.5 THEN 3 WHEN score >= round(1 / 3, 9) THEN 2
                      WHEN score >= round(1 / 12, 9) THEN 1 ELSE 0 END AS score_level FROM l)
SELECT family_id, region, district, score, mask::BIGINT AS mask, score >= round(1 / 3, 9) AS poor,
       greatest(score_level, CASE WHEN mask & (1 << 12) <> 0 THEN 3 ELSE 0 END,
                CASE WHEN mask & (1 << 11) <> 0 THEN 2 ELSE 0 END,
                CASE WHEN mask & ((1 << 13) | (1 << 6)) = ((1 << 13) | (1 << 6)) THEN 4 ELSE 0 END) AS level
FROM lv) TO '{out}' (FORMAT parquet)
"""  # noqa: S608 (paths and dates of our own, no input)


def scoring(
    run_dir: Path, inputs: Path, repeat: int, threads: int | None, memory: str | None
) -> dict[str, Any]:
    import duckdb

    from qorgau.familymap.engine.classify import classify, families, hits
    from qorgau.familymap.engine.pipeline.stages import _tables
    from qorgau.familymap.engine.rules import parse

    ctx = _context(run_dir, inputs, threads, memory)
    spec = parse(ctx.document)
    config: dict[str, Any] = {"threads": threads} if threads else {}
    if memory:
        config["memory_limit"] = memory

    def ibis_run() -> None:
        con = ctx.backend()
        tables = _tables(ctx, con, {i.source for i in spec.in_force(ctx.day)})
        table = classify(families(tables["civil_persons"]), hits(tables, spec, ctx.day), spec)
        con.to_parquet(table, str(run_dir / "bench_ibis.parquet"))

    def sql_run() -> None:
        duckdb.connect(config=config).execute(
            hand_sql(ctx.linked_dir, ctx.safety_path, run_dir / "bench_sql.parquet", ctx.day)
        )

    timings: dict[str, list[float]] = {"ibis": [], "sql": []}
    for _ in range(repeat + 1):  # the first of each is the warm-up
        for name, work in (("ibis", ibis_run), ("sql", sql_run)):
            start = time.perf_counter()
            work()
            timings[name].append(time.perf_counter() - start)
    check = (
        duckdb.connect()
        .execute(
            f"SELECT count(*), count(*) FILTER (WHERE a.level <> b.level OR b.level IS NULL) "  # noqa: S608
            f"FROM read_parquet('{run_dir / 'bench_ibis.parquet'}') a "
            f"LEFT JOIN read_parquet('{run_dir / 'bench_sql.parquet'}') b USING (family_id)"
        )
        .fetchone()
    )
    assert check is not None
    ibis_median = statistics.median(timings["ibis"][1:])
    sql_median = statistics.median(timings["sql"][1:])
    return {
        "families": check[0],
        "level_mismatches": check[1],
        "ibis_median_s": round(ibis_median, 3),
        "sql_median_s": round(sql_median, 3),
        "ratio_ibis_to_sql": round(ibis_median / sql_median, 2),
        "runs": {k: [round(v, 3) for v in vs[1:]] for k, vs in timings.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--memory-limit", default="6GB", help="DuckDB's memory limit per process")
    parser.add_argument("--keep", action="store_true", help="keep the run directory (the inputs are kept)")
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--accept-invalid",
        action="store_true",
        help="time the validation but go on when it finds problems (a generator set with known faults)",
    )
    parser.add_argument("--worker-stage", choices=STAGES)
    parser.add_argument("--run-dir", type=Path)
    parser.add_argument("--inputs", type=Path)
    args = parser.parse_args()
    if args.worker_stage:
        worker_stage(
            args.worker_stage, args.run_dir, args.inputs, args.threads, args.memory_limit, args.accept_invalid
        )
        return

    import shutil

    from qorgau.familymap.engine.generate import generate

    base = ROOT / "var" / "bench-familymap" / f"{args.seed}-{args.scale:g}"
    inputs = base / "inputs"
    if not (inputs / "manifest.json").exists():
        start = time.perf_counter()
        generate(args.seed, args.scale, inputs)
        print(
            f"generated the set in {time.perf_counter() - start:.1f} s (not part of the refresh)", flush=True
        )
    run_dir = base / "run"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    _empty_safety(run_dir / "safety.parquet")
    stages = []
    for name in STAGES:
        row = run_stage_process(name, args, run_dir, inputs)
        stages.append(row)
        print(f"{name:11s} {row['wall_s']:8.2f} s  peak {row['peak_rss_mb']:8.1f} MB", flush=True)
    total = sum(r["wall_s"] for r in stages)
    manifest = json.loads((run_dir / "manifest.json").read_text())
    summary = manifest["stages"]["classify"]["summary"]
    print(f"{'total':11s} {total:8.2f} s  peak {max(r['peak_rss_mb'] for r in stages):8.1f} MB", flush=True)
    score = scoring(run_dir, inputs, args.repeat, args.threads, args.memory_limit)
    print(
        f"scoring: Ibis on DuckDB {score['ibis_median_s']} s, "
        f"hand-written DuckDB SQL {score['sql_median_s']} s, "
        f"ratio {score['ratio_ibis_to_sql']}x; {score['level_mismatches']} level mismatches "
        f"in {score['families']} families",
        flush=True,
    )
    result = {
        "command": " ".join(sys.argv),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "scale": args.scale,
        "seed": args.seed,
        "families": summary["families"],
        "levels": summary["levels"],
        "stages": stages,
        "total_s": round(total, 2),
        "scoring": score,
        "validate": manifest["stages"]["validate"]["summary"],
        "link": manifest["stages"]["link"]["summary"],
    }
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1, default=str))
    if not args.keep:
        shutil.rmtree(run_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
