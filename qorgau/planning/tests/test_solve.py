"""The solvers against brute force on small instances, fixed sites, capacity, bad inputs, the CSV reader."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from ..solve import (
    SolveError,
    TravelMatrixError,
    access_matrix,
    capacitated_cover,
    great_circle_km,
    max_cover,
    p_median,
    parse_travel_csv,
)


def instance(seed: int, n: int = 14, m: int = 7) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.integers(0, 10, n).astype(float), rng.integers(0, 60, (n, m)).astype(float)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("fixed", [[], [2]])
def test_p_median_matches_brute_force(seed: int, fixed: list[int]) -> None:
    w, d = instance(seed)
    p = 2
    candidates = [j for j in range(d.shape[1]) if j not in fixed]
    best = min((w * d[:, [*c, *fixed]].min(axis=1)).sum() for c in itertools.combinations(candidates, p))
    solution = p_median(w, d, p=p, fixed=fixed, start_levels=1)  # truncated, then grown to the proof
    assert solution.optimal and solution.status == "Optimal"
    assert solution.objective == pytest.approx(best)
    assert len(solution.opened) == p and not set(solution.opened) & set(fixed)
    assert all(solution.assignment[i] in [*solution.opened, *fixed] for i in range(len(w)))


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("fixed", [[], [0]])
def test_max_cover_matches_brute_force(seed: int, fixed: list[int]) -> None:
    w, d = instance(seed)
    radius, p = 20.0, 2
    candidates = [j for j in range(d.shape[1]) if j not in fixed]
    best = max(
        w[(d[:, [*c, *fixed]] <= radius).any(axis=1)].sum() for c in itertools.combinations(candidates, p)
    )
    solution = max_cover(w, d, radius=radius, p=p, fixed=fixed)
    assert solution.optimal
    assert solution.objective == pytest.approx(best)
    assert not set(solution.opened) & set(fixed) and len(solution.opened) <= p


def test_fixed_site_counts_even_when_useless() -> None:
    w = np.array([5.0, 1.0])
    d = np.array([[0.0, 100.0], [100.0, 0.0]])
    solution = p_median(w, d, p=0, fixed=[1])
    assert solution.opened == [] and solution.assignment == [1, 1]
    assert solution.objective == pytest.approx(500.0)


def test_no_demand_is_answered() -> None:
    solution = p_median(np.zeros(3), np.ones((3, 4)), p=2)
    assert solution.optimal and solution.objective == 0.0 and len(solution.opened) == 2


def test_capacity_is_respected() -> None:
    # three demand points of 4 beds each next to one existing site of 5 beds; no budget: 5 of 12 covered
    w = np.array([4.0, 4.0, 4.0])
    d = np.zeros((3, 2))
    cap = np.array([5.0, 0.0])
    none = capacitated_cover(
        w, d, radius=10, capacity=cap, fixed=[0], p=1, budget=0, site_cost=10, bed_cost=1
    )
    assert none.optimal and none.objective == pytest.approx(5.0) and none.opened == [] and not none.added_beds
    # at most 2 new beds a site, a budget of 14: 2 beds at the existing site (2), a new site (10) with 2
    # beds (2) cover 5 + 2 + 2 = 9
    some = capacitated_cover(
        w, d, radius=10, capacity=cap, fixed=[0], p=1, budget=14, site_cost=10, bed_cost=1, max_new_beds=2
    )
    assert some.optimal and some.objective == pytest.approx(9.0)
    assert some.opened == [1] and some.added_beds == {0: 2, 1: 2}
    assert some.loads == pytest.approx({0: 7.0, 1: 2.0})
    assert all(load <= cap[j] + some.added_beds.get(j, 0) + 1e-6 for j, load in some.loads.items())


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda w, d: p_median(w, d, p=8), "larger than the 7 candidate"),
        (lambda w, d: max_cover(w, d, radius=5, p=-1), "zero or more"),
        (lambda w, d: capacitated_cover(w, d, radius=5, capacity=-np.ones(7), p=1), "capacities"),
        (lambda w, d: max_cover(w[:0], d[:0], radius=5, p=1), "no demand points"),
        (lambda w, d: p_median(w, d, p=0), "at least one"),
    ],
)
def test_bad_inputs_are_refused(call: object, message: str) -> None:
    w, d = instance(0)
    with pytest.raises(SolveError, match=message):
        call(w, d)  # type: ignore[operator]


def test_distances() -> None:
    km = great_circle_km(np.array([51.18]), np.array([71.45]), np.array([43.25]), np.array([76.95]))
    assert km[0, 0] == pytest.approx(970, rel=0.02)  # Astana - Almaty
    assert access_matrix([(51.18, 71.45)], [(43.25, 76.95)], detour=1.3)[0, 0] == pytest.approx(
        km[0, 0] * 1.3
    )
    with pytest.raises(ValueError, match="coordinates"):
        access_matrix([(None, 71.0)], [(43.0, 76.0)])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="detour"):
        access_matrix([(51.0, 71.0)], [(43.0, 76.0)], detour=0.5)


def test_travel_csv() -> None:
    good = "origin,destination,minutes\na,x,10\na,y,20\nb,x,5\nb,y,7.5\n"
    assert parse_travel_csv(good, ["a", "b"], ["x", "y"]).tolist() == [[10, 20], [5, 7.5]]
    cases = {
        "from,to,m\n": "line 1: the header",
        "origin,destination,minutes\na,x\n": "line 2: expected 3 fields",
        "origin,destination,minutes\nq,x,1\n": "unknown origin",
        "origin,destination,minutes\na,q,1\n": "unknown destination",
        "origin,destination,minutes\na,x,soon\n": "not a number",
        "origin,destination,minutes\na,x,-1\n": "between 0",
        "origin,destination,minutes\na,x,nan\n": "between 0",
        "origin,destination,minutes\na,x,1\na,x,2\n": "given twice",
        "origin,destination,minutes\na,x,1\n": "3 pairs are missing",
    }
    for text, message in cases.items():
        with pytest.raises(TravelMatrixError, match=message):
            parse_travel_csv(text, ["a", "b"], ["x", "y"])


def test_same_objective_as_spopt() -> None:
    pulp = pytest.importorskip("pulp")
    locate = pytest.importorskip("spopt.locate")
    w, d = instance(3, n=30, m=10)
    w = w + 1
    ours = p_median(w, d, p=3)
    theirs = locate.PMedian.from_cost_matrix(d, w, p_facilities=3).solve(pulp.HiGHS(msg=False))
    assert ours.objective == pytest.approx(pulp.value(theirs.problem.objective))
    ours_cover = max_cover(w, d, radius=15, p=3)
    theirs_cover = locate.MCLP.from_cost_matrix(d, w, service_radius=15, p_facilities=3).solve(
        pulp.HiGHS(msg=False)
    )
    assert ours_cover.objective == pytest.approx(pulp.value(theirs_cover.problem.objective))
