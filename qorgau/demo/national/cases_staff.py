"""Who works the demo's victim cases: case workers at every region's crisis centre, family support
centre, hospital and NGO, and the specialists who deliver services, with their qualifications.

Both are created once (idempotent): a second run of `demo` finds the users by username and the
specialists by agency. Specialists are named persons without an account, except three of the demo users
in Astana (the psychologist at the crisis centre, the lawyer at the NGO, the doctor at the hospital),
who see the services they deliver.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from qorgau.core.models import Agency, Role, User
from qorgau.core.permissions import Scope

from ..foundation import DEMO_PASSWORD, HOME_REGION, Foundation
from ..names import random_name
from .bulk import Ids, Row, factory, insert_rows
from .calibration import STAFF_PREFIX, Progress
from .cases_calibration import (
    CASE_STAFF,
    DOCUMENT_PREFIX,
    ISSUERS,
    QUALIFICATION_YEARS,
    RENEWED_SHARE,
    ROSTER,
)

CASE_AGENCY_TYPES = tuple(CASE_STAFF)  # crisis_centre, family_support, health, ngo


def case_staff_username(region_code: str, part: str, n: int) -> str:
    return f"{STAFF_PREFIX}{region_code.lower()}.{part}{n}"


@dataclass
class Qualified:
    """A specialist in memory: the periods of each of their qualifications, by service type."""

    id: int
    agency_id: int
    user_id: int | None
    periods: dict[str, list[tuple[dt.date, dt.date]]] = field(default_factory=dict)

    def valid_on(self, kind: str, day: dt.date) -> bool:
        return any(start <= day <= end for start, end in self.periods.get(kind, ()))


@dataclass
class CaseStaff:
    """Case workers per (region code, agency type), the agencies, and the specialists per agency id."""

    workers: dict[tuple[str, str], list[User]] = field(default_factory=dict)
    agencies: dict[tuple[str, str], Agency] = field(default_factory=dict)
    specialists: dict[int, list[Qualified]] = field(default_factory=dict)
    new_users: int = 0
    new_specialists: int = 0
    expired: int = 0  # specialist and service type pairs with no qualification valid today


def ensure_case_staff(f: Foundation, *, seed: int, progress: Progress) -> CaseStaff:
    """Case workers (role case_worker, agency scope) at the four agencies of every region that work
    cases; the demo case worker is the first worker of Astana's crisis centre."""
    role = Role.objects.filter(slug="case_worker").first()
    out = CaseStaff()
    if role is None:
        return out
    rng = random.Random(f"{seed}:case-staff")
    wanted: list[tuple[str, str, str, Agency]] = []
    for code in f.regions:
        for type_, (part, count) in CASE_STAFF.items():
            agency = f.agencies[(code, type_)]
            out.agencies[(code, type_)] = agency
            wanted += [(case_staff_username(code, part, n), code, type_, agency) for n in range(1, count + 1)]
    names = [u for u, _c, _t, _a in wanted]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    password = make_password(DEMO_PASSWORD) if len(existing) < len(wanted) else ""
    new = []
    for username, _code, _type, agency in wanted:
        name = random_name(rng, female=rng.random() < 0.8)  # drawn for every row: stable for the seed
        if username in existing:
            continue
        new.append(
            User(
                username=username,
                first_name=name.given_name,
                last_name=name.surname,
                email=f"{username}@demo.qorgau.invalid",
                agency=agency,
                role=role,
                scope=Scope.AGENCY,
                is_active=True,
                password=password,
            )
        )
    User.objects.bulk_create(new, batch_size=1000)
    out.new_users = len(new)
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    for username, code, type_, _agency in wanted:
        out.workers.setdefault((code, type_), []).append(users[username])
    demo_worker = f.users.get("case_worker")
    if demo_worker is not None and demo_worker.agency_id == out.agencies[(HOME_REGION, "crisis_centre")].pk:
        out.workers[(HOME_REGION, "crisis_centre")].insert(0, demo_worker)
    return out


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def ensure_specialists(f: Foundation, staff: CaseStaff, *, seed: int, ids: Ids) -> None:
    """The specialists of every case-working agency (ROSTER), created once, and loaded into `staff`.

    Each qualification document is valid QUALIFICATION_YEARS; when it ran out, RENEWED_SHARE of them
    were renewed (a new document from the day after). The first specialist of each type at an agency
    always renewed, so every agency can assign every type it offers; Astana's crisis centre keeps one
    expired psychologist, so that the case page shows the block with its message.
    """
    Specialist, Qualification = factory("cases.Specialist"), factory("cases.Qualification")
    from qorgau.cases.models import Qualification as QualificationModel
    from qorgau.cases.models import Specialist as SpecialistModel

    agencies = list(staff.agencies.values())
    have = set(SpecialistModel.objects.filter(agency__in=agencies).values_list("agency_id", flat=True))
    today = timezone.localdate()
    now = timezone.now()
    rng = random.Random(f"{seed}:specialists")
    demo_specialists = {
        (HOME_REGION, "crisis_centre", 0): f.users.get("psychologist"),
        (HOME_REGION, "ngo", 0): f.users.get("lawyer"),
        (HOME_REGION, "health", 0): f.users.get("doctor"),
    }
    rows: list[Row] = []
    quals: list[Row] = []
    number = QualificationModel.objects.count()
    for (code, type_), agency in staff.agencies.items():
        recorder = staff.workers[(code, type_)][0]
        seen: set[str] = set()
        for index, kinds in enumerate(ROSTER[type_]):
            name = random_name(rng, female=rng.random() < 0.75)
            start = dt.date(rng.randint(2017, 2021), rng.randint(1, 12), rng.randint(1, 28))
            renew = [rng.random() for _ in kinds]
            if agency.pk in have:
                continue
            user = demo_specialists.get((code, type_, index))
            if user is not None and user.agency_id != agency.pk:
                user = None
            at = dt.datetime.combine(start, dt.time(10), tzinfo=dt.UTC)
            specialist = Specialist(
                agency=agency,
                user=user,
                full_name="" if user is not None else f"{name.surname} {name.given_name} {name.patronymic}",
                is_active=True,
                created_at=min(at, now),
            )
            specialist.id = ids.next(SpecialistModel)
            rows.append(specialist)
            for kind, chance in zip(kinds, renew, strict=True):
                # Astana's second crisis-centre psychologist: expired, never renewed (the honest block).
                keep_expired = (code, type_, index) == (HOME_REGION, "crisis_centre", 1)
                first = kind not in seen or user is not None
                seen.add(kind)
                valid_from = start
                while True:
                    valid_until = _add_years(valid_from, QUALIFICATION_YEARS) - dt.timedelta(days=1)
                    number += 1
                    q = Qualification(
                        specialist=specialist,
                        kind=kind,
                        document_number=f"{DOCUMENT_PREFIX[kind]}-{valid_from.year}-{number:06d}",
                        issuer=ISSUERS[kind],
                        valid_from=valid_from,
                        valid_until=valid_until,
                        recorded_by=recorder,
                        recorded_at=min(dt.datetime.combine(valid_from, dt.time(9), tzinfo=dt.UTC), now),
                    )
                    q.id = ids.next(QualificationModel)
                    quals.append(q)
                    renewed = (first or chance < RENEWED_SHARE) and not keep_expired
                    if valid_until >= today or not renewed:
                        break
                    valid_from = valid_until + dt.timedelta(days=1)
    insert_rows(SpecialistModel, rows)
    insert_rows(QualificationModel, quals)
    staff.new_specialists = len(rows)
    by_id: dict[int, Qualified] = {}
    for sid, agency_id, user_id in SpecialistModel.objects.filter(agency__in=agencies).values_list(
        "id", "agency_id", "user_id"
    ):
        by_id[sid] = Qualified(sid, agency_id, user_id)
        staff.specialists.setdefault(agency_id, []).append(by_id[sid])
    periods: dict[int, dict[str, list[tuple[dt.date, dt.date]]]] = defaultdict(lambda: defaultdict(list))
    rows_q = QualificationModel.objects.filter(specialist__in=list(by_id)).values_list(
        "specialist_id", "kind", "valid_from", "valid_until"
    )
    for sid, kind, starts, ends in rows_q:
        periods[sid][kind].append((starts or dt.date.min, ends))
    for sid, by_kind in periods.items():
        by_id[sid].periods = dict(by_kind)
        staff.expired += sum(not by_id[sid].valid_on(kind, today) for kind in by_kind)
    for specialists in staff.specialists.values():
        specialists.sort(key=lambda s: s.id)
