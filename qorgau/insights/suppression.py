"""Small-cell suppression of a published table of counts, with complementary suppression.

The table is published with its margins: a total per row, a total per column and the grand total. A
cell (or margin) between 1 and THRESHOLD - 1 is suppressed (primary). Every row and column is then one
linear equation (its cells sum to its total), so a line with a single hidden entry gives it away; and
combinations of lines can too. Complementary suppression hides further entries until no hidden entry is
determined by the published ones: each round hides, in every line with exactly one hidden entry, the
smallest other entry of that line, and then `recoverable()` solves the equations exactly (rational
Gaussian elimination) and, while some hidden entry is still determined, hides the smallest entry of a
line through it. Zero cells are published (a zero discloses nobody), but may be hidden as complements.

What this guarantees: no hidden value can be computed exactly from what is published (tests try every
one). What it does not: bounds. A hidden cell's possible range may be narrow when its complements are
small; the threshold is the protection of each cell's magnitude.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

THRESHOLD = 10  # cells below this are suppressed (docs/data-protection.md, rule 3)

Position = tuple[int, int]


@dataclass(frozen=True)
class Published:
    """The grid with margins: rows x columns of cells, a total column and a total row (the last row and
    the last column of `values`). `hidden` are the suppressed positions of that grid."""

    values: list[list[int]]
    hidden: frozenset[Position]

    def shown(self, row: int, column: int) -> int | None:
        return None if (row, column) in self.hidden else self.values[row][column]


def with_margins(cells: list[list[int]]) -> list[list[int]]:
    """The grid of `cells` with a total column and a total row appended."""
    rows = [[*row, sum(row)] for row in cells]
    columns = len(rows[0]) if rows else 1
    rows.append([sum(row[c] for row in rows) for c in range(columns)])
    return rows


def _lines(rows: int, columns: int) -> list[list[Position]]:
    """Every equation of the grid as the positions it holds (the last one is the line's total)."""
    lines = [[(r, c) for c in range(columns)] for r in range(rows)]
    lines += [[(r, c) for r in range(rows)] for c in range(columns)]
    return lines


def recoverable(values: list[list[int]], hidden: frozenset[Position]) -> set[Position]:
    """The hidden positions whose value the published entries determine exactly.

    Unknowns are the hidden entries; each line gives: sum of its cells - its total = 0, known entries moved
    to the right-hand side. A hidden entry is determined iff its unit vector lies in the row space of the
    system (values never enter: determination does not depend on them).
    """
    unknowns = sorted(hidden)
    if not unknowns:
        return set()
    index = {p: i for i, p in enumerate(unknowns)}
    rows, columns = len(values), len(values[0])
    matrix: list[list[Fraction]] = []
    for line in _lines(rows, columns):
        coefficients = [Fraction(0)] * len(unknowns)
        *cells, total = line
        for p in cells:
            if p in index:
                coefficients[index[p]] += 1
        if total in index:
            coefficients[index[total]] -= 1
        if any(coefficients):
            matrix.append(coefficients)
    basis = _row_reduce(matrix, len(unknowns))
    found = set()
    for p, i in index.items():
        target = [Fraction(0)] * len(unknowns)
        target[i] = Fraction(1)
        if _in_span(basis, target):
            found.add(p)
    return found


def _row_reduce(matrix: list[list[Fraction]], width: int) -> list[tuple[int, list[Fraction]]]:
    """Reduced row echelon form as (pivot column, row) pairs."""
    rows = [row[:] for row in matrix]
    basis: list[tuple[int, list[Fraction]]] = []
    for column in range(width):
        pivot = next((r for r in rows if r[column] != 0), None)
        if pivot is None:
            continue
        rows.remove(pivot)
        pivot = [v / pivot[column] for v in pivot]
        rows = [[a - r[column] * b for a, b in zip(r, pivot, strict=True)] for r in rows]
        basis = [(c, [a - r[column] * b for a, b in zip(r, pivot, strict=True)]) for c, r in basis]
        basis.append((column, pivot))
    return basis


def _in_span(basis: list[tuple[int, list[Fraction]]], target: list[Fraction]) -> bool:
    rest = target[:]
    for column, row in basis:
        if rest[column] != 0:
            factor = rest[column]
            rest = [a - factor * b for a, b in zip(rest, row, strict=True)]
    return not any(rest)


def suppress(cells: list[list[int]], threshold: int = THRESHOLD) -> Published:
    """The table of `cells` with margins, small entries and their complements hidden."""
    values = with_margins(cells)
    rows, columns = len(values), len(values[0])
    hidden = {(r, c) for r in range(rows) for c in range(columns) if 0 < values[r][c] < threshold}
    lines = _lines(rows, columns)

    def complement(line: list[Position]) -> Position | None:
        """The smallest published entry of a line (a cell before a total, then top-left first)."""
        candidates = [p for p in line if p not in hidden]
        return min(candidates, key=lambda p: (values[p[0]][p[1]], p == line[-1], p), default=None)

    while True:
        changed = False
        for line in lines:
            if sum(p in hidden for p in line) == 1 and (extra := complement(line)) is not None:
                hidden.add(extra)
                changed = True
        if changed:
            continue
        exposed = recoverable(values, frozenset(hidden))
        if not exposed:
            return Published(values, frozenset(hidden))
        target = min(exposed)
        line = min(
            (line for line in lines if target in line and complement(line) is not None),
            key=lambda line: values[complement(line)[0]][complement(line)[1]],  # type: ignore[index]
        )
        extra = complement(line)
        assert extra is not None
        hidden.add(extra)
