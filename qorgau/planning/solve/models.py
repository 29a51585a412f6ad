"""Location-allocation models, each solved with HiGHS to proven optimality or returned with its gap.

Sites are indexed 0..m-1; `fixed` are sites already open (existing facilities), the others candidates.
`p` always counts new sites. Formulations (docs/planning.md "Models"):

- max_cover: the maximal covering location problem with a reduced formulation: demand covered by a
  fixed site is counted and dropped, demand that no site reaches is dropped, demand points with the
  same set of covering sites are merged into one row, and sites that cover nothing left are dropped.
  Coverage variables are continuous (integral at any optimum once the site variables are).
- p_median: the sorted-distance ("radius") formulation (Cornuejols, Nemhauser and Wolsey 1980; Elloumi
  2010) chained so that each demand point adds one row per distinct distance level, truncated to its
  nearest levels and grown only where the optimum reaches the truncation: a truncated model is a
  relaxation, so its optimum is the full optimum as soon as no demand point is served beyond it.
  Levels past the nearest fixed site are never needed.
- capacitated_cover: maximal covering with capacities: demand (in beds) is assigned only within the
  radius, the load of a site stays within its beds plus the beds added there, and opening sites plus
  adding beds stays within a budget.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .highs import INF, Model, Run


class SolveError(ValueError):
    """Inputs that no model can answer (p larger than the candidates, negative capacity ...)."""


@dataclass
class Solution:
    model: str
    status: str
    optimal: bool
    objective: float | None
    bound: float | None
    gap: float | None
    opened: list[int]  # new sites chosen (indices into the sites)
    assignment: list[int]  # per demand point: the site serving it, or -1 (uncovered)
    served: list[float] = field(default_factory=list)  # per demand point: the share served (0..1)
    added_beds: dict[int, int] = field(default_factory=dict)
    loads: dict[int, float] = field(default_factory=dict)  # capacitated: demand assigned to each site
    seconds: float = 0.0
    iterations: int = 1
    size: dict[str, int] = field(default_factory=dict)


def _check(
    weights: np.ndarray, dist: np.ndarray, p: int, fixed: Sequence[int]
) -> tuple[np.ndarray, np.ndarray]:
    w = np.asarray(weights, dtype=float)
    d = np.asarray(dist, dtype=float)
    if d.ndim != 2 or d.shape[0] != len(w):
        raise SolveError("the distance matrix must have one row per demand point")
    if len(w) == 0:
        raise SolveError("there are no demand points")
    if d.shape[1] == 0:
        raise SolveError("there are no sites")
    if not np.isfinite(w).all() or (w < 0).any():
        raise SolveError("demand must be zero or more")
    if not np.isfinite(d).all() or (d < 0).any():
        raise SolveError("distances must be finite and zero or more")
    if p < 0:
        raise SolveError("the number of new facilities must be zero or more")
    if any(not 0 <= j < d.shape[1] for j in fixed):
        raise SolveError("a fixed facility is not one of the sites")
    candidates = d.shape[1] - len(set(fixed))
    if p > candidates:
        raise SolveError(f"p = {p} is larger than the {candidates} candidate sites")
    return w, d


def _nearest(d: np.ndarray, open_sites: list[int]) -> np.ndarray:
    if not open_sites:
        return np.full(d.shape[0], -1)
    cols = np.asarray(sorted(open_sites))
    return cols[np.argmin(d[:, cols], axis=1)]


def max_cover(
    weights: np.ndarray,
    dist: np.ndarray,
    *,
    radius: float,
    p: int,
    fixed: Sequence[int] = (),
    time_limit: float = 600,
) -> Solution:
    """Open p new sites to cover the most demand within `radius` (fixed sites open and counted)."""
    fixed = sorted(set(fixed))
    w, d = _check(weights, dist, p, fixed)
    cover = d <= radius
    by_fixed = cover[:, fixed].any(axis=1) if fixed else np.zeros(len(w), bool)
    cand = np.setdiff1d(np.arange(d.shape[1]), fixed)
    sub = cover[np.ix_(~by_fixed, cand)]
    rows_left = np.flatnonzero(~by_fixed)
    reachable = sub.any(axis=1) & (w[rows_left] > 0)
    sub, rows_left = sub[reachable], rows_left[reachable]
    useful = sub.any(axis=0)
    sub, cand = sub[:, useful], cand[useful]
    base = float(w[by_fixed].sum())
    opened: list[int] = []
    if len(rows_left) and p > 0:
        packed = np.packbits(sub, axis=1)
        _, group = np.unique(packed, axis=0, return_inverse=True)
        group = group.ravel()
        ngroups = int(group.max()) + 1
        gw = np.bincount(group, weights=w[rows_left], minlength=ngroups)
        first = np.zeros(ngroups, dtype=np.int64)
        first[group[::-1]] = np.arange(len(group))[::-1]
        gcover = sub[first]
        model = Model(maximize=True)
        y = model.add_cols(np.zeros(len(cand)), 0, 1, integer=True)
        z = model.add_cols(gw, 0, 1, integer=False)
        gi, sj = np.nonzero(gcover)
        model.add_rows(
            np.full(ngroups, -INF),
            np.zeros(ngroups),
            np.concatenate([np.arange(ngroups), gi]),
            np.concatenate([z, y[sj]]),
            np.concatenate([np.ones(ngroups), -np.ones(len(gi))]),
        )
        model.add_rows([-INF], [min(p, len(cand))], np.zeros(len(cand)), y, np.ones(len(cand)))
        run = model.solve(time_limit=time_limit)
        if run.x is not None:
            opened = [int(cand[k]) for k in np.flatnonzero(run.x[y] > 0.5)]
        return _cover_solution("max_cover", run, w, d, radius, fixed, opened, base)
    return _cover_solution("max_cover", None, w, d, radius, fixed, opened, base)


def _cover_solution(
    name: str,
    run: Run | None,
    w: np.ndarray,
    d: np.ndarray,
    radius: float,
    fixed: list[int],
    opened: list[int],
    base: float,
) -> Solution:
    nearest = _nearest(d, [*fixed, *opened])
    covered = (nearest >= 0) & (d[np.arange(len(w)), np.maximum(nearest, 0)] <= radius)
    value = float(w[covered].sum())
    if run is None:
        return Solution(
            name,
            "Optimal",
            True,
            value,
            value,
            0.0,
            opened,
            [int(n) if c else -1 for n, c in zip(nearest, covered, strict=True)],
            [1.0 if c else 0.0 for c in covered],
        )
    return Solution(
        name,
        run.status,
        run.optimal,
        value if run.objective is not None else None,
        None if run.bound is None else run.bound + base,
        run.gap,
        opened,
        [int(n) if c else -1 for n, c in zip(nearest, covered, strict=True)],
        [1.0 if c else 0.0 for c in covered],
        seconds=run.seconds,
        size={"rows": run.rows, "cols": run.cols, "nonzeros": run.nonzeros},
    )


def p_median(
    weights: np.ndarray,
    dist: np.ndarray,
    *,
    p: int,
    fixed: Sequence[int] = (),
    time_limit: float = 600,
    start_levels: int | None = None,
) -> Solution:
    """Open p new sites minimising the demand-weighted distance to the nearest open site."""
    fixed = sorted(set(fixed))
    w, d = _check(weights, dist, p, fixed)
    n, m = d.shape
    total_open = p + len(fixed)
    if total_open == 0:
        raise SolveError("p-median needs at least one open facility")
    keep = w > 0
    idx = np.flatnonzero(keep)
    if not len(idx):  # no demand: any p sites are optimal, at cost 0
        cand = [j for j in range(m) if j not in set(fixed)][:p]
        nearest = _nearest(d, [*fixed, *cand])
        return Solution(
            "p_median", "Optimal", True, 0.0, 0.0, 0.0, cand, [int(j) for j in nearest], [1.0] * n
        )
    order = np.argsort(d[idx], axis=1, kind="stable")
    sd = np.take_along_axis(d[idx], order, axis=1)
    # Levels: ranks where the distance changes. A level past the nearest fixed site never matters.
    fixed_mask = np.zeros(m, bool)
    fixed_mask[fixed] = True
    first_fixed = np.where(fixed_mask[order].any(axis=1), fixed_mask[order].argmax(axis=1), m - 1)
    # With total_open sites open, one of any m - total_open + 1 sites is open.
    last_rank = np.minimum(first_fixed, m - total_open)
    k0 = start_levels or min(m, max(8, 2 * math.ceil(m / total_open) + 4))
    ranks = np.minimum(last_rank, k0 - 1)
    deadline = time_limit
    iterations = 0
    while True:
        iterations += 1
        run, y, extend = _p_median_model(w[idx], sd, order, ranks, last_rank, total_open, fixed, m, deadline)
        deadline = max(1.0, deadline - run.seconds)
        if run.x is None or not extend.any() or not run.optimal:
            break
        ranks = np.where(extend, np.minimum(last_rank, 2 * ranks + 1), ranks)
    opened = [] if run.x is None else [int(j) for j in np.flatnonzero(run.x[y] > 0.5) if not fixed_mask[j]]
    nearest = _nearest(d, [*fixed, *opened])
    value = float((w * d[np.arange(n), nearest]).sum()) if run.x is not None else None
    optimal = run.optimal and not (run.x is not None and extend.any())
    return Solution(
        "p_median",
        run.status if optimal or not run.optimal else "Not proven (truncated)",
        optimal,
        value,
        run.bound,
        run.gap,
        opened,
        [int(j) for j in nearest],
        [1.0] * n,
        seconds=run.seconds,
        iterations=iterations,
        size={"rows": run.rows, "cols": run.cols, "nonzeros": run.nonzeros},
    )


def _p_median_model(
    w: np.ndarray,
    sd: np.ndarray,
    order: np.ndarray,
    ranks: np.ndarray,
    last_rank: np.ndarray,
    total_open: int,
    fixed: list[int],
    m: int,
    time_limit: float,
) -> tuple[Run, np.ndarray, np.ndarray]:
    """The chained radius model over each demand point's nearest sites up to rank `ranks[i]`."""
    model = Model()
    lower = np.zeros(m)
    lower[fixed] = 1
    y = model.add_cols(np.zeros(m), lower, 1, integer=True)
    zc: list[np.ndarray] = []  # per level: cost
    rr: list[np.ndarray] = []
    cc: list[np.ndarray] = []
    vv: list[np.ndarray] = []
    zrow_of: list[tuple[int, int]] = []  # (demand i, z column) of the last level, to check truncation
    constant = float((w * sd[:, 0]).sum())
    row = 0
    col = m
    rlo: list[float] = []
    for i in range(len(w)):
        k_end = int(ranks[i])
        # distinct distance levels among ranks 0..k_end; the level ends where the distance changes
        dist_i = sd[i, : k_end + 2] if k_end + 1 < m else sd[i, : k_end + 1]
        prev_z = -1
        k = 0
        while k <= k_end:
            k2 = k
            while k2 + 1 <= k_end and dist_i[k2 + 1] == dist_i[k]:
                k2 += 1
            nxt = dist_i[k2 + 1] if k2 + 1 < len(dist_i) else dist_i[k2]
            step = nxt - dist_i[k]
            sites = order[i, k : k2 + 1]
            # z_new + sum(y in level) - z_prev >= 0 (z_prev = 1 for the first level)
            zc.append(np.array([w[i] * step]))
            z = col
            col += 1
            rr.append(np.full(len(sites) + 1 + (prev_z >= 0), row))
            cc.append(np.concatenate([[z], y[sites], [prev_z] if prev_z >= 0 else []]).astype(np.int64))
            vv.append(np.concatenate([[1.0], np.ones(len(sites)), [-1.0] if prev_z >= 0 else []]))
            rlo.append(0.0 if prev_z >= 0 else 1.0)
            row += 1
            prev_z = z
            k = k2 + 1
        reached_end = k_end >= int(last_rank[i])
        zrow_of.append((i, -1 if reached_end else prev_z))
    z_cost = np.concatenate(zc)
    model.add_cols(z_cost, 0, INF, integer=False)
    model.add_rows(
        np.asarray(rlo),
        np.full(len(rlo), INF),
        np.concatenate(rr) - 0,
        np.concatenate(cc),
        np.concatenate(vv),
    )
    model.add_rows([total_open], [total_open], np.zeros(m), y, np.ones(m))
    run = model.solve(time_limit=time_limit)
    if run.objective is not None:
        run.objective += constant
    if run.bound is not None:
        run.bound += constant
    extend = np.zeros(len(w), bool)
    if run.x is not None:
        for i, zcol in zrow_of:
            if zcol >= 0 and run.x[zcol] > 1e-6:
                extend[i] = True
    return run, y, extend


def capacitated_cover(
    weights: np.ndarray,
    dist: np.ndarray,
    *,
    radius: float,
    capacity: np.ndarray,
    fixed: Sequence[int] = (),
    p: int | None = None,
    budget: float = 0.0,
    site_cost: float = 0.0,
    bed_cost: float = 0.0,
    max_new_beds: int = 50,
    time_limit: float = 600,
) -> Solution:
    """Cover the most demand (in beds) within `radius`, each site's load within its beds plus those added.

    Existing sites (`fixed`) are open with `capacity` beds; new sites open at `site_cost` with no beds;
    beds are added anywhere open at `bed_cost` each, at most `max_new_beds` a site; all within `budget`
    and at most `p` new sites.
    """
    fixed = sorted(set(fixed))
    cand_count = dist.shape[1] - len(fixed) if np.ndim(dist) == 2 else 0
    w, d = _check(weights, dist, p or 0, fixed)
    cap = np.asarray(capacity, dtype=float)
    if len(cap) != d.shape[1] or not np.isfinite(cap).all() or (cap < 0).any():
        raise SolveError("capacities must be given for every site and be zero or more")
    if budget < 0 or site_cost < 0 or bed_cost < 0 or max_new_beds < 0:
        raise SolveError("the budget and the costs must be zero or more")
    n, m = d.shape
    is_fixed = np.zeros(m, bool)
    is_fixed[fixed] = True
    di, dj = np.nonzero((d <= radius) & (w[:, None] > 0))
    model = Model(maximize=True)
    x = model.add_cols(w[di], 0, 1, integer=False)
    y_lower = is_fixed.astype(float)
    y = model.add_cols(np.zeros(m), y_lower, 1, integer=True)
    b = model.add_cols(np.zeros(m), 0, max_new_beds, integer=True)
    # each demand point at most once
    model.add_rows(np.full(n, -INF), np.ones(n), di, x, np.ones(len(di)))
    # load within beds + added beds, and nothing at a closed site
    model.add_rows(
        np.full(m, -INF),
        np.zeros(m),
        np.concatenate([dj, np.arange(m), np.arange(m)]),
        np.concatenate([x, b, y]),
        np.concatenate([w[di], -np.ones(m), -cap - (~is_fixed) * 0.0]),
    )
    # beds only where open
    model.add_rows(
        np.full(m, -INF),
        np.zeros(m),
        np.concatenate([np.arange(m)] * 2),
        np.concatenate([b, y]),
        np.concatenate([np.ones(m), -np.full(m, float(max_new_beds))]),
    )
    new = np.flatnonzero(~is_fixed)
    model.add_rows(
        [-INF],
        [budget],
        np.zeros(len(new) + m),
        np.concatenate([y[new], b]),
        np.concatenate([np.full(len(new), site_cost), np.full(m, bed_cost)]),
    )
    if p is not None:
        model.add_rows([-INF], [min(p, cand_count)], np.zeros(len(new)), y[new], np.ones(len(new)))
    # A closed site has no capacity: load <= cap*y + b. Written above as load - b - cap*y <= 0.
    run = model.solve(time_limit=time_limit)
    opened: list[int] = []
    added: dict[int, int] = {}
    loads: dict[int, float] = {}
    served = np.zeros(n)
    assignment = np.full(n, -1)
    if run.x is not None:
        xv = run.x[x]
        load = np.bincount(dj, weights=w[di] * xv, minlength=m)
        for j in range(m):
            if not is_fixed[j] and run.x[y[j]] > 0.5 and load[j] > 1e-6:
                opened.append(j)
            if load[j] > 1e-9:
                loads[j] = float(load[j])
            need = math.ceil(max(0.0, load[j] - cap[j]) - 1e-6)
            if need > 0:
                added[j] = need
        np.add.at(served, di, xv)
        best = np.full(n, -1.0)
        for k in np.flatnonzero(xv > 1e-6):
            if xv[k] > best[di[k]]:
                best[di[k]] = xv[k]
                assignment[di[k]] = dj[k]
    return Solution(
        "capacitated_cover",
        run.status,
        run.optimal,
        run.objective,
        run.bound,
        run.gap,
        opened,
        [int(a) for a in assignment],
        [float(min(1.0, s)) for s in served],
        added_beds=added,
        loads=loads,
        seconds=run.seconds,
        size={"rows": run.rows, "cols": run.cols, "nonzeros": run.nonzeros},
    )
