"""Families and persons of the synthetic national set, as numpy arrays (no Python loop per person).

Assumptions (DOMAIN.md section 5 gives the totals; the rest are round figures of public statistics,
documented in docs/familymap.md): 6.3 million families and about 20 million persons at scale 1; family
sizes 1-7 with a mean of 3.16; regions by their population in core/reference/regions.csv; 75 % of families
with Kazakh names, the rest Russian; a latent `hardship` per family (Beta(1.2, 6), mean 0.17) that drives
every registry's rates, so that deprivations cluster in the same families as they do in life.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from qorgau.core.reference import read_regions
from qorgau.familymap.engine.generate import names as n
from qorgau.familymap.engine.inputs.iin import check_digit

AS_OF = dt.date(2026, 1, 1)
AS_OF_DAY = (AS_OF - dt.date(1970, 1, 1)).days
NATIONAL_FAMILIES = 6_300_000
FAMILY_SIZES = np.array([1, 2, 3, 4, 5, 6, 7])
FAMILY_SIZE_P = np.array([0.22, 0.19, 0.18, 0.18, 0.12, 0.07, 0.04])
KAZAKH_SHARE = 0.75
# Demo districts per region (qorgau/demo/geography.py: the three cities have all their city districts,
# each oblast its centre and three rural districts); codes `KZ-71-01` as district_code() makes them.
DISTRICTS_PER_REGION = {"KZ-71": 5, "KZ-75": 8, "KZ-79": 5}
DEFAULT_DISTRICTS = 4

ROLE_HEAD, ROLE_SPOUSE, ROLE_CHILD, ROLE_PARENT, ROLE_OTHER = range(5)
ROLES = ["head", "spouse", "child", "parent", "other"]
STREETS = [
    "Абай", "Достық", "Төле би", "Қабанбай батыр", "Республика", "Сәтбаев", "Гагарин", "Жібек жолы",
    "Бөгенбай батыр", "Әуезов", "Сейфуллин", "Желтоқсан", "Наурызбай батыр", "Тәуелсіздік", "Мәңгілік Ел",
    "Пушкин", "Абылай хан", "Байтұрсынұлы", "Құнаев", "Жамбыл", "Шевченко", "Толстой", "Майлин",
    "Мұқанов", "Момышұлы", "Ломоносов", "Чехов", "Назарбаев", "Бейбітшілік", "Жастар", "Ынтымақ",
    "Орынбор", "Сарыарқа", "Алтынсарин", "Есенберлин", "Шоқан Уәлиханов", "Қорқыт ата", "Иманов",
    "Торайғыров", "Қазыбек би",
]  # fmt: skip

# Integer arrays of any width: persons' columns are int8/int32 to keep the national set near 100 bytes a
# person in memory; IINs and ids are int64.
IntArray = npt.NDArray[Any]


@dataclass
class NameTables:
    """Every name the set uses, each in the four spellings: code * 4 + spelling indexes `spelled`."""

    given: list[str]  # KZ male, KZ female, RU male, RU female
    surnames: list[str]  # masculine and feminine forms
    patronymics: list[str]
    # pools: (start, stop) of each group in `given` / pairs of surname codes (masculine, feminine)
    given_pools: dict[tuple[bool, int], tuple[int, int]]
    kz_surnames: IntArray  # (k, 2) masculine, feminine codes
    ru_surnames: IntArray
    male_given_codes: IntArray  # given-name codes of men, to index patronymics


def name_tables() -> NameTables:
    given: list[str] = []
    pools = {}
    for kazakh, sex, pool in (
        (True, 0, n.KAZAKH_MALE),
        (True, 1, n.KAZAKH_FEMALE),
        (False, 0, n.RUSSIAN_MALE),
        (False, 1, n.RUSSIAN_FEMALE),
    ):
        pools[(kazakh, sex)] = (len(given), len(given) + len(pool))
        given.extend(pool)
    surnames: list[str] = []
    pairs: dict[bool, list[tuple[int, int]]] = {True: [], False: []}
    for kazakh, pool in ((True, n.kazakh_surnames()), (False, n.RUSSIAN_SURNAMES)):
        for s in pool:
            surnames.append(s)
            f = n.feminine(s)
            if f != s:
                surnames.append(f)
            pairs[kazakh].append((len(surnames) - (2 if f != s else 1), len(surnames) - 1))
    male = [*range(*pools[(True, 0)]), *range(*pools[(False, 0)])]
    patronymics: list[str] = []
    for code in male:  # per father: kazakh male, kazakh female, russian male, russian female
        father = given[code]
        patronymics += [
            n.kazakh_patronymic(father, female=False),
            n.kazakh_patronymic(father, female=True),
            n.russian_patronymic(father, female=False),
            n.russian_patronymic(father, female=True),
        ]
    return NameTables(
        given=given,
        surnames=surnames,
        patronymics=patronymics,
        given_pools=pools,
        kz_surnames=np.array(pairs[True], dtype=np.int64),
        ru_surnames=np.array(pairs[False], dtype=np.int64),
        male_given_codes=np.array(male, dtype=np.int64),
    )


@dataclass
class Population:
    """One entry per person (arrays of equal length) plus per-family arrays."""

    person_id: IntArray
    family: IntArray  # 0-based family index
    role: IntArray
    sex: IntArray  # 0 male, 1 female
    birth_day: IntArray  # days since 1970-01-01
    given: IntArray
    surname: IntArray
    patronymic: IntArray  # -1: none
    iin: IntArray
    # per family
    family_kazakh: npt.NDArray[np.bool_]
    family_region: IntArray  # index into `regions`
    family_district: IntArray  # 1-based district number within the region
    family_address: IntArray  # (street * 1000 + house) * 1000 + flat, flat 0 = a house
    family_hardship: npt.NDArray[np.float64]
    family_size: IntArray
    regions: list[str]
    region_centres: list[str]
    names: NameTables

    _age: IntArray | None = field(default=None, repr=False)

    @property
    def age(self) -> IntArray:
        """Age in whole years on AS_OF (int16, computed once)."""
        if self._age is None:
            self._age = ((AS_OF_DAY - self.birth_day) / 365.25).astype(np.int16)
        return self._age


def _zipf_choice(rng: np.random.Generator, start: int, stop: int, size: int) -> IntArray:
    """Codes in [start, stop) with Zipf-like weights (a few names are very common, as in life)."""
    k = stop - start
    w = 1.0 / (np.arange(k) + 4.0)
    return start + rng.choice(k, size=size, p=w / w.sum())


def _pick_given(
    rng: np.random.Generator, t: NameTables, kazakh: npt.NDArray[np.bool_], sex: IntArray
) -> IntArray:
    out = np.empty(len(sex), dtype=np.int64)
    for kz in (True, False):
        for s in (0, 1):
            mask = (kazakh == kz) & (sex == s)
            out[mask] = _zipf_choice(rng, *t.given_pools[(kz, s)], int(mask.sum()))
    return out


def _distinct_in_family(
    t: NameTables, fam: IntArray, kazakh: npt.NDArray[np.bool_], sex: IntArray, given: IntArray
) -> IntArray:
    """Move a repeated given name within a family to another name of its pool (parents rarely give two
    children one name); a few vectorised passes until no family repeats one."""
    starts = np.array([t.given_pools[(bool(k), int(s))][0] for k in (True, False) for s in (0, 1)])
    sizes = np.array(
        [np.subtract(*t.given_pools[(bool(k), int(s))][::-1]) for k in (True, False) for s in (0, 1)]
    )
    pool = np.where(kazakh, 0, 2) + sex
    for step in range(1, 8):
        order = np.lexsort((given, fam))
        same = np.zeros(len(given), dtype=bool)
        same[order[1:]] = (fam[order][1:] == fam[order][:-1]) & (given[order][1:] == given[order][:-1])
        if not same.any():
            break
        lo, k = starts[pool[same]], sizes[pool[same]]
        given = given.copy()
        given[same] = lo + (given[same] - lo + 7 * step) % k
    return given


def make_population(rng: np.random.Generator, scale: float) -> Population:
    t = name_tables()
    regions = read_regions()
    codes = [r["code"] for r in regions]
    centres = [r["centre"] or r["name_en"] for r in regions]
    weights = np.array([r["population"] for r in regions], dtype=np.float64)

    f = max(1, round(NATIONAL_FAMILIES * scale))
    size = rng.choice(FAMILY_SIZES, size=f, p=FAMILY_SIZE_P)
    kazakh = rng.random(f) < KAZAKH_SHARE
    region = rng.choice(len(codes), size=f, p=weights / weights.sum())
    n_districts = np.array([DISTRICTS_PER_REGION.get(c, DEFAULT_DISTRICTS) for c in codes])
    district = 1 + (rng.random(f) * n_districts[region]).astype(np.int64)
    flat = np.where(rng.random(f) < 0.55, rng.integers(1, 300, f), 0)
    address = (rng.integers(0, len(STREETS), f) * 1000 + rng.integers(1, 200, f)) * 1000 + flat
    hardship = rng.beta(1.2, 6.0, f)

    # Persons: member m of family i, m = 0 the head.
    fam = np.repeat(np.arange(f, dtype=np.int32), size)
    p = len(fam)
    start = np.repeat((np.cumsum(size) - size).astype(np.int32), size)
    member = np.arange(p, dtype=np.int32) - start
    fsize = size.astype(np.int8)[fam]
    has_spouse = (rng.random(f) < 0.78) & (size >= 2)
    has_parent = (rng.random(f) < 0.15) & (size >= 4)
    role = np.full(p, ROLE_CHILD, dtype=np.int8)
    role[member == 0] = ROLE_HEAD
    role[(member == 1) & has_spouse[fam]] = ROLE_SPOUSE
    role[(member == fsize - 1) & has_parent[fam] & (member >= 2)] = ROLE_PARENT
    role[(role == ROLE_CHILD) & (rng.random(p) < 0.02)] = ROLE_OTHER
    del member, fsize

    head_male = rng.random(f) < np.where(size >= 2, 0.8, 0.45)
    head_age = np.clip(rng.normal(46, 14, f), 19, 92)
    head_age = np.where(size >= 3, np.clip(head_age, 21, 70), head_age)
    sex = rng.integers(0, 2, p, dtype=np.int8)
    sex[role == ROLE_HEAD] = np.where(head_male, 0, 1)
    sex[role == ROLE_SPOUSE] = np.where(head_male[fam[role == ROLE_SPOUSE]], 1, 0)
    h_age = head_age.astype(np.float32)[fam]
    age = np.empty(p, dtype=np.float32)
    age[role == ROLE_HEAD] = head_age
    sp = role == ROLE_SPOUSE
    age[sp] = np.clip(h_age[sp] + rng.normal(np.where(sex[sp] == 1, -3, 3), 3), 18, 95)
    ch = (role == ROLE_CHILD) | (role == ROLE_OTHER)
    age[ch] = rng.random(int(ch.sum())) * np.clip(h_age[ch] - 19, 1, 28)
    pa = role == ROLE_PARENT
    age[pa] = np.clip(h_age[pa] + rng.uniform(21, 32, int(pa.sum())), 45, 100)
    # Whole years from the clipped ages, plus a uniform day within the year (no mass on one birth date).
    birth_day = (AS_OF_DAY - (np.floor(age) + rng.random(p)) * 365.25).astype(np.int32)
    del h_age, age, sp, ch, pa

    kz = kazakh[fam]
    given = _distinct_in_family(t, fam, kz, sex, _pick_given(rng, t, kz, sex)).astype(np.int32)
    # Family surname: the head's line (masculine/feminine pair); a wife keeps her own in 30 % of families,
    # an elderly parent has one of their own.
    pair_kz = rng.integers(0, len(t.kz_surnames), f)
    pair_ru = rng.integers(0, len(t.ru_surnames), f)
    own_kz = rng.integers(0, len(t.kz_surnames), p)
    own_ru = rng.integers(0, len(t.ru_surnames), p)
    fam_pair = np.where(kz, pair_kz[fam], pair_ru[fam])
    own_pair = np.where(kz, own_kz, own_ru)
    keeps_own = ((role == ROLE_SPOUSE) & (rng.random(p) < 0.3)) | (role == ROLE_PARENT) | (role == ROLE_OTHER)
    pair = np.where(keeps_own, own_pair, fam_pair)
    del own_kz, own_ru, fam_pair, own_pair, keeps_own
    surname = np.where(
        kz, t.kz_surnames[pair % len(t.kz_surnames), sex], t.ru_surnames[pair % len(t.ru_surnames), sex]
    ).astype(np.int32)
    del pair

    # Patronymic from the father: children of a male head (or male spouse) take his name; others a random
    # father. Kazakh names: -ұлы/-қызы (60 %), Russified -ович (30 %), none (10 %); Russian: -ович (97 %).
    male_index = {int(c): i for i, c in enumerate(t.male_given_codes)}
    lookup = np.full(len(t.given), -1)
    for code, i in male_index.items():
        lookup[code] = i
    father_code = np.full(p, -1)
    head_idx = start  # the head is the family's first person
    head_is_male = sex[head_idx] == 0
    spouse_idx = np.minimum(start + 1, p - 1)
    spouse_is_male = (role[spouse_idx] == ROLE_SPOUSE) & (sex[spouse_idx] == 0) & (fam[spouse_idx] == fam)
    father_code = np.where(head_is_male, given[head_idx], np.where(spouse_is_male, given[spouse_idx], -1))
    random_father = _pick_given(rng, t, kz, np.zeros(p, dtype=np.int64))
    child_like = (role == ROLE_CHILD) | (role == ROLE_OTHER)
    father_code = np.where(child_like & (father_code >= 0), father_code, random_father)
    u = rng.random(p)
    form = np.where(kz, np.where(u < 0.6, 0, np.where(u < 0.9, 2, -1)), np.where(u < 0.97, 2, -1))
    patronymic = np.where(form >= 0, lookup[father_code] * 4 + np.maximum(form, 0) + sex, -1).astype(np.int32)
    del father_code, random_father, child_like, u, form, head_is_male, spouse_is_male, spouse_idx, start, kz

    iin = make_iins(rng, birth_day, sex)
    return Population(
        person_id=np.arange(1, p + 1, dtype=np.int64),
        family=fam,
        role=role,
        sex=sex,
        birth_day=birth_day,
        given=given,
        surname=surname,
        patronymic=patronymic,
        iin=iin,
        family_kazakh=kazakh,
        family_region=region.astype(np.int64),
        family_district=district,
        family_address=address.astype(np.int64),
        family_hardship=hardship,
        family_size=size.astype(np.int64),
        regions=codes,
        region_centres=centres,
        names=t,
    )


def make_iins(rng: np.random.Generator, birth_day: IntArray, sex: IntArray) -> IntArray:
    """Unique valid IINs: YYMMDD, century/sex digit, a serial unique within (birth date, sex), check digit."""
    dates = np.array(birth_day, dtype="datetime64[D]")
    years = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    months = (dates.astype("datetime64[M]").astype(np.int64) % 12) + 1
    days = (dates - dates.astype("datetime64[M]")).astype(np.int64) + 1
    century = np.where(years < 1900, 1, np.where(years < 2000, 3, 5)) + sex
    yymmdd = (years % 100) * 10000 + months * 100 + days
    # Serial: rank within (birth day, sex), in a random order.
    order = np.lexsort((rng.random(len(sex)), sex, birth_day))
    key = birth_day[order] * 2 + sex[order]
    first = np.r_[True, key[1:] != key[:-1]]
    group_start = np.maximum.accumulate(np.where(first, np.arange(len(key)), 0))
    serial = np.empty(len(sex), dtype=np.int64)
    serial[order] = np.arange(len(key)) - group_start + 1
    prefix = (yymmdd * 10 + century) * 10000 + serial
    check = check_digit(prefix)
    bump = 0
    while (check < 0).any():  # a prefix with no valid check digit: move the serial up
        bump += 1
        bad = check < 0
        prefix[bad] = (yymmdd[bad] * 10 + century[bad]) * 10000 + (serial[bad] + 4999 * bump) % 10000
        check[bad] = check_digit(prefix[bad])
    return prefix * 10 + check


def district_code(region_code: str, index: int) -> str:
    """`KZ-71-01` for the first district of Astana (the same codes as qorgau/demo/geography.py)."""
    return f"{region_code}-{index:02d}"
