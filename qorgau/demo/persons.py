"""Synthetic demo persons with valid IINs, registered through the people service like real ones.

`plan_persons` is pure and deterministic for a seed; `create_persons` writes the plan through
`qorgau.people.services.do_create_person`, so every demo person gets its IIN hash, encrypted IIN,
search key and audit row exactly as a person registered in the UI would. The people modules are imported
lazily: the foundation (districts, agencies, users) does not depend on them.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .names import random_name

if TYPE_CHECKING:
    from qorgau.core.models import Agency, District, User

# Which demo users register the persons, with weights: they and their agencies see them.
CREATORS: list[tuple[str, int]] = [("duty_officer", 5), ("case_worker", 3), ("district_social_worker", 2)]

BIRTH_FROM = dt.date(1950, 1, 1)
BIRTH_TO = dt.date(2021, 12, 31)


@dataclass(frozen=True)
class PersonSpec:
    surname: str
    given_name: str
    patronymic: str
    sex: str  # people.Sex value: "F" or "M"
    birth_date: dt.date
    district_index: int  # into the creator's region's districts
    creator: str  # role slug of the demo user who registers the person


def plan_persons(*, seed: int, count: int) -> list[PersonSpec]:
    """`count` synthetic persons: about two thirds women (victims are mostly women), ages 2 to 75."""
    rng = random.Random(f"{seed}:persons")
    slugs = [slug for slug, _w in CREATORS]
    weights = [w for _slug, w in CREATORS]
    span = (BIRTH_TO - BIRTH_FROM).days
    specs = []
    for _ in range(count):
        female = rng.random() < 0.65
        name = random_name(rng, female=female)
        specs.append(
            PersonSpec(
                surname=name.surname,
                given_name=name.given_name,
                patronymic=name.patronymic,
                sex="F" if female else "M",
                birth_date=BIRTH_FROM + dt.timedelta(days=rng.randrange(span)),
                district_index=rng.randrange(100),
                creator=rng.choices(slugs, weights)[0],
            )
        )
    return specs


def unique_iins(specs: list[PersonSpec]) -> list[str]:
    """A valid, distinct IIN for each spec: serials in order, so the same plan gives the same IINs."""
    from qorgau.people.iin import make_iin

    used: set[str] = set()
    out = []
    serial = 0
    for spec in specs:
        iin = make_iin(spec.birth_date, spec.sex, serial)
        while iin in used:
            serial = (serial + 1) % 10000
            iin = make_iin(spec.birth_date, spec.sex, serial)
        serial = (int(iin[7:11]) + 1) % 10000
        used.add(iin)
        out.append(iin)
    return out


def create_persons(
    specs: list[PersonSpec], *, users: dict[str, User], districts: list[District]
) -> tuple[int, int]:
    """Register the planned persons; ones whose IIN is already registered are skipped. (created, skipped).

    One demo user registers hundreds of IINs at once: every look-up is audited as in the UI, but the
    look-up limits, made for a person at a keyboard, do not refuse them (`loading_demo_data`, DEMO_MODE
    only)."""
    from qorgau.core.ratelimit import loading_demo_data
    from qorgau.people.iin import hash_iin
    from qorgau.people.models import Person
    from qorgau.people.services import do_create_person

    created = skipped = 0
    with loading_demo_data():
        for spec, iin in zip(specs, unique_iins(specs), strict=True):
            if Person.objects.filter(iin_hash=hash_iin(iin)).exists():
                skipped += 1
                continue
            district = districts[spec.district_index % len(districts)]
            do_create_person(
                actor=users[spec.creator],
                iin=iin,
                surname=spec.surname,
                given_name=spec.given_name,
                patronymic=spec.patronymic,
                birth_date=spec.birth_date,
                sex=spec.sex,
                region=district.region,
                district=district,
            )
            created += 1
    return created, skipped


def bulk_persons(
    specs: list[PersonSpec],
    *,
    placements: list[tuple[Agency, list[District]]],
    weights: Sequence[float] | None = None,
    seed: int = 0,
    batch_size: int = 2000,
) -> int:
    """Insert the planned persons directly (bulk_create), for large sets: benchmarks and the national demo.

    Skips the service (no audit rows, no per-row checks), so use it only for synthetic data. Each person
    goes to one of `placements` (an agency and the districts of its region; by `weights` when given): the
    registering agency and the region scope their visibility. Returns the number inserted.
    """
    from qorgau.people.models import Person
    from qorgau.people.names import name_key

    rng = random.Random(f"{seed}:placements")
    key = functools.lru_cache(maxsize=65536)(name_key)  # names repeat a lot in synthetic data
    rows = []
    for spec, iin in zip(specs, unique_iins(specs), strict=True):
        agency, districts = rng.choices(placements, weights)[0]
        person = Person(
            surname=spec.surname,
            given_name=spec.given_name,
            patronymic=spec.patronymic,
            birth_date=spec.birth_date,
            sex=spec.sex,
            region=agency.region,
            district=districts[spec.district_index % len(districts)] if districts else None,
            agency=agency,
        )
        person.set_iin(iin)
        # bulk_create skips save(), which keeps the search key: compute it the same way.
        person.name_key = key(*(getattr(person, f) for f in Person.NAME_FIELDS))
        rows.append(person)
    Person.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)
