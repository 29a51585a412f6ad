"""The police staff of the national year: duty officers and inspectors at every district station."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from qorgau.core.models import Agency, District, Role, User
from qorgau.core.permissions import Scope

from ..foundation import DEMO_PASSWORD, Foundation
from ..names import random_name
from .calibration import DUTY_OFFICERS_PER_STATION, INSPECTORS_PER_STATION, STAFF_PREFIX, Progress


@dataclass
class Station:
    agency: Agency
    district: District
    duty_officers: list[User] = field(default_factory=list)
    inspectors: list[User] = field(default_factory=list)


def staff_username(district: District, kind: str, n: int) -> str:
    return f"{STAFF_PREFIX}{district.code.lower()}.{kind}{n}"


def ensure_staff(f: Foundation, *, seed: int, progress: Progress) -> dict[str, list[Station]]:
    """Duty officers and district inspectors at every district police station (created once, idempotent).

    They share the demo password but have no second factor until an administrator issues one: the one
    demo user per role (`demo.*`) remains the way to log in.
    """
    roles = {r.slug: r for r in Role.objects.filter(slug__in=["duty_officer", "district_inspector"])}
    rng = random.Random(f"{seed}:staff")
    wanted: list[tuple[str, str, Agency]] = []
    for code in f.regions:
        for district, agency in zip(f.districts[code], f.police_stations[code], strict=True):
            wanted += [
                (staff_username(district, "duty", n), "duty_officer", agency)
                for n in range(1, DUTY_OFFICERS_PER_STATION + 1)
            ]
            wanted += [
                (staff_username(district, "inspector", n), "district_inspector", agency)
                for n in range(1, INSPECTORS_PER_STATION + 1)
            ]
    existing = set(User.objects.filter(username__startswith=STAFF_PREFIX).values_list("username", flat=True))
    password = make_password(DEMO_PASSWORD) if len(existing) < len(wanted) else ""
    new = []
    for username, slug, agency in wanted:
        name = random_name(rng, female=rng.random() < 0.35)  # drawn for every row: stable for the seed
        if username in existing or slug not in roles:
            continue
        new.append(
            User(
                username=username,
                first_name=name.given_name,
                last_name=name.surname,
                email=f"{username}@demo.qorgau.invalid",
                agency=agency,
                role=roles[slug],
                scope=Scope.AGENCY,
                is_active=True,
                password=password,
            )
        )
    User.objects.bulk_create(new, batch_size=1000)
    users = {u.username: u for u in User.objects.filter(username__startswith=STAFF_PREFIX)}
    out: dict[str, list[Station]] = {}
    for code in f.regions:
        out[code] = []
        for district, agency in zip(f.districts[code], f.police_stations[code], strict=True):
            station = Station(agency=agency, district=district)
            for n in range(1, DUTY_OFFICERS_PER_STATION + 1):
                station.duty_officers.append(users[staff_username(district, "duty", n)])
            for n in range(1, INSPECTORS_PER_STATION + 1):
                station.inspectors.append(users[staff_username(district, "inspector", n)])
            out[code].append(station)
    progress(
        f"Police staff: {len(users)} duty officers and inspectors at district stations ({len(new)} new)."
    )
    return out
