"""The registry extracts of the synthetic set: which persons appear in which registry, with what values.

Rates are assumptions of round public figures, scaled by each family's latent hardship (population.py), and
listed in docs/familymap.md. Every function returns the population index of each record's true person
and the source's own columns as pyarrow arrays; noise.py adds the spelling, IIN and address noise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from qorgau.familymap.engine.generate.population import (
    AS_OF_DAY,
    ROLE_CHILD,
    ROLE_SPOUSE,
    IntArray,
    Population,
)

BoolArray = npt.NDArray[np.bool_]
EPOCH = dt.date(1970, 1, 1)


@dataclass
class Records:
    person: IntArray  # index into the population arrays
    columns: dict[str, pa.Array] = field(default_factory=dict)


def _cat(codes: IntArray, categories: list[str]) -> pa.Array:
    return pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32()), pa.array(categories)).cast(pa.string())


def _dates(days: IntArray, mask: BoolArray | None = None) -> pa.Array:
    return pa.array(np.asarray(days, dtype="datetime64[D]"), pa.date32(), mask=mask)


def _family_of(pop: Population) -> tuple[IntArray, IntArray]:
    """Per family: the index of its first person (head) and the number of children under 18."""
    start = np.searchsorted(pop.family, np.arange(len(pop.family_size)))
    minors = np.bincount(pop.family[(pop.role == ROLE_CHILD) & (pop.age < 18)], minlength=len(start))
    return start, minors


def _mother(pop: Population, start: IntArray) -> IntArray:
    """The head when a woman, else the spouse when she is one (else the head)."""
    spouse = np.minimum(start + 1, len(pop.role) - 1)
    spouse_ok = (pop.role[spouse] == ROLE_SPOUSE) & (pop.family[spouse] == np.arange(len(start)))
    return np.where(pop.sex[start] == 1, start, np.where(spouse_ok & (pop.sex[spouse] == 1), spouse, start))


def benefits(rng: np.random.Generator, pop: Population) -> tuple[Records, BoolArray]:
    """TSA (about 4 % of families), disability (about 3.6 % of persons), large-family, childbirth and
    survivor benefits. Returns the records and the persons with a disability (health uses them)."""
    h = pop.family_hardship
    hp = h[pop.family]
    age = pop.age
    start, minors = _family_of(pop)
    mother = _mother(pop, start)
    parts: list[tuple[IntArray, int]] = []
    tsa = start[rng.random(len(start)) < np.clip(0.25 * h, 0, 0.9)]
    parts.append((tsa, 0))
    disabled = rng.random(len(age)) < 0.012 + 0.04 * (age >= 60) + 0.04 * hp
    parts.append((np.flatnonzero(disabled), 1))
    parts.append((mother[minors >= 4], 2))
    infant = np.zeros(len(start), dtype=bool)
    infant[pop.family[(pop.role == ROLE_CHILD) & (age < 1)]] = True
    parts.append((mother[infant], 3))
    parts.append((np.flatnonzero((age < 18) & (pop.role == ROLE_CHILD) & (rng.random(len(age)) < 0.006)), 4))
    person = np.concatenate([p for p, _ in parts])
    kind = np.concatenate([np.full(len(p), k) for p, k in parts])
    m = len(person)
    group = np.where(kind == 1, rng.choice([1, 2, 3], m, p=[0.1, 0.45, 0.45]), 0)
    size = pop.family_size[pop.family[person]]
    amount = np.select(
        [kind == 0, kind == 1, kind == 2, kind == 3],
        [12_000 * size, np.array([0, 110_000, 90_000, 60_000])[group], 45_000 + 0 * size, 150_000 + 0 * size],
        default=40_000,
    ) + rng.integers(0, 2000, m)
    start_day = AS_OF_DAY - rng.integers(1, 5 * 365, m)
    ended = rng.random(m) < 0.12
    end_day = np.minimum(start_day + rng.integers(30, 3 * 365, m), AS_OF_DAY - 1)
    recs = Records(person)
    recs.columns = {
        "benefit": _cat(kind, ["tsa", "disability", "large_family", "child_allowance", "survivor"]),
        "disability_group": pa.array(group, pa.int8(), mask=group == 0),
        "amount_kzt": pa.array(amount, pa.int64()),
        "start_date": _dates(start_day),
        "end_date": _dates(end_day, mask=~ended),
    }
    return recs, disabled


def employment(rng: np.random.Generator, pop: Population) -> Records:
    """Adults 18-62: employed (about 70 %, less with hardship), self-employed, registered unemployed."""
    hp = pop.family_hardship[pop.family]
    age = pop.age
    adult = (age >= 18) & (age <= 62)
    u = rng.random(len(age))
    p_emp = np.clip(0.72 - 0.9 * hp, 0.1, 1)
    p_self = p_emp + 0.08
    p_unemp = p_self + 0.02 + 0.2 * hp
    status = np.select([u < p_emp, u < p_self, u < p_unemp], [0, 1, 2], default=-1)
    person = np.flatnonzero(adult & (status >= 0))
    st = status[person]
    income = np.exp(rng.normal(np.log(320_000 * (1 - 0.7 * hp[person])), 0.45)).astype(np.int64)
    recs = Records(person)
    recs.columns = {
        "status": _cat(st, ["employed", "self_employed", "registered_unemployed"]),
        "income_kzt": pa.array(income, pa.int64(), mask=st == 2),
        "period": _dates(np.full(len(person), (dt.date(2025, 12, 1) - EPOCH).days)),
    }
    return recs


def health(rng: np.random.Generator, pop: Population, disabled: BoolArray) -> Records:
    """Registered persons only: addiction (men about 1.5 %), psychiatric (about 1 %), pregnancy,
    disability."""
    hp = pop.family_hardship[pop.family]
    age = pop.age
    adult = age >= 16
    n = len(age)
    addiction = adult & (rng.random(n) < (0.003 + 0.05 * hp) * np.where(pop.sex == 0, 2.5, 0.5))
    psychiatric = rng.random(n) < 0.006 + 0.02 * hp
    pregnant = (pop.sex == 1) & (age >= 18) & (age <= 44) & (rng.random(n) < 0.05)
    dis = disabled & (rng.random(n) < 0.9)
    person = np.flatnonzero(addiction | psychiatric | pregnant | dis)
    recs = Records(person)
    recs.columns = {
        "addiction": pa.array(addiction[person]),
        "psychiatric": pa.array(psychiatric[person]),
        "pregnant": pa.array(pregnant[person]),
        "disability": pa.array(dis[person]),
        "as_of": _dates(np.full(len(person), AS_OF_DAY - 1)),
    }
    return recs


def education(rng: np.random.Generator, pop: Population) -> Records:
    """Preschool (3-6, about 75 % enrolled), school (7-17: all listed, a few not enrolled), college."""
    hp = pop.family_hardship[pop.family]
    age = pop.age
    n = len(age)
    pre = (age >= 3) & (age <= 6) & (rng.random(n) < 0.75)
    school = (age >= 7) & (age <= 17)
    college = (age >= 18) & (age <= 20) & (rng.random(n) < 0.3)
    person = np.flatnonzero(pre | school | college)
    level = np.where(pre[person], 0, np.where(school[person], 1, 2))
    enrolled = np.where(level == 1, rng.random(len(person)) > 0.004 + 0.06 * hp[person], True)
    absences = np.where(enrolled, rng.poisson(1 + 25 * hp[person] ** 1.5), 0)
    grade = np.clip(age[person] - 6, 1, 11)
    recs = Records(person)
    recs.columns = {
        "level": _cat(level, ["preschool", "school", "college"]),
        "enrolled": pa.array(enrolled),
        "absences_days": pa.array(absences, pa.int16()),
        "grade": pa.array(grade, pa.int8(), mask=level != 1),
    }
    return recs


def housing(rng: np.random.Generator, pop: Population) -> Records:
    """One row per family, registered to its head: tenure, area, condition, the social housing queue."""
    h = pop.family_hardship
    f = len(h)
    start, _ = _family_of(pop)
    u = rng.random(f)
    p_none = 0.02 + 0.1 * h
    p_social = p_none + 0.03 + 0.05 * h
    p_rent = p_social + 0.15 + 0.1 * h
    tenure = np.select([u < p_none, u < p_social, u < p_rent], [3, 2, 1], default=0)
    size = pop.family_size
    area = np.clip(size * rng.normal(20 * (1 - 0.5 * h), 5), 8, None).round(1)
    rooms = np.clip(np.round(area / 18), 1, 8)
    v = rng.random(f)
    condition = np.where(v < 0.003 + 0.03 * h, 2, np.where(v < 0.04 + 0.25 * h, 1, 0))
    queue = rng.random(f) < 0.02 + 0.2 * h
    no_home = tenure == 3
    recs = Records(start)
    recs.columns = {
        "tenure": _cat(tenure, ["owned", "rented", "social", "none"]),
        "area_m2": pa.array(area, pa.float64(), mask=no_home),
        "rooms": pa.array(rooms, pa.int8(), mask=no_home),
        "residents": pa.array(size, pa.int16()),
        "condition": _cat(condition, ["good", "poor", "emergency"]),
        "queue": pa.array(queue),
    }
    return recs
