"""The synthetic national set: civil registry spine, five registries with real-life noise, and the truth.

    from qorgau.familymap.engine.generate import generate
    report = generate(seed=1, scale=0.001, out_dir=Path("var/familymap/inputs"))

Deterministic for (seed, scale). Vectorised with numpy and DuckDB: no Python loop per person, so the
national set (scale 1: about 20 million persons, 6.3 million families) takes minutes
(bench/familymap_generate.py).
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from qorgau.familymap.engine.generate import noise, sources, writer
from qorgau.familymap.engine.generate.population import AS_OF, make_population

SOURCES = ("civil_persons", "benefits", "employment", "health", "education", "housing")
GENERATOR_VERSION = 1


@dataclass
class GenerateReport:
    seed: int
    scale: float
    out_dir: str
    families: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def persons(self) -> int:
        return self.rows.get("civil_persons", 0)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def generate(seed: int, scale: float, out_dir: Path, *, threads: int | None = None) -> GenerateReport:
    """Write `<source>.parquet` for the six sources, `truth.parquet` and `manifest.json` into out_dir."""
    if not 0 < scale <= 2:
        raise ValueError("scale must be in (0, 2]")
    out_dir = Path(out_dir)
    if threads:
        pa.set_cpu_count(threads)
    out_dir.mkdir(parents=True, exist_ok=True)
    # One child generator per part, so that changing one source's draws never shifts another's.
    seeds = np.random.SeedSequence(seed).spawn(8)
    rngs = [np.random.default_rng(s) for s in seeds]
    clock = time.perf_counter()
    seconds: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[name] = round(now - clock, 3)
        clock = now

    pop = make_population(rngs[0], scale)
    lap("population")
    report = GenerateReport(seed=seed, scale=scale, out_dir=str(out_dir), families=len(pop.family_size))
    dictionaries = writer.Dictionaries(pop)
    truth = pq.ParquetWriter(out_dir / "truth.parquet", writer.TRUTH_SCHEMA, compression="zstd")
    try:
        report.rows["civil_persons"] = writer.write_civil(
            dictionaries, pop, out_dir / "civil_persons.parquet", truth
        )
        lap("civil_persons")
        ben, disabled = sources.benefits(rngs[1], pop)
        builders = {
            "benefits": lambda: ben,
            "employment": lambda: sources.employment(rngs[2], pop),
            "health": lambda: sources.health(rngs[3], pop, disabled),
            "education": lambda: sources.education(rngs[4], pop),
            "housing": lambda: sources.housing(rngs[5], pop),
        }
        noise_rng = rngs[6]
        for source, build in builders.items():  # one source in memory at a time
            recs = build()
            order = noise_rng.permutation(len(recs.person))  # registry files are in no particular order
            person = recs.person[order]
            own = {k: v.take(pa.array(order)) for k, v in recs.columns.items()}
            del recs
            common = noise.common(noise_rng, pop, source, person)
            report.rows[source] = writer.write_source(
                dictionaries, source, common, pop.person_id[person], own, out_dir / f"{source}.parquet", truth
            )
            del common, own, person
            lap(source)
    finally:
        truth.close()
    report.seconds = seconds
    manifest = {
        **report.to_dict(),
        "generator_version": GENERATOR_VERSION,
        "as_of": AS_OF.isoformat(),
        "pyarrow": pa.__version__,
        "numpy": np.__version__,
    }
    manifest.pop("seconds")
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return report


__all__ = ["SOURCES", "GenerateReport", "generate"]
