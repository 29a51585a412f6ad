"""The shipped rule set on hand-made families: each indicator kind, each override rule, the checks."""

from __future__ import annotations

import datetime as dt

import pytest

from qorgau.familymap.engine.classify import classify, families, hits
from qorgau.familymap.engine.rules import LEVELS, RuleSetError, default_document, parse

from .engine_data import DAY, spine, table

SAFETY = {
    "person_id": "int64",
    "party_role": "string",
    "date": "date",
    "children_present": "boolean",
    "order_in_force": "boolean",
}
HEALTH = {"person_id": "int64", "addiction": "boolean", "psychiatric": "boolean"}
EMPLOYMENT = {"person_id": "int64", "status": "string", "income_kzt": "int64", "period": "date"}
EMPTY = {
    "benefits": {
        "person_id": "int64",
        "benefit": "string",
        "disability_group": "int64",
        "end_date": "date",
    },
    "housing": {
        "person_id": "int64",
        "tenure": "string",
        "condition": "string",
        "area_m2": "float64",
        "residents": "int64",
    },
    "education": {
        "person_id": "int64",
        "level": "string",
        "enrolled": "boolean",
        "absences_days": "int64",
    },
}
RECENT = DAY - dt.timedelta(days=30)
OLD = DAY - dt.timedelta(days=400)


def run(safety=(), health=(), employment=None, **sources):
    """Levels (letters) and fired indicators per family of a four-family spine, all well paid by default."""
    persons = spine(
        [
            {"person_id": 1, "family_id": 10},
            {"person_id": 2, "family_id": 10, "role": "child", "birth_date": dt.date(2015, 5, 1)},
            {"person_id": 3, "family_id": 20},
            {"person_id": 4, "family_id": 30},
            {"person_id": 5, "family_id": 40},
        ]
    )
    if employment is None:
        employment = [
            {"person_id": p, "status": "employed", "income_kzt": 500_000, "period": RECENT}
            for p in (1, 3, 4, 5)
        ]
    tables = {
        "civil_persons": persons,
        "safety": table(list(safety), SAFETY),
        "health": table(list(health), HEALTH),
        "employment": table(employment, EMPLOYMENT),
        **{name: table(list(sources.get(name, [])), schema) for name, schema in EMPTY.items()},
    }
    spec = parse(default_document())
    result = classify(families(persons), hits(tables, spec, DAY), spec).order_by("family_id").to_pyarrow()
    return {
        fam: (LEVELS[level], spec.codes_of_mask(mask))
        for fam, level, mask in zip(
            result["family_id"].to_pylist(),
            result["level"].to_pylist(),
            result["mask"].to_pylist(),
            strict=True,
        )
    }


def test_no_deprivation_is_level_a():
    assert list(run().values()) == [("A", [])] * 4


def test_violence_with_children_in_the_last_12_months_lifts_to_d():
    levels = run(
        safety=[
            {"person_id": 1, "party_role": "victim", "date": RECENT, "children_present": True},
            {"person_id": 3, "party_role": "victim", "date": RECENT, "children_present": False},
            {"person_id": 4, "party_role": "victim", "date": OLD, "children_present": True},
        ]
    )
    assert levels[10] == ("D", ["safety.victim_12m", "safety.violence_children_12m"])
    assert levels[20] == ("B", ["safety.victim_12m"])  # a signal without children: its weight only
    assert levels[30] == ("A", [])  # over 12 months ago: neither the indicator nor the override


def test_protective_order_in_force_lifts_to_c():
    levels = run(safety=[{"person_id": 3, "party_role": "victim", "date": OLD, "order_in_force": True}])
    assert levels[20] == ("C", ["safety.order_in_force"])


def test_repeat_violence_with_addiction_is_e_and_each_alone_is_not():
    two = [{"person_id": p, "party_role": "offender", "date": RECENT} for p in (1, 1, 3, 3)]
    levels = run(
        safety=two, health=[{"person_id": 1, "addiction": True}, {"person_id": 4, "addiction": True}]
    )
    assert levels[10][0] == "E"
    assert "safety.repeat_12m" in levels[10][1] and "health.addiction" in levels[10][1]
    assert levels[20] == ("A", ["safety.repeat_12m"])  # repeat violence alone: weight 0, no override
    assert levels[30] == ("B", ["health.addiction"])


def test_addiction_counts_adults_only():
    assert run(health=[{"person_id": 2, "addiction": True}])[10] == ("A", [])


def test_income_per_member_and_the_score_levels():
    employment = [
        {"person_id": 1, "status": "employed", "income_kzt": 60_000, "period": RECENT},  # 30 000 a member
        {"person_id": 3, "status": "employed", "income_kzt": 500_000, "period": RECENT},
        {"person_id": 4, "status": "registered_unemployed", "period": RECENT},
        {"person_id": 5, "status": "employed", "income_kzt": 500_000, "period": OLD},  # stale: no income now
    ]
    levels = run(
        employment=employment,
        benefits=[{"person_id": 4, "benefit": "tsa"}],
        housing=[{"person_id": 4, "tenure": "none", "condition": "good", "residents": 1}],
        education=[{"person_id": 2, "level": "school", "enrolled": False, "absences_days": 40}],
    )
    assert levels[10] == ("B", ["econ.income", "education.out_of_school", "education.absences"])
    assert levels[20] == ("A", [])
    # tsa + no income + unemployed + no dwelling = 4/12 = k: level C
    assert levels[30] == ("C", ["econ.tsa", "econ.income", "social.unemployed", "housing.no_dwelling"])
    assert levels[40] == ("B", ["econ.income"])


def test_default_rule_set_adds_up():
    spec = parse(default_document())
    assert len(spec.indicators) == 14
    assert round(sum(i.weight for i in spec.indicators), 9) == 1
    assert {i.domain for i in spec.indicators} == {
        "economic",
        "social",
        "housing",
        "health",
        "education",
        "safety",
    }


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"k": 0}, "k must be above 0"),
        ({"thresholds": {"B": 0.5, "C": 0.2, "D": 0.6, "E": 0.9}}, "thresholds must rise"),
        ({"overrides": [{"code": "x", "when_all": ["nope"], "min_level": "D"}]}, "when_all must name"),
    ],
)
def test_a_document_that_does_not_add_up_is_refused(change, problem):
    with pytest.raises(RuleSetError) as error:
        parse(default_document() | change)
    assert any(problem in p for p in error.value.problems)


def test_weights_must_add_up_to_one():
    document = default_document()
    document["indicators"][0]["weight"] = "1/6"
    with pytest.raises(RuleSetError, match=r"weights add up to 1\.083333"):
        parse(document)


def test_an_indicator_out_of_force_does_not_fire():
    document = default_document()
    document["indicators"][10]["effective_to"] = "2026-01-01"  # safety.victim_12m ended
    document["indicators"][10]["weight"] = 0
    document["indicators"][11]["weight"] = "1/6"
    spec = parse(document)
    assert "safety.victim_12m" not in [i.code for i in spec.in_force(DAY)]
