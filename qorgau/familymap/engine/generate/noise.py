"""Registry noise, drawn per record with numpy: the columns every source shares, as the registry has them.

Rates per source (assumptions, docs/familymap.md): IIN missing 1-6 %, mistyped 1 % (one digit changed or two
neighbours swapped; most then fail the check digit, a few pass it and name another person or nobody);
spelling of the names (Kazakh Cyrillic as registered, Russified Cyrillic, 2021 Latin, passport Latin);
one typo in a name in 3 % of records; patronymic left out in 15 %; birth date wrong by a day, a swapped
day and month or a year in 1 %, missing in 0.5 %; a stale address (the family's previous one, most often in
the same region) in 10 %, none in 5 %.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from qorgau.familymap.engine.generate.population import IntArray, Population

# source -> (IIN missing, IIN mistyped, spelling shares: registry, Russified, 2021 Latin, passport)
NOISE = {
    "benefits": (0.01, 0.01, (0.55, 0.35, 0.05, 0.05)),
    "employment": (0.03, 0.01, (0.45, 0.35, 0.05, 0.15)),
    "health": (0.06, 0.01, (0.30, 0.60, 0.05, 0.05)),
    "education": (0.05, 0.01, (0.60, 0.25, 0.10, 0.05)),
    "housing": (0.04, 0.01, (0.50, 0.40, 0.05, 0.05)),
}
P_TYPO = 0.03
P_NO_PATRONYMIC = 0.15
P_BAD_BIRTH_DATE = 0.01
P_NO_BIRTH_DATE = 0.005
P_STALE_SAME_REGION = 0.07
P_STALE_OTHER_REGION = 0.03
P_NO_ADDRESS = 0.05


@dataclass
class Common:
    """The shared columns of one source's records, as integer codes (writer.py makes strings of them)."""

    iin: pa.Array
    surname_sp: IntArray  # surname code * 4 + spelling
    given_sp: IntArray
    patronymic_sp: IntArray  # -1: none
    typo_field: IntArray  # 0 none, 1 last name, 2 first name
    typo_kind: IntArray  # 1 delete, 2 swap neighbours, 3 substitute
    typo_u: np.ndarray
    birth_day: pa.Array
    region: IntArray  # index into the population's regions
    address_family: IntArray  # the family whose address the record carries (stale: another's); -1: none


def mistype(rng: np.random.Generator, iins: IntArray) -> IntArray:
    """Change one digit (positions 7-12, the serial and check digit, where clerks err most) or swap two
    neighbours."""
    n = len(iins)
    pos = rng.integers(0, 6, n)  # power of ten of the digit
    p10 = 10**pos
    digit = (iins // p10) % 10
    new = (digit + rng.integers(1, 10, n)) % 10
    changed = iins + (new - digit) * p10
    nxt = (iins // (p10 * 10)) % 10
    swapped = iins + (nxt - digit) * p10 + (digit - nxt) * p10 * 10
    out = np.where(rng.random(n) < 0.6, changed, swapped)
    return np.where(out == iins, changed, out)


def common(rng: np.random.Generator, pop: Population, source: str, person: IntArray) -> Common:
    p_missing, p_mistyped, shares = NOISE[source]
    n = len(person)
    fam = pop.family[person]
    iin = pop.iin[person].copy()
    u = rng.random(n)
    bad = (u >= p_missing) & (u < p_missing + p_mistyped)
    iin[bad] = mistype(rng, iin[bad])
    spelling = rng.choice(4, n, p=shares)
    typo_field = np.where(rng.random(n) < P_TYPO, rng.integers(1, 3, n), 0)
    patronymic = pop.patronymic[person]
    patronymic = np.where((patronymic < 0) | (rng.random(n) < P_NO_PATRONYMIC), -1, patronymic * 4 + spelling)

    day = pop.birth_day[person].copy()
    wrong = rng.random(n) < P_BAD_BIRTH_DATE
    kind = rng.integers(0, 3, n)
    d = day.astype("datetime64[D]")
    month_start = d.astype("datetime64[M]")
    dom = (d - month_start).astype(np.int64) + 1
    month = month_start.astype(np.int64) % 12 + 1
    year = month_start.astype("datetime64[Y]").astype(np.int64) + 1970
    swap_ok = (dom <= 12) & (dom != month)
    swapped = (
        (np.array(year - 1970, dtype="datetime64[Y]").astype("datetime64[M]") + (dom - 1)).astype(
            "datetime64[D]"
        )
        + (month - 1)
    ).astype(np.int64)
    shifted = np.select(
        [kind == 0, (kind == 1) & swap_ok], [day + rng.choice([-1, 1], n), swapped], day + 365
    )
    day = np.where(wrong, shifted, day)
    no_day = rng.random(n) < P_NO_BIRTH_DATE

    region = pop.family_region[fam].copy()
    v = rng.random(n)
    stale_same = v < P_STALE_SAME_REGION
    stale_other = (v >= P_STALE_SAME_REGION) & (v < P_STALE_SAME_REGION + P_STALE_OTHER_REGION)
    # A stale address is another family's address: same region (families sorted by region) or anywhere.
    order = np.argsort(pop.family_region, kind="stable")
    bounds = np.searchsorted(pop.family_region[order], np.arange(len(pop.regions) + 1))
    lo, hi = bounds[region], bounds[region + 1]
    other_same = order[lo + (rng.random(n) * (hi - lo)).astype(np.int64)]
    other_any = rng.integers(0, len(pop.family_region), n)
    other = np.where(stale_same, other_same, other_any)
    stale = stale_same | stale_other
    address_family = np.where(stale, other, fam)
    region = np.where(stale, pop.family_region[other], region)
    address_family = np.where(rng.random(n) < P_NO_ADDRESS, -1, address_family)

    return Common(
        iin=pa.array(iin, pa.int64(), mask=u < p_missing),
        surname_sp=pop.surname[person] * 4 + spelling,
        given_sp=pop.given[person] * 4 + spelling,
        patronymic_sp=patronymic,
        typo_field=typo_field,
        typo_kind=rng.integers(1, 4, n),
        typo_u=rng.random(n),
        birth_day=pa.array(day.astype("datetime64[D]"), pa.date32(), mask=no_day),
        region=region,
        address_family=address_family,
    )
