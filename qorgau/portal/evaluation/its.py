"""Interrupted time series: segmented regression with seasonality, by ordinary least squares.

    y_t = b0 + b1*t + b2*sin(2 pi t / P) + b3*cos(2 pi t / P) + b4*D_t + b5*(t - k)*D_t + e_t

with t the week index, P = 52.18 weeks, k the first week of the campaign and D_t = 1 from week k on: b4 is
the change of level when the campaign starts, b5 the change of trend after it. The counterfactual is the
fit with b4 = b5 = 0 (the pre-campaign level, trend and season carried on); its 95 % band is
+-1.96 standard errors of the fitted mean (x' Cov x), Cov = s^2 (X'X)^-1.

Limits (said on the page, docs/portal.md): the standard errors assume independent errors; weekly counts
are autocorrelated, so the band is too narrow when `lag1` (the residuals' lag-1 autocorrelation) is well
above 0. One annual harmonic is a rough season. It is an association: anything else that changed at the
same time (a law, a news story, another campaign) is in b4 too, which is why the page shows comparable
regions without activity beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

PERIOD = 52.18  # weeks in a year
Z95 = 1.96
NAMES = ("intercept", "trend", "season_sin", "season_cos", "step", "slope_change")


@dataclass(frozen=True)
class Fit:
    coefficients: dict[str, float]
    standard_errors: dict[str, float]
    fitted: list[float]
    counterfactual: list[float]
    low: list[float]  # 95 % band of the counterfactual
    high: list[float]
    residual_sd: float
    lag1: float  # lag-1 autocorrelation of the residuals (0 = independent)
    n: int

    def interval(self, name: str) -> tuple[float, float]:
        b, se = self.coefficients[name], self.standard_errors[name]
        return b - Z95 * se, b + Z95 * se


def _row(t: int, start: int) -> list[float]:
    after = 1.0 if t >= start else 0.0
    angle = 2 * math.pi * t / PERIOD
    return [1.0, float(t), math.sin(angle), math.cos(angle), after, (t - start) * after]


def _invert(matrix: list[list[float]]) -> list[list[float]]:
    """Gauss-Jordan with partial pivoting; ValueError when singular."""
    n = len(matrix)
    a = [row[:] + [1.0 if i == j else 0.0 for j in range(n)] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        if abs(a[pivot][col]) < 1e-12:
            raise ValueError("the design is singular: too few weeks before or after the campaign")
        a[col], a[pivot] = a[pivot], a[col]
        p = a[col][col]
        a[col] = [v / p for v in a[col]]
        for r in range(n):
            if r != col and a[r][col]:
                f = a[r][col]
                a[r] = [v - f * w for v, w in zip(a[r], a[col], strict=True)]
    return [row[n:] for row in a]


def fit_segmented(y: list[float], start: int) -> Fit:
    """Fit the model to the weekly series `y` with the campaign starting at week index `start`.

    Needs at least 8 weeks before and 4 from the start (ValueError otherwise)."""
    n = len(y)
    if start < 8 or n - start < 4:
        raise ValueError("at least 8 weeks before the campaign and 4 from its start are needed")
    x = [_row(t, start) for t in range(n)]
    k = len(NAMES)
    xtx = [[sum(x[t][i] * x[t][j] for t in range(n)) for j in range(k)] for i in range(k)]
    xty = [sum(x[t][i] * y[t] for t in range(n)) for i in range(k)]
    inv = _invert(xtx)
    beta = [sum(inv[i][j] * xty[j] for j in range(k)) for i in range(k)]
    fitted = [sum(b * v for b, v in zip(beta, row, strict=True)) for row in x]
    residuals = [obs - fit for obs, fit in zip(y, fitted, strict=True)]
    dof = max(n - k, 1)
    s2 = sum(r * r for r in residuals) / dof
    cov = [[s2 * v for v in row] for row in inv]
    ses = [math.sqrt(max(cov[i][i], 0.0)) for i in range(k)]
    counterfactual, low, high = [], [], []
    for row in x:
        row0 = [*row[:4], 0.0, 0.0]
        mean = sum(b * v for b, v in zip(beta, row0, strict=True))
        var = sum(row0[i] * cov[i][j] * row0[j] for i in range(k) for j in range(k))
        half = Z95 * math.sqrt(max(var, 0.0))
        counterfactual.append(mean)
        low.append(mean - half)
        high.append(mean + half)
    denom = sum(r * r for r in residuals)
    lag1 = sum(residuals[t] * residuals[t - 1] for t in range(1, n)) / denom if denom else 0.0
    return Fit(
        coefficients=dict(zip(NAMES, beta, strict=True)),
        standard_errors=dict(zip(NAMES, ses, strict=True)),
        fitted=fitted,
        counterfactual=counterfactual,
        low=low,
        high=high,
        residual_sd=math.sqrt(s2),
        lag1=lag1,
        n=n,
    )
