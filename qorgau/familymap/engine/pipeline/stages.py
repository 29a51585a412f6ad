"""The family map's stages: validate -> link -> indicators -> classify -> store.

Each stage reads what the one before wrote into the run directory and writes its own output there:

    validate   validate.json                  (the inputs' problems; any problem fails the run)
    link       linked/<source>.parquet, link.json   (engine.link, by the fmdata half of the engine)
    indicators families.parquet, hits.parquet (family_id, bit): which family is deprived in what
    classify   classified.parquet (every family), aggregates_district.parquet, aggregates_region.parquet
    store      store.json (what the application stored; the callback is the Django side's)

A dry run has only indicators and classify, reading the linked files of the last refresh.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ibis

from ..classify import SPINE, aggregates, classify, families, hits
from ..rules import LEVELS, parse
from .runner import Stage

SAFETY = "safety"  # Qorgau's own signals, exported from the intake tables (iin-keyed, not linked)


class InputRejected(ValueError):
    """The inputs failed validation; `details["problems"]` has the rows and columns at fault."""

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the inputs, first: {problems[0].get('message', '')}")
        self.details = {"problems": problems}


@dataclasses.dataclass
class RunContext:
    run_dir: Path
    document: dict[str, Any]  # the rule set
    day: dt.date  # the reference date of the run
    linked_dir: Path  # the linked sources (run_dir/linked for a refresh)
    inputs_dir: Path | None = None  # the registry extracts (a refresh only)
    safety_path: Path | None = None  # Qorgau's signals as Parquet
    previous: Path | None = None  # the previous refresh's classified.parquet: the change since
    threads: int | None = None
    memory_limit: str | None = None  # DuckDB's, e.g. "6GB"
    connect: Callable[[RunContext], Any] | None = None  # an Ibis backend; DuckDB in process by default
    validate: Callable[[Path], list[Any]] | None = None
    link: Callable[..., Any] | None = None
    store: Callable[[RunContext], dict[str, Any]] | None = None
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)

    def backend(self) -> Any:
        if self.connect:
            return self.connect(self)
        config: dict[str, Any] = {}
        if self.threads:
            config["threads"] = self.threads
        if self.memory_limit:
            config["memory_limit"] = self.memory_limit
        return ibis.duckdb.connect(**config)

    def path(self, name: str) -> Path:
        return self.run_dir / name


def inputs_as_of(inputs_dir: Path) -> dt.date | None:
    """The day the registry extracts describe (`as_of` of their manifest.json), if they say."""
    manifest = Path(inputs_dir) / "manifest.json"
    try:
        return dt.date.fromisoformat(json.loads(manifest.read_text(encoding="utf-8"))["as_of"])
    except (OSError, KeyError, ValueError, TypeError):
        return None


def _problem(problem: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(problem) and not isinstance(problem, type):
        raw = dataclasses.asdict(problem)
    else:
        raw = dict(problem)
    raw["rows"] = list(raw.get("rows") or ())[:20]
    return {key: value for key, value in raw.items() if isinstance(value, str | int | list | type(None))}


def validate_stage(ctx: RunContext) -> dict[str, Any]:
    assert ctx.inputs_dir is not None
    validate = ctx.validate
    if validate is None:
        from ..inputs import validate_inputs  # the fmdata half of the engine

        validate = validate_inputs
    problems = [_problem(p) for p in validate(ctx.inputs_dir)]
    ctx.path("validate.json").write_text(json.dumps({"problems": problems}, default=str), encoding="utf-8")
    if problems:
        raise InputRejected(problems)
    return {"problems": 0}


def link_stage(ctx: RunContext) -> dict[str, Any]:
    assert ctx.inputs_dir is not None
    link: Callable[..., Any] | None = ctx.link
    if link is None:
        from ..link import link_sources  # the fmdata half of the engine

        link = link_sources
    report: Any = link(ctx.inputs_dir, ctx.linked_dir, threads=ctx.threads)
    summary: dict[str, Any] = report.to_dict() if hasattr(report, "to_dict") else dict(report or {})
    ctx.path("link.json").write_text(json.dumps(summary, default=str), encoding="utf-8")
    return summary


def _tables(ctx: RunContext, con: Any, sources: set[str]) -> dict[str, Any]:
    tables = {SPINE: con.read_parquet(str(ctx.linked_dir / f"{SPINE}.parquet"), table_name="fm_spine")}
    for source in sorted(sources - {SPINE, SAFETY}):
        tables[source] = con.read_parquet(
            str(ctx.linked_dir / f"{source}.parquet"), table_name=f"fm_{source}"
        )
    if SAFETY in sources:
        if ctx.safety_path is None or not Path(ctx.safety_path).exists():
            raise FileNotFoundError("Qorgau's safety export is missing")
        raw = con.read_parquet(str(ctx.safety_path), table_name="fm_safety")
        spine = tables[SPINE].select("person_id", _iin=tables[SPINE].iin)
        # Qorgau holds valid IINs (people.iin): exact linkage on the 64-bit IIN to the civil registry
        tables[SAFETY] = raw.left_join(spine, raw.iin == spine._iin).drop("_iin")
    return tables


def indicators_stage(ctx: RunContext) -> dict[str, Any]:
    spec = parse(ctx.document)
    con = ctx.backend()
    in_force = spec.in_force(ctx.day)
    tables = _tables(ctx, con, {i.source for i in in_force})
    con.to_parquet(families(tables[SPINE]), str(ctx.path("families.parquet")))
    con.to_parquet(hits(tables, spec, ctx.day), str(ctx.path("hits.parquet")))
    written = con.read_parquet(str(ctx.path("hits.parquet")), table_name="fm_hits_written")
    counts = written.group_by("bit").aggregate(n=written.count()).to_pyarrow().to_pylist()
    by_bit = {row["bit"]: row["n"] for row in counts}
    return {"families_deprived": {i.code: int(by_bit.get(spec.bit(i.code), 0)) for i in in_force}}


def classify_stage(ctx: RunContext) -> dict[str, Any]:
    spec = parse(ctx.document)
    con = ctx.backend()
    fams = con.read_parquet(str(ctx.path("families.parquet")), table_name="fm_families")
    found = con.read_parquet(str(ctx.path("hits.parquet")), table_name="fm_hits")
    table = classify(fams, found, spec)
    if ctx.previous and Path(ctx.previous).exists():
        before = con.read_parquet(str(ctx.previous), table_name="fm_previous")
        before = before.select("family_id", previous_level=before.level)
        table = table.left_join(before, "family_id").drop("family_id_right")
    else:
        table = table.mutate(previous_level=ibis.null("int8"))
    con.to_parquet(table, str(ctx.path("classified.parquet")))
    classified = con.read_parquet(str(ctx.path("classified.parquet")), table_name="fm_classified")
    con.to_parquet(
        aggregates(classified, ("region", "district")), str(ctx.path("aggregates_district.parquet"))
    )
    con.to_parquet(aggregates(classified, ("region",)), str(ctx.path("aggregates_region.parquet")))
    national = aggregates(classified, ()).to_pyarrow().to_pylist()[0]
    moved = classified.filter(
        classified.previous_level.notnull() & (classified.previous_level != classified.level)
    ).count()
    return {
        "families": int(national["n"]),
        "identified": int(national["q"]),
        "H": national["H"],
        "A": national["A"],
        "M0": national["M0"],
        "levels": {level: int(national[f"level_{level}"]) for level in LEVELS},
        "moved": int(moved.to_pyarrow().as_py()),
    }


def store_stage(ctx: RunContext) -> dict[str, Any]:
    summary = ctx.store(ctx) if ctx.store else {}
    ctx.path("store.json").write_text(json.dumps(summary, default=str), encoding="utf-8")
    return summary


REFRESH = (
    Stage("validate", validate_stage, ("validate.json",)),
    Stage("link", link_stage, ("link.json", f"linked/{SPINE}.parquet")),
    Stage("indicators", indicators_stage, ("families.parquet", "hits.parquet")),
    Stage("classify", classify_stage, ("classified.parquet", "aggregates_district.parquet")),
    Stage("store", store_stage, ("store.json",)),
)
DRY_RUN = REFRESH[2:]  # indicators, classify, store (what would change)
STAGE_NAMES = tuple(stage.name for stage in REFRESH)
