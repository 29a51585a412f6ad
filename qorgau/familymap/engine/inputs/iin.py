"""IIN check digits on 64-bit integers, vectorised with numpy (DOMAIN.md section 3).

An IIN is 12 digits: YYMMDD, a century-and-sex digit, a 4-digit serial and a check digit. The check digit
is `sum(d[i] * i for i in 1..11) mod 11`; when that is 10 the weights `3,4,5,6,7,8,9,10,11,1,2` are tried;
when that is 10 again no valid IIN has that prefix. The engine keeps IINs as int64 (zero-padded to show).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

WEIGHTS_1 = np.arange(1, 12, dtype=np.int64)
WEIGHTS_2 = np.array([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2], dtype=np.int64)
_POW = 10 ** np.arange(11, -1, -1, dtype=np.int64)  # digit i of a 12-digit number, most significant first

Int64Array = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def _digit(values: Int64Array, i: int) -> Int64Array:
    """Digit i (1-based, most significant first) of each 12-digit number."""
    return (values // _POW[i - 1]) % 10


def check_digit(prefixes: Int64Array) -> Int64Array:
    """The check digit of each 11-digit prefix (the IIN without its last digit); -1 where none exists.
    Digit by digit, so that memory stays at a few arrays of the input's length."""
    prefixes = np.asarray(prefixes, dtype=np.int64)
    first = np.zeros(len(prefixes), dtype=np.int64)
    second = np.zeros(len(prefixes), dtype=np.int64)
    for i in range(1, 12):
        d = (prefixes // _POW[i]) % 10  # digit i of the prefix (the IIN shifted right by one)
        first += d * WEIGHTS_1[i - 1]
        second += d * WEIGHTS_2[i - 1]
    first %= 11
    second %= 11
    out = np.where(first == 10, second, first)
    return np.where(out == 10, -1, out)


def is_valid(iins: Int64Array) -> BoolArray:
    """True where the value is a 12-digit IIN (leading zeros allowed) with a correct check digit and a
    plausible birth date part (month 01-12, day 01-31, century digit 1-6)."""
    iins = np.asarray(iins, dtype=np.int64)
    in_range = (iins >= 0) & (iins <= 999_999_999_999)
    safe = np.where(in_range, iins, 0)
    month = _digit(safe, 3) * 10 + _digit(safe, 4)
    day = _digit(safe, 5) * 10 + _digit(safe, 6)
    century = _digit(safe, 7)
    plausible = (month >= 1) & (month <= 12) & (day >= 1) & (day <= 31) & (century >= 1) & (century <= 6)
    return in_range & plausible & (check_digit(safe // 10) == safe % 10)


def is_valid_one(iin: int | None) -> bool:
    if iin is None:
        return False
    return bool(is_valid(np.array([iin], dtype=np.int64))[0])


def valid_sql(column: str) -> str:
    """A DuckDB boolean expression: `column` (BIGINT) is a valid IIN (same rule as `is_valid`)."""

    def d(i: int) -> str:  # digit i (1-based, most significant first) of a 12-digit number
        return f"(({column} // {10 ** (12 - i)}) % 10)"

    s1 = " + ".join(f"{d(i)} * {w}" for i, w in zip(range(1, 12), WEIGHTS_1.tolist(), strict=True))
    s2 = " + ".join(f"{d(i)} * {w}" for i, w in zip(range(1, 12), WEIGHTS_2.tolist(), strict=True))
    month = f"({d(3)} * 10 + {d(4)})"
    day = f"({d(5)} * 10 + {d(6)})"
    check = f"CASE WHEN ({s1}) % 11 < 10 THEN ({s1}) % 11 WHEN ({s2}) % 11 < 10 THEN ({s2}) % 11 ELSE -1 END"
    return (
        f"({column} IS NOT NULL AND {column} BETWEEN 0 AND 999999999999"
        f" AND {month} BETWEEN 1 AND 12 AND {day} BETWEEN 1 AND 31 AND {d(7)} BETWEEN 1 AND 6"
        f" AND ({check}) = {d(12)})"
    )
