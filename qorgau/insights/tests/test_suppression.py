"""Small-cell suppression: primary cells hidden, complements hidden, and an attacker who knows every
published figure recovers no hidden one."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from ..suppression import THRESHOLD, Published, recoverable, suppress, with_margins


def peel(published: Published) -> dict[tuple[int, int], int]:
    """The obvious attack: any row or column with one hidden entry gives it away (total minus the rest,
    or the sum of the cells for a hidden total); repeat with what was learnt."""
    values, known = (
        published.values,
        {
            (r, c): v
            for r, row in enumerate(published.values)
            for c, v in enumerate(row)
            if (r, c) not in published.hidden
        },
    )
    rows, columns = len(values), len(values[0])
    lines = [[(r, c) for c in range(columns)] for r in range(rows)] + [
        [(r, c) for r in range(rows)] for c in range(columns)
    ]
    learnt: dict[tuple[int, int], int] = {}
    progress = True
    while progress:
        progress = False
        for line in lines:
            missing = [p for p in line if p not in known]
            if len(missing) != 1:
                continue
            (p,) = missing
            *cells, total = line
            if p == total:
                value = sum(known[q] for q in cells)
            else:
                value = known[total] - sum(known[q] for q in cells if q != p)
            known[p] = learnt[p] = value
            progress = True
    return learnt


def test_small_cells_and_their_complements_are_hidden() -> None:
    published = suppress([[5, 20, 30], [40, 50, 60], [70, 80, 90]])
    assert (0, 0) in published.hidden  # the 5
    # Row 0 and column 0 would give the 5 away: each has a complement hidden too.
    assert sum(1 for c in range(4) if (0, c) in published.hidden) >= 2
    assert sum(1 for r in range(4) if (r, 0) in published.hidden) >= 2
    assert peel(published) == {}
    assert recoverable(published.values, published.hidden) == set()


def test_zero_is_published_and_large_cells_are_left_alone() -> None:
    published = suppress([[0, 20], [30, 40]])
    assert published.hidden == frozenset()
    assert published.values == with_margins([[0, 20], [30, 40]])


def test_a_small_margin_is_hidden_with_its_complements() -> None:
    # Row 0 sums to 4 (every cell small): the whole row and enough of the rest go.
    published = suppress([[1, 3], [50, 60], [70, 80]])
    assert {(0, 0), (0, 1), (0, 2)} <= published.hidden
    assert peel(published) == {}
    assert recoverable(published.values, published.hidden) == set()


def test_recoverable_finds_what_a_single_suppression_leaks() -> None:
    values = with_margins([[5, 20], [30, 40]])
    assert recoverable(values, frozenset({(0, 0)})) == {(0, 0)}
    assert recoverable(values, frozenset({(0, 0), (0, 1), (1, 0), (1, 1)})) == set()


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 6).flatmap(
        lambda rows: st.integers(1, 5).flatmap(
            lambda columns: st.lists(
                st.lists(
                    st.sampled_from([0, 1, 2, 5, 9, 10, 11, 25, 60, 300]), min_size=columns, max_size=columns
                ),
                min_size=rows,
                max_size=rows,
            )
        )
    )
)
def test_no_hidden_value_can_be_recovered_from_the_published_table(cells: list[list[int]]) -> None:
    published = suppress(cells)
    for r, row in enumerate(published.values):
        for c, value in enumerate(row):
            if 0 < value < THRESHOLD:
                assert (r, c) in published.hidden
    assert peel(published) == {}
    assert recoverable(published.values, published.hidden) == set()
    # Exactly: every hidden entry can be moved by some change that keeps all published figures.
    _assert_each_hidden_entry_moves(published)


def _assert_each_hidden_entry_moves(published: Published) -> None:
    """For each hidden entry, find a rational vector on the hidden entries that changes it and keeps
    every row and column equation (the null space of the system), by elimination written here anew."""
    hidden = sorted(published.hidden)
    if not hidden:
        return
    values = published.values
    rows, columns = len(values), len(values[0])
    equations = []
    for r in range(rows):
        equations.append(
            {(r, c): (Fraction(-1) if c == columns - 1 else Fraction(1)) for c in range(columns)}
        )
    for c in range(columns):
        equations.append({(r, c): (Fraction(-1) if r == rows - 1 else Fraction(1)) for r in range(rows)})
    matrix = [[eq.get(p, Fraction(0)) for p in hidden] for eq in equations]
    # Reduced row echelon form.
    pivots: list[int] = []
    m = [row[:] for row in matrix]
    row_index = 0
    for col in range(len(hidden)):
        pivot = next((i for i in range(row_index, len(m)) if m[i][col] != 0), None)
        if pivot is None:
            continue
        m[row_index], m[pivot] = m[pivot], m[row_index]
        lead = m[row_index][col]
        m[row_index] = [v / lead for v in m[row_index]]
        for i in range(len(m)):
            if i != row_index and m[i][col] != 0:
                factor = m[i][col]
                m[i] = [a - factor * b for a, b in zip(m[i], m[row_index], strict=True)]
        pivots.append(col)
        row_index += 1
    free = [c for c in range(len(hidden)) if c not in pivots]
    movable = set()
    for f in free:  # one null-space vector per free column
        vector = [Fraction(0)] * len(hidden)
        vector[f] = Fraction(1)
        for i, p in enumerate(pivots):
            vector[p] = -m[i][f]
        movable |= {hidden[i] for i, v in enumerate(vector) if v != 0}
    assert movable == set(hidden)
