"""A thin model builder over highspy: columns and sparse rows in numpy arrays, one `HighsLp`, one run.

The status is HiGHS's own (`HighsModelStatus`): only kOptimal is reported as optimal; a time limit
returns the incumbent with the gap and the bound, never "optimal".
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np
from numpy.typing import ArrayLike

INF = highspy.kHighsInf


@dataclass
class Run:
    status: str
    optimal: bool
    objective: float | None
    bound: float | None
    gap: float | None
    x: np.ndarray | None
    seconds: float
    rows: int
    cols: int
    nonzeros: int


class Model:
    def __init__(self, *, maximize: bool = False) -> None:
        self.maximize = maximize
        self._cols: list[tuple[np.ndarray, np.ndarray, np.ndarray, bool]] = []
        self._rows: list[tuple[np.ndarray, np.ndarray]] = []
        self._entries: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.ncols = 0
        self.nrows = 0

    def add_cols(self, cost: ArrayLike, lower: ArrayLike, upper: ArrayLike, *, integer: bool) -> np.ndarray:
        """Columns; returns their indices."""
        cost = np.asarray(cost, dtype=float)
        n = len(cost)
        lo = np.broadcast_to(np.asarray(lower, dtype=float), (n,)).copy()
        up = np.broadcast_to(np.asarray(upper, dtype=float), (n,)).copy()
        self._cols.append((cost, lo, up, integer))
        first = self.ncols
        self.ncols += n
        return np.arange(first, first + n)

    def add_rows(
        self, lower: ArrayLike, upper: ArrayLike, rows: ArrayLike, cols: ArrayLike, values: ArrayLike
    ) -> np.ndarray:
        """Rows with bounds, and their entries as triplets (row numbers relative to this block)."""
        lo = np.asarray(lower, dtype=float)
        n = len(lo)
        up = np.broadcast_to(np.asarray(upper, dtype=float), (n,)).copy()
        self._rows.append((lo, up))
        first = self.nrows
        self._entries.append(
            (
                np.asarray(rows, dtype=np.int64) + first,
                np.asarray(cols, dtype=np.int64),
                np.asarray(values, float),
            )
        )
        self.nrows += n
        return np.arange(first, first + n)

    def solve(self, *, time_limit: float = 600.0, threads: int | None = None) -> Run:
        started = time.perf_counter()
        lp = highspy.HighsLp()
        lp.num_col_ = self.ncols
        lp.num_row_ = self.nrows
        lp.col_cost_ = np.concatenate([c[0] for c in self._cols]) if self._cols else np.zeros(0)
        lp.col_lower_ = np.concatenate([c[1] for c in self._cols]) if self._cols else np.zeros(0)
        lp.col_upper_ = np.concatenate([c[2] for c in self._cols]) if self._cols else np.zeros(0)
        lp.row_lower_ = np.concatenate([r[0] for r in self._rows]) if self._rows else np.zeros(0)
        lp.row_upper_ = np.concatenate([r[1] for r in self._rows]) if self._rows else np.zeros(0)
        r = np.concatenate([e[0] for e in self._entries]) if self._entries else np.zeros(0, np.int64)
        c = np.concatenate([e[1] for e in self._entries]) if self._entries else np.zeros(0, np.int64)
        v = np.concatenate([e[2] for e in self._entries]) if self._entries else np.zeros(0)
        order = np.lexsort((r, c))
        r, c, v = r[order], c[order], v[order]
        start = np.searchsorted(c, np.arange(self.ncols + 1))
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = start.astype(np.int32)
        lp.a_matrix_.index_ = r.astype(np.int32)
        lp.a_matrix_.value_ = v
        integrality = (
            np.concatenate([np.full(len(col[0]), 1 if col[3] else 0) for col in self._cols])
            if self._cols
            else np.zeros(0)
        )
        if integrality.any():
            lp.integrality_ = [
                highspy.HighsVarType.kInteger if k else highspy.HighsVarType.kContinuous for k in integrality
            ]
        lp.sense_ = highspy.ObjSense.kMaximize if self.maximize else highspy.ObjSense.kMinimize
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("time_limit", float(time_limit))
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 1e-7)
        if threads:
            h.setOptionValue("threads", int(threads))
        h.passModel(lp)
        h.run()
        status = h.getModelStatus()
        info = h.getInfo()
        has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
        x = np.asarray(h.getSolution().col_value) if has_solution else None
        mip = bool(integrality.any())
        objective = float(info.objective_function_value) if has_solution else None
        bound = float(info.mip_dual_bound) if mip else objective
        gap = float(info.mip_gap) if mip and has_solution else (0.0 if has_solution else None)
        optimal = status == highspy.HighsModelStatus.kOptimal
        if optimal:
            gap = 0.0 if gap is None or gap < 1e-9 else gap
        return Run(
            status=h.modelStatusToString(status),
            optimal=optimal,
            objective=objective,
            bound=bound,
            gap=gap,
            x=x,
            seconds=time.perf_counter() - started,
            rows=self.nrows,
            cols=self.ncols,
            nonzeros=len(v),
        )
