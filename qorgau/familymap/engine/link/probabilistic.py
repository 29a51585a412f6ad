# ruff: noqa: S608  (SQL built from this package's own table and column names; values never come from users)
"""Splink (Fellegi-Sunter) for the records without a usable IIN: `probabilistic_links`.

Model: folded last, first and patronymic names (Jaro-Winkler levels, term-frequency adjusted for the exact
level of the first two), birth date (exact, one or two edits: a day off, a digit typed wrong), address
(exact letters and numbers). Parameters:
- m from labels: the records the exact step linked by IIN are true pairs that went through the same
  registry noise (spellings, typos, stale addresses), so a sample of them estimates how often a true
  pair agrees on each field; no EM guessing needed;
- u by random sampling of record-person pairs;
- the prior: each record is one of the spine's N persons, so two random records match with probability
  1/N.
Blocking (a pair is scored when any rule holds): birth date and region; birth date and first name;
birth date and last name; last name, first name and birth year; address and first name. A record whose
birth date and name were both mistyped and who moved region is missed; the rules are chosen so that
blocks stay small at national scale (a birth date has about 550 persons nationally, 30 in a region).
Decision per record: the best candidate links when its probability is at least `threshold` and the
next candidate's is below SECOND_BEST_MAX; candidates of a record that is not that clear but has one at or
above `review_floor` go to review; otherwise the record stays unlinked.
"""

from __future__ import annotations

import logging

import duckdb
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.internals.comparison_creator import ComparisonCreator

TRAIN_PAIRS = 200_000
U_PAIRS = 2e6
SEED = 42
SECOND_BEST_MAX = 0.5

FIELDS = """lk, fk, pk, birth_date AS bdate, CAST(birth_date AS VARCHAR) AS bd,
    CAST(year(birth_date) AS VARCHAR) AS by, an,
    region, CASE WHEN ak IS NULL AND an IS NULL THEN NULL ELSE coalesce(ak, '') || '|' || coalesce(an, '') END
    AS addr"""


def _name(col: str, *, tf: bool) -> ComparisonCreator:

    return cl.CustomComparison(
        output_column_name=col,
        comparison_levels=[
            cll.NullLevel(col),
            cll.ExactMatchLevel(col, term_frequency_adjustments=tf),
            cll.DamerauLevenshteinLevel(col, 1),  # one typo
            cll.JaroWinklerLevel(col, 0.9),
            cll.ElseLevel(),
        ],
    )


def _birth_date() -> ComparisonCreator:

    return cl.CustomComparison(
        output_column_name="bdate",
        comparison_levels=[
            cll.NullLevel("bdate"),
            cll.ExactMatchLevel("bdate"),
            cll.CustomLevel("abs(date_diff('day', bdate_l, bdate_r)) <= 1", "a day apart"),
            cll.CustomLevel(
                "month(bdate_l) = day(bdate_r) AND day(bdate_l) = month(bdate_r)"
                " AND year(bdate_l) = year(bdate_r)",
                "day and month swapped",
            ),
            cll.CustomLevel(
                "month(bdate_l) = month(bdate_r) AND day(bdate_l) = day(bdate_r)"
                " AND abs(year(bdate_l) - year(bdate_r)) = 1",
                "a year apart",
            ),
            cll.CustomLevel("damerau_levenshtein(bd_l, bd_r) <= 1", "one digit"),
            cll.ElseLevel(),
        ],
    )


def _address() -> ComparisonCreator:

    return cl.CustomComparison(
        output_column_name="addr",
        comparison_levels=[
            cll.NullLevel("addr"),
            cll.ExactMatchLevel("addr"),
            cll.CustomLevel("an_l = an_r", "same house and flat numbers"),
            cll.ElseLevel(),
        ],
    )


def _settings(probability_two_random_records_match: float) -> SettingsCreator:

    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="uid",
        probability_two_random_records_match=probability_two_random_records_match,
        comparisons=[
            _name("lk", tf=True),
            _name("fk", tf=True),
            _name("pk", tf=False),
            _birth_date(),
            _address(),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("bd", "region"),
            block_on("bd", "fk"),
            block_on("bd", "lk"),
            block_on("lk", "fk", "by"),
            block_on("addr", "fk"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def probabilistic_links(
    con: duckdb.DuckDBPyConnection, *, threshold: float, review_floor: float
) -> dict[str, int]:
    """Add the probabilistic links of table `unlinked` to `links`, and the uncertain pairs to `review`."""

    logging.getLogger("splink").setLevel(logging.ERROR)

    left = con.execute("SELECT count(*) FROM unlinked").fetchall()[0]
    spine_n = con.execute("SELECT count(*) FROM spine").fetchall()[0]
    if not left or not left[0] or not spine_n or not spine_n[0]:
        return {"candidates": 0, "pairs": 0}
    con.execute(f"CREATE OR REPLACE TEMP TABLE p_spine AS SELECT person_id AS uid, {FIELDS} FROM spine")
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE p_left AS
        SELECT row_number() OVER (ORDER BY source, record_id) AS uid, source, record_id, {FIELDS}
        FROM unlinked"""
    )
    # Labelled pairs for m: a reproducible sample of the exact IIN links.
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE p_train AS
        SELECT row_number() OVER (ORDER BY r.source, r.record_id) AS uid, l.person_id AS true_uid, {FIELDS}
        FROM records r JOIN links l USING (source, record_id)
        WHERE l.link_method = 'iin'
        ORDER BY hash(r.source || r.record_id)
        LIMIT {TRAIN_PAIRS}"""
    )
    con.execute(
        """CREATE OR REPLACE TEMP TABLE p_spine_train AS SELECT * FROM p_spine
        WHERE uid IN (SELECT true_uid FROM p_train)
        UNION ALL (SELECT * FROM p_spine USING SAMPLE 50000 ROWS (reservoir, 42))"""
    )
    con.execute("CREATE OR REPLACE TEMP TABLE p_spine_train AS SELECT DISTINCT * FROM p_spine_train")
    con.execute("CREATE OR REPLACE TEMP TABLE p_train_in AS SELECT * EXCLUDE (true_uid) FROM p_train")
    con.execute("CREATE OR REPLACE TEMP TABLE p_left_in AS SELECT * EXCLUDE (source, record_id) FROM p_left")
    prior = 1.0 / float(spine_n[0])

    api = DuckDBAPI(connection=con)
    train = Linker(
        [
            api.register("p_spine_train", dataset_display_name="a_spine"),
            api.register("p_train_in", dataset_display_name="b_records"),
        ],
        _settings(prior),
        log_level=None,
    )
    con.execute(
        """CREATE OR REPLACE TEMP TABLE p_labels AS
        SELECT 'a_spine' AS source_dataset_l, true_uid AS uid_l, 'b_records' AS source_dataset_r,
            uid AS uid_r FROM p_train"""
    )
    train.training.estimate_u_using_random_sampling(max_pairs=U_PAIRS, seed=SEED)
    train.training.estimate_m_from_pairwise_labels("p_labels")
    model = train.misc.save_model_to_json()
    model["probability_two_random_records_match"] = prior

    api = DuckDBAPI(connection=con)
    linker = Linker(
        [
            api.register("p_spine", dataset_display_name="a_spine"),
            api.register("p_left_in", dataset_display_name="b_records"),
        ],
        model,
        log_level=None,
    )
    predictions = linker.inference.predict(
        threshold_match_probability=min(0.01, review_floor), warning_mode="never"
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE p_pairs AS
        SELECT pl.source, pl.record_id,
            CASE WHEN p.source_dataset_l = 'a_spine' THEN p.uid_l ELSE p.uid_r END AS person_id,
            p.match_probability,
            row_number() OVER (PARTITION BY pl.uid ORDER BY p.match_probability DESC,
                CASE WHEN p.source_dataset_l = 'a_spine' THEN p.uid_l ELSE p.uid_r END) AS rank
        FROM {predictions.physical_name} p
        JOIN p_left pl ON pl.uid = CASE WHEN p.source_dataset_l = 'a_spine' THEN p.uid_r ELSE p.uid_l END"""
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE p_decided AS
        SELECT b.source, b.record_id, b.person_id, b.match_probability,
            b.match_probability >= {threshold} AND coalesce(s.match_probability, 0) < {SECOND_BEST_MAX}
                AS clear
        FROM (SELECT * FROM p_pairs WHERE rank = 1) b
        LEFT JOIN (SELECT * FROM p_pairs WHERE rank = 2) s USING (source, record_id)"""
    )
    con.execute(
        """INSERT INTO links SELECT source, record_id, person_id, 'probabilistic', match_probability
        FROM p_decided WHERE clear"""
    )
    con.execute(
        f"""INSERT INTO review
        SELECT p.source, p.record_id, p.person_id, p.match_probability, CAST(p.rank AS INTEGER)
        FROM p_pairs p JOIN p_decided d USING (source, record_id)
        WHERE NOT d.clear AND d.match_probability >= {review_floor}
            AND p.match_probability >= {review_floor}"""
    )
    pairs = con.execute("SELECT count(*) FROM p_pairs").fetchall()[0]
    predictions.drop_table_from_database_and_remove_from_cache()
    return {"candidates": int(left[0]), "pairs": int(pairs[0]) if pairs else 0}
