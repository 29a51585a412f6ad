# ruff: noqa: S608  (SQL built from this package's own constants, file paths and column names; values never come from users)
"""Linkage of every registry record to a person of the civil registry (docs/familymap.md "Linkage").

    report = link_sources(Path("var/familymap/inputs"), Path("var/familymap/linked"))

1. Exact: a record whose IIN is valid (check digit) and belongs to a spine person, when the names agree
   (folded first and last names similar): a mistyped IIN that still passes the check digit names someone
   else, and the name check sends it to step 2 instead of linking it to a stranger.
2. Probabilistic (Splink, Fellegi-Sunter) for the rest, on folded names, birth date and address, blocked
   on birth date and names; a pair at or above `threshold` that clearly beats the record's next candidate
   links; pairs between `review_floor` and that go to review.parquet and the record stays unlinked.
3. Quality against truth.parquet when the set has one.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from qorgau.familymap.engine.inputs import source_path, source_relation
from qorgau.familymap.engine.link.keys import keyed, register_name_keys
from qorgau.familymap.engine.link.report import LinkReport, Quality, SourceCounts

SPINE = "civil_persons"
LINKED_SOURCES = ("benefits", "employment", "health", "education", "housing")
THRESHOLD = 0.99
REVIEW_FLOOR = 0.5
# Exact IIN links need this much name agreement (Jaro-Winkler on folded keys, first and last name): a
# mistyped IIN that passes the check digit names another person born the same day, often with the same
# first name; a person whose surname changed is left to the probabilistic step.
NAME_AGREEMENT = 0.88


def _sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def link_sources(
    inputs_dir: Path,
    out_dir: Path,
    *,
    threads: int | None = None,
    threshold: float = THRESHOLD,
    review_floor: float = REVIEW_FLOOR,
    probabilistic: bool = True,
    memory_limit: str = "6GB",
) -> LinkReport:
    """Link the five registries to the civil registry; write out_dir/<source>.parquet and review.parquet."""
    inputs_dir, out_dir = Path(inputs_dir), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = LinkReport(threshold=threshold, review_floor=review_floor)
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        report.seconds[name] = round(now - clock, 3)
        clock = now

    con = duckdb.connect()
    try:
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        con.execute(f"SET memory_limit = '{memory_limit}'")
        con.execute("SET preserve_insertion_order = true")
        con.execute("SET enable_progress_bar = false")
        paths = {s: source_path(inputs_dir, s) for s in (SPINE, *LINKED_SOURCES)}
        missing = [s for s, p in paths.items() if p is None]
        if missing:
            raise FileNotFoundError(f"no input file for {', '.join(missing)} in {inputs_dir}")
        for source, path in paths.items():
            assert path is not None
            con.execute(f"CREATE OR REPLACE VIEW src_{source} AS SELECT * FROM {source_relation(path)}")
        register_name_keys(con, [f"src_{s}" for s in paths])
        lap("keys")
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE spine AS
            {keyed("src_" + SPINE, ", t.person_id, t.family_id, t.district")}"""
        )
        con.execute(
            "CREATE OR REPLACE TEMP TABLE records AS "
            + " UNION ALL ".join(
                f"SELECT '{s}' AS source, * FROM ({keyed('src_' + s)})" for s in LINKED_SOURCES
            )
        )
        lap("prepare")
        exact_links(con)
        lap("exact")
        con.execute(
            """CREATE OR REPLACE TEMP TABLE unlinked AS
            SELECT r.* FROM records r
            ANTI JOIN links l ON l.source = r.source AND l.record_id = r.record_id"""
        )
        con.execute(
            """CREATE OR REPLACE TEMP TABLE review (source VARCHAR, record_id VARCHAR, person_id BIGINT,
            match_probability DOUBLE, rank INTEGER)"""
        )
        if probabilistic:
            from qorgau.familymap.engine.link.probabilistic import probabilistic_links

            report.probabilistic_counts = probabilistic_links(
                con, threshold=threshold, review_floor=review_floor
            )
            lap("probabilistic")
        else:
            report.probabilistic_engine = "none"
        write_outputs(con, out_dir, paths, report)
        lap("write")
        truth = inputs_dir / "truth.parquet"
        if truth.is_file():
            report.quality = quality(con, truth)
            lap("quality")
    finally:
        con.close()
    return report


def exact_links(con: duckdb.DuckDBPyConnection) -> None:
    """Table `links(source, record_id, person_id, link_method, match_probability)`: the exact IIN links."""
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE links AS
        SELECT r.source, r.record_id, s.person_id, 'iin' AS link_method, 1.0::DOUBLE AS match_probability
        FROM records r JOIN spine s ON s.iin = r.iin
        WHERE r.iin_valid AND (
            jaro_winkler_similarity(coalesce(r.fk, ''), coalesce(s.fk, '')) >= {NAME_AGREEMENT}
            AND jaro_winkler_similarity(coalesce(r.lk, ''), coalesce(s.lk, '')) >= {NAME_AGREEMENT}
        )"""
    )


def write_outputs(
    con: duckdb.DuckDBPyConnection, out_dir: Path, paths: dict[str, Path | None], report: LinkReport
) -> None:
    spine_path = paths[SPINE]
    assert spine_path is not None
    con.execute(
        f"""COPY (SELECT *, person_id AS _pid FROM {source_relation(spine_path)})
        TO {_sql_path(out_dir / "_spine.parquet")} (FORMAT parquet)"""
    )
    con.execute(
        f"""COPY (SELECT * EXCLUDE (_pid), 'spine' AS link_method, 1.0::DOUBLE AS match_probability
            FROM read_parquet({_sql_path(out_dir / "_spine.parquet")}))
        TO {_sql_path(out_dir / (SPINE + ".parquet"))} (FORMAT parquet, COMPRESSION zstd)"""
    )
    (out_dir / "_spine.parquet").unlink()
    spine_rows = con.execute("SELECT count(*) FROM spine").fetchall()[0]
    report.sources[SPINE] = SourceCounts(rows=int(spine_rows[0]) if spine_rows else 0)
    for source in LINKED_SOURCES:
        path = paths[source]
        assert path is not None
        con.execute(
            f"""COPY (
                SELECT src.*, l.person_id,
                    coalesce(l.link_method, CASE WHEN rv.record_id IS NOT NULL THEN 'review' ELSE 'none' END)
                        AS link_method,
                    l.match_probability
                FROM {source_relation(path, row_numbers=True)} src
                LEFT JOIN (SELECT * FROM links WHERE source = '{source}') l USING (record_id)
                LEFT JOIN (SELECT DISTINCT record_id FROM review WHERE source = '{source}') rv
                    ON rv.record_id = src.record_id
                ORDER BY src._row
            ) TO {_sql_path(out_dir / "_tmp.parquet")} (FORMAT parquet)"""
        )
        con.execute(
            f"""COPY (SELECT * EXCLUDE (_row) FROM read_parquet({_sql_path(out_dir / "_tmp.parquet")}))
            TO {_sql_path(out_dir / (source + ".parquet"))} (FORMAT parquet, COMPRESSION zstd)"""
        )
        (out_dir / "_tmp.parquet").unlink()
        row = con.execute(
            f"""SELECT count(*), count(*) FILTER (WHERE NOT r.iin_valid),
                count(*) FILTER (WHERE l.link_method = 'iin'),
                count(*) FILTER (WHERE l.link_method = 'probabilistic'),
                count(*) FILTER (WHERE l.link_method IS NULL AND rv.record_id IS NOT NULL)
            FROM records r
            LEFT JOIN links l ON l.source = r.source AND l.record_id = r.record_id
            LEFT JOIN (SELECT DISTINCT source, record_id FROM review) rv
                ON rv.source = r.source AND rv.record_id = r.record_id
            WHERE r.source = '{source}'"""
        ).fetchall()[0]
        assert row is not None
        rows, without, iin, prob, rev = (int(x) for x in row)
        report.sources[source] = SourceCounts(
            rows=rows, without_valid_iin=without, iin=iin, probabilistic=prob, review=rev,
            none=rows - iin - prob - rev,
        )  # fmt: skip
    con.execute(
        f"""COPY (SELECT * FROM review ORDER BY source, record_id, rank)
        TO {_sql_path(out_dir / "review.parquet")} (FORMAT parquet, COMPRESSION zstd)"""
    )


def quality(con: duckdb.DuckDBPyConnection, truth: Path) -> dict[str, Quality]:
    rows = con.execute(
        f"""SELECT CASE WHEN r.iin_valid THEN 'with_valid_iin' ELSE 'without_valid_iin' END AS part,
            count(*), count(l.person_id), count(*) FILTER (WHERE l.person_id = t.person_id)
        FROM records r
        JOIN read_parquet({_sql_path(truth)}) t ON t.source = r.source AND t.record_id = r.record_id
        LEFT JOIN links l ON l.source = r.source AND l.record_id = r.record_id
        GROUP BY ALL"""
    ).fetchall()
    out = {part: Quality(records=int(a), linked=int(b), correct=int(c)) for part, a, b, c in rows}
    for part in ("with_valid_iin", "without_valid_iin"):
        out.setdefault(part, Quality(0, 0, 0))
    out["all"] = Quality(
        records=sum(q.records for q in out.values()),
        linked=sum(q.linked for q in out.values()),
        correct=sum(q.correct for q in out.values()),
    )
    return out


__all__ = ["REVIEW_FLOOR", "THRESHOLD", "LinkReport", "Quality", "SourceCounts", "link_sources"]
