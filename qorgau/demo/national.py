# ruff: noqa: RUF001  (Russian texts are the data here, not look-alike Latin letters)
"""The calibrated national demo year: ~100,000 signals of domestic violence over the 20 regions.

`generate_year` writes one synthetic year in bulk (bulk_create with preassigned primary keys, no per-row
service calls, no per-row audit), calibrated to the government brief (DOMAIN.md sections 1 and 7):

- signals per region = population x the demo rate per 1,000 residents in `REGION_RATES`, scaled so the
  national total is 100,000 x `scale`; the rates put Shymkent, Astana, Almaty, Karaganda, Pavlodar and
  Kostanay on top (B1), in that order;
- outcomes per `CALIBRATION` (668 criminal cases and 35,000 administrative protocols per 100,000 signals
  in 2022, B2), apportioned exactly over the regions, so the national totals are exact for any scale;
- repeat victimisation and repeat offending: signals come from families (a victim, an alleged offender,
  sometimes a child) whose number of signals in the year is 1 + a gamma-Poisson (negative binomial)
  count, mean about 1.35; a few offenders appear in two families;
- protective orders with their compliance checks (at least every 7 days), breaches as new signals linked
  to the order, and reconciliation decisions taken by the real guard (`decide_reconciliation`).

Invariants the intake and people services keep, and that this bulk path keeps too (tests check them):
- registration numbers `KZ-71-2022-000001` are consecutive per region and year in order of registration,
  and the RegistrationCounter row holds the last one, so a later `do_register_signal` continues the run;
- deadlines come from the DeadlineRule rows in force on the (Asia/Almaty) day of receipt, and the signal
  keeps the rows it used; orders keep their validity and check-interval rules and get `check_schedule`;
- a signal is closed only with an outcome (Signal.outcome is the outcome row, closed_at set); open ones
  are `registered` (unassigned) or `in_progress`; a victim's refusal is a fact and never a closure;
- outcomes carry the fields their kind requires (article, part 73, case number, reason, agency) and only
  those; a "protective order" outcome has an order; referrals go to another, active agency;
- assignees are police officers of the signal's region with `intake.change`; no time lies in the future;
- persons get a valid, unique IIN stored as keyed hash, Fernet ciphertext and last digits, and their
  `name_key`; families their `FAM-000123` code.

The calibration figures below are demo data, not statistics: documented assumptions that make the demo
look like the brief, to be replaced by real figures where they exist.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

from qorgau.core.models import Agency, AgencyType, District, Region, Role, User
from qorgau.core.permissions import Scope

from .foundation import DEMO_PASSWORD, HOME_REGION, Foundation
from .names import feminine, random_name

Progress = Callable[[str], None]

SIGNALS_PER_YEAR = 100_000  # at scale 1.0 (B1: "about 100,000 signals this year")

# Demo calibration: signals a year per 1,000 residents (national mean ~5, DOMAIN.md section 7). Chosen so
# that the six regions the brief names have the most signals, in its order (Shymkent 11.0k, Astana 10.0k,
# Almaty 9.6k, Karaganda 8.2k, Pavlodar 6.3k, Kostanay 5.8k at scale 1), with the populous Turkestan and
# Almaty regions and Zhambyl given lower rates (more rural, fewer reports); the seventh has ~4.9k.
REGION_RATES: dict[str, float] = {
    "KZ-10": 5.0,  # Abai
    "KZ-11": 5.2,  # Akmola
    "KZ-15": 4.4,  # Aktobe
    "KZ-19": 3.2,  # Almaty region
    "KZ-23": 4.0,  # Atyrau
    "KZ-27": 4.6,  # West Kazakhstan
    "KZ-31": 3.9,  # Zhambyl
    "KZ-33": 4.2,  # Zhetisu
    "KZ-35": 7.2,  # Karaganda
    "KZ-39": 7.0,  # Kostanay
    "KZ-43": 4.0,  # Kyzylorda
    "KZ-47": 4.5,  # Mangystau
    "KZ-55": 8.4,  # Pavlodar
    "KZ-59": 5.8,  # North Kazakhstan
    "KZ-61": 2.3,  # Turkestan
    "KZ-62": 5.5,  # Ulytau
    "KZ-63": 6.0,  # East Kazakhstan
    "KZ-71": 7.0,  # Astana
    "KZ-75": 4.3,  # Almaty (city)
    "KZ-79": 9.0,  # Shymkent
}
TOP_SIX = ["KZ-79", "KZ-71", "KZ-75", "KZ-35", "KZ-55", "KZ-39"]


@dataclass(frozen=True)
class YearCalibration:
    """Outcomes per 100,000 signals. Orders count ProtectiveOrder rows (outcome or alongside one)."""

    criminal_cases: int
    admin_protocols: int
    protective_orders: int


# 2022: the brief (B2). Orders: 72,000 is the 2024 figure (DOMAIN.md 7); for 2022 the demo assumes
# 50,000 (unconfirmed), 2023 60,000. From June 2024 battery is a crime again: ~7,000 cases a year, which
# the demo takes out of the administrative protocols (2024 gets about half of that).
CALIBRATION: dict[int, YearCalibration] = {
    2022: YearCalibration(criminal_cases=668, admin_protocols=35_000, protective_orders=50_000),
    2023: YearCalibration(criminal_cases=700, admin_protocols=35_000, protective_orders=60_000),
    2024: YearCalibration(criminal_cases=4_000, admin_protocols=32_000, protective_orders=72_000),
    2025: YearCalibration(criminal_cases=7_000, admin_protocols=28_000, protective_orders=72_000),
}
SPECIAL_REQUIREMENTS_SHARE = 0.02  # of all signals
REFERRED_SHARE = 0.10
ORDER_WITH_PROTOCOL = 0.75  # share of administrative protocols that come with a protective order
ORDER_WITH_CASE = 0.9  # share of criminal cases that come with a protective order
OPEN_TAIL_DAYS = 10  # signals received in the last days of the period are often still being worked ...
OPEN_TAIL_SHARE = 0.5
OPEN_OVERDUE_SHARE = 0.01  # ... and a few older ones are still open, overdue
LATE_OUTCOME_SHARE = 0.12  # outcome recorded after its deadline
LATE_CONTACT_SHARE = 0.05
VICTIM_DECLINED_SHARE = 0.15
RECONCILIATION_SHARE = 0.04  # of administrative protocols: a request to reconcile, decided by the guard
OFFENDER_REUSE = 0.03  # a family's offender is already an offender in another family of the region
CHILD_VICTIM_SHARE = 0.12  # families with a child who is also a victim in some signals
# Repeat signals of one family in a year: 1 + Poisson(Gamma(shape, scale)), i.e. negative binomial.
REPEAT_SHAPE, REPEAT_SCALE, REPEAT_MAX = 0.6, 0.58, 12
CHECK_RESULTS = (("complied", 93), ("not_reached", 5), ("breach", 2))

# Staff of every district police station (usernames staff.kz-71-01.inspector1 ...).
STAFF_PREFIX = "staff."
INSPECTORS_PER_STATION = 3
DUTY_OFFICERS_PER_STATION = 2

CHANNELS = (
    ("call_102", 55),
    ("line_111", 8),
    ("health", 6),
    ("school", 3),
    ("witness", 8),
    ("victim", 12),
    ("social_media", 2),
    ("other_agency", 4),
    ("api", 2),
)
# relationship -> (weight, victim age range, offender age range, victim female share, offender male share)
RELATIONSHIPS: dict[str, tuple[int, tuple[int, int], tuple[int, int], float, float]] = {
    "spouse": (48, (20, 60), (22, 65), 0.92, 0.92),
    "former_spouse": (10, (22, 60), (24, 65), 0.9, 0.9),
    "partner": (8, (18, 45), (19, 50), 0.9, 0.9),
    "parent": (6, (3, 17), (24, 55), 0.55, 0.7),
    "child": (10, (50, 85), (18, 50), 0.75, 0.85),
    "sibling": (5, (15, 55), (15, 55), 0.6, 0.8),
    "other_relative": (7, (15, 75), (18, 70), 0.7, 0.8),
    "cohabitant": (6, (18, 60), (18, 65), 0.85, 0.85),
}
# What the offender is to the victim (head of the demo family) -> people.Relationship of the offender.
FAMILY_RELATIONSHIP = {
    "spouse": "spouse",
    "former_spouse": "former_spouse",
    "partner": "partner",
    "parent": "parent",
    "child": "child",
    "sibling": "sibling",
    "other_relative": "other_relative",
    "cohabitant": "cohabitant",
}
ADMIN_PARTS = (("1", 80), ("2", 15), ("3", 5))
CRIMINAL_ARTICLES_BEFORE_2024 = ("106", "107", "110", "120", "121", "115")
CRIMINAL_ARTICLES_FROM_2024 = ("108-1", "109-1", "106", "107", "110", "115")
BREACH_ARTICLE = "461"  # CoAO art. 461: violating a protective order
NO_OFFENCE_REASONS = (
    "Факты насилия не подтвердились при проверке.",
    "Семейный конфликт без признаков правонарушения.",
    "Сообщение не подтвердилось: по адресу конфликт не установлен.",
    "Заявитель сообщил о недоразумении; признаков насилия нет.",
)
SPECIAL_REQUIREMENTS = (
    "Запрет на общение с потерпевшей на 3 месяца.",
    "Запрет на посещение места жительства потерпевшей на 6 месяцев.",
    "Обязательное прохождение коррекционной программы, 6 месяцев.",
    "Запрет на приобретение алкоголя на 3 месяца.",
)
DECLINED_NOTES = (
    "Потерпевшая отказалась от дачи объяснений.",
    "Потерпевший не желает привлекать родственника к ответственности.",
    "Отказ от медицинского освидетельствования.",
)
ACCOUNTS = {
    "call_102": "Вызов по 102: семейный скандал, выезд наряда по адресу.",
    "line_111": "Обращение на линию 111 о насилии в семье.",
    "health": "Сообщение из медицинской организации о травмах, полученных в быту.",
    "school": "Сообщение школы: ребёнок рассказал о насилии дома.",
    "witness": "Соседи сообщили о криках и шуме в квартире.",
    "victim": "Личное обращение потерпевшей в отдел полиции.",
    "social_media": "Публикация в социальной сети о насилии в семье.",
    "other_agency": "Информация из центра поддержки семьи.",
    "api": "Сообщение из информационной системы.",
}
STREETS = (
    "ул. Абая",
    "ул. Толе би",
    "пр. Республики",
    "ул. Сейфуллина",
    "мкр. Самал",
    "ул. Байтурсынова",
    "ул. Жибек жолы",
    "пр. Назарбаева",
    "ул. Гагарина",
    "ул. Ленина",
    "мкр. Восток",
    "ул. Кунаева",
)
# Reports by local hour of day (evenings and nights peak).
HOUR_WEIGHTS = (3, 2, 2, 1, 1, 1, 1, 2, 3, 3, 3, 3, 3, 3, 4, 4, 5, 6, 8, 9, 10, 9, 7, 5)
HOURS = tuple(range(24))


# --- plain helpers ----------------------------------------------------------------------------------------


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` in proportion to `weights` into integers that add up to it (largest remainder)."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    shares = [total * w / whole for w in weights]
    counts = [math.floor(s) for s in shares]
    order = sorted(range(len(shares)), key=lambda i: (counts[i] - shares[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def region_counts(populations: dict[str, int], scale: float) -> dict[str, int]:
    """Signals a year per region code at `scale` (1.0 = 100,000 nationally)."""
    codes = sorted(populations)
    weights = [populations[c] * REGION_RATES.get(c, 5.0) for c in codes]
    return dict(zip(codes, apportion(round(SIGNALS_PER_YEAR * scale), weights), strict=True))


def calibration(year: int) -> YearCalibration:
    known = sorted(CALIBRATION)
    return CALIBRATION[min(max(year, known[0]), known[-1])]


def outcome_targets(year: int, total: int) -> dict[str, int]:
    """National counts per outcome kind for `total` signals (before open signals are taken out)."""
    cal = calibration(year)
    per = total / SIGNALS_PER_YEAR
    criminal = round(cal.criminal_cases * per)
    admin = round(cal.admin_protocols * per)
    orders = round(cal.protective_orders * per)
    order_only = max(0, orders - round(admin * ORDER_WITH_PROTOCOL) - round(criminal * ORDER_WITH_CASE))
    return {
        "criminal_case": criminal,
        "admin_protocol": admin,
        "protective_order": order_only,
        "special_requirements": round(total * SPECIAL_REQUIREMENTS_SHARE),
        "referred": round(total * REFERRED_SHARE),
    }


def _poisson(rng: random.Random, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def repeat_count(rng: random.Random) -> int:
    """Signals of one family in a year: 1 + negative binomial (gamma-Poisson), capped."""
    return min(REPEAT_MAX, 1 + _poisson(rng, rng.gammavariate(REPEAT_SHAPE, REPEAT_SCALE)))


def _weighted(pairs: Sequence[tuple[str, int]]) -> tuple[list[str], list[int]]:
    return [k for k, _w in pairs], [w for _k, w in pairs]


class IinStore:
    """Valid IINs, unique within a demo year and across years, with their hash and ciphertext.

    Serials of year Y start at 1000 + (Y mod 9) x 1000, so demo years never share an IIN (the foundation's
    persons use serials from 0). One Fernet object and one HMAC key for all rows: the same values
    people.iin.hash_iin and encrypt_iin give, at about 20 us a row.
    """

    def __init__(self, year: int) -> None:
        from cryptography.fernet import Fernet

        self.base = 1000 + (year % 9) * 1000
        self.next_serial: dict[str, int] = {}
        self.key = settings.IIN_HASH_KEY.encode()
        self.fernet = Fernet(settings.IIN_ENCRYPTION_KEY.encode())

    def new(self, birth_date: dt.date, sex: str) -> str:
        from qorgau.people.iin import make_iin

        prefix = f"{birth_date:%y%m%d}{sex}"
        serial = self.next_serial.get(prefix, self.base)
        iin = make_iin(birth_date, sex, serial)
        self.next_serial[prefix] = int(iin[7:11]) + 1
        return iin

    def hash(self, iin: str) -> str:
        return hmac.new(self.key, iin.encode(), hashlib.sha256).hexdigest()

    def encrypt(self, iin: str) -> str:
        return self.fernet.encrypt(iin.encode()).decode()


class Ids:
    """Preassigned primary keys per model, so rows can point at each other before they are inserted."""

    def __init__(self) -> None:
        self.last: dict[type[models.Model], int] = {}

    def next(self, model: type[models.Model]) -> int:
        if model not in self.last:
            self.last[model] = model._default_manager.aggregate(m=Max("pk"))["m"] or 0
        self.last[model] += 1
        return self.last[model]


# --- staff ------------------------------------------------------------------------------------------------


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


# --- the year ---------------------------------------------------------------------------------------------


@dataclass
class YearStats:
    year: int
    signals: int = 0
    persons: int = 0
    families: int = 0
    parties: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    open: int = 0
    protective_orders: int = 0
    compliance_checks: int = 0
    breaches: int = 0
    reconciliations: int = 0
    repeat_families: int = 0  # families (victim and offender) with more than one signal in the year
    by_region: dict[str, int] = field(default_factory=dict)
    skipped: bool = False
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "by_region"} | {"by_region": self.by_region}


class _Rules:
    """The DeadlineRule rows in memory, looked up per local day like DeadlineRule.effective."""

    def __init__(self) -> None:
        from qorgau.intake.models import DeadlineRule

        self.rows = list(DeadlineRule.objects.order_by("-effective_from"))

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one instance per generated year
    def effective(self, kind: str, day: dt.date) -> Any:
        from qorgau.intake.models import DeadlineRuleMissing

        for rule in self.rows:
            if rule.kind != kind or rule.effective_from > day:
                continue
            if rule.effective_to is None or day < rule.effective_to:
                return rule
        raise DeadlineRuleMissing(f"No deadline rule {kind!r} is in force on {day}.")


def year_already_generated(year: int) -> bool:
    from qorgau.intake.models import Signal

    return Signal.objects.filter(
        registration_number__contains=f"-{year}-", registered_by__username__startswith=STAFF_PREFIX
    ).exists()


def generate_year(
    f: Foundation,
    stations: dict[str, list[Station]],
    *,
    year: int,
    scale: float,
    seed: int,
    progress: Progress,
    batch_size: int = 5000,
) -> YearStats:
    """Generate one demo year in bulk. Skips (stats.skipped) a year whose demo signals already exist."""
    stats = YearStats(year=year)
    if year_already_generated(year):
        stats.skipped = True
        progress(f"Year {year}: demo signals already present, skipped.")
        return stats
    started = time.perf_counter()
    now = timezone.now()
    tz = timezone.get_current_timezone()
    # Times are generated in UTC (fast arithmetic and storage); the period is the local (Asia/Almaty) year.
    start = dt.datetime(year, 1, 1, tzinfo=tz).astimezone(dt.UTC)
    end = min(
        dt.datetime(year + 1, 1, 1, tzinfo=tz).astimezone(dt.UTC) - dt.timedelta(hours=2),
        now - dt.timedelta(hours=2),
    )
    if end <= start:
        raise ValueError(f"The year {year} has not started yet.")
    populations = {code: region.population for code, region in f.regions.items()}
    counts = region_counts(populations, scale)
    total = sum(counts.values())
    codes = list(f.regions)
    targets = {
        kind: dict(zip(codes, apportion(n, [counts[c] for c in codes]), strict=True))
        for kind, n in outcome_targets(year, total).items()
    }
    ctx = _YearContext(year=year, seed=seed, now=now, start=start, end=end, batch_size=batch_size)
    done = 0
    for code in codes:
        region_started = time.perf_counter()
        n = counts[code]
        _RegionYear(ctx, f, stations[code], f.regions[code], n, {k: t[code] for k, t in targets.items()}).run(
            stats
        )
        done += n
        stats.by_region[code] = n
        rate = n / max(time.perf_counter() - region_started, 1e-6)
        progress(
            f"{year} {code} {f.regions[code].name_en}: {n} signals ({rate:,.0f}/s; "
            f"{done * 100 // max(total, 1)}% of {total})"
        )
    ctx.reset_sequences()
    stats.reconciliations = _reconciliations(ctx)
    stats.seconds = time.perf_counter() - started
    return stats


@dataclass
class _YearContext:
    year: int
    seed: int
    now: dt.datetime
    start: dt.datetime
    end: dt.datetime
    batch_size: int
    ids: Ids = field(default_factory=Ids)
    rules: _Rules = field(default_factory=_Rules)
    iins: IinStore | None = None
    reconcile: list[tuple[int, int, int, dt.datetime]] = field(default_factory=list)
    name_key: Callable[..., str] | None = None

    def __post_init__(self) -> None:
        self.iins = IinStore(self.year)
        self.name_key = fast_name_key

    def reset_sequences(self) -> None:
        """PostgreSQL sequences after inserts with explicit keys (SQLite's AUTOINCREMENT follows itself)."""
        from django.core.management.color import no_style

        sql = connection.ops.sequence_reset_sql(no_style(), list(self.ids.last))
        if sql:
            with connection.cursor() as cursor:
                for statement in sql:
                    cursor.execute(statement)


class _Row:
    """One row to insert: its model and column values by attribute name (foreign keys as `<name>_id`).

    Much lighter than a model instance (the national year has over a million rows); `insert_rows` writes
    them with one executemany per batch, filling the columns a row does not name with the field default.
    """

    def __init__(self, model: type[models.Model], values: dict[str, Any]) -> None:
        self.__dict__.update(values)
        self.model = model
        self.id: int = 0

    @property
    def pk(self) -> int:
        return self.id

    if TYPE_CHECKING:  # columns are dynamic attributes

        def __getattr__(self, name: str) -> Any: ...

        def __setattr__(self, name: str, value: Any) -> None: ...


@functools.cache
def _foreign_keys(model: type[models.Model]) -> dict[str, str]:
    return {f.name: f.attname for f in model._meta.concrete_fields if f.is_relation}


class _Factory:
    """Builds `_Row`s of a model from keyword arguments named like the model's (foreign keys may be rows,
    model instances or None)."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fks = _foreign_keys(model)

    def __call__(self, **values: Any) -> _Row:
        out = {}
        for name, value in values.items():
            attname = self.fks.get(name)
            if attname is None:
                out[name] = value
            else:
                out[attname] = None if value is None else value.pk
        return _Row(self.model, out)


@functools.cache
def _factory(label: str) -> _Factory:
    from django.apps import apps

    return _Factory(apps.get_model(label))


def _sqlite_datetime(value: dt.datetime) -> str:
    """What Django's SQLite backend stores for an aware datetime (UTC, naive text), without its overhead."""
    if value.tzinfo is not dt.UTC:
        value = value.astimezone(dt.UTC)
    return str(value.replace(tzinfo=None))


@functools.cache
def _folded(part: str) -> tuple[str, ...]:
    from qorgau.people.names import fold_tokens

    return tuple(fold_tokens(part))


def fast_name_key(*parts: str) -> str:
    """people.names.name_key, with each name folded once: synthetic names repeat a lot."""
    from qorgau.people.names import name_key

    seen: dict[str, None] = {}
    for part in parts:
        for token in _folded(part or ""):
            seen.setdefault(token, None)
    key = " ".join(seen)
    return key if len(key) <= 400 else name_key(*parts)


def insert_rows(model: type[models.Model], rows: Sequence[_Row], *, batch_size: int = 5000) -> None:
    """INSERT the rows with explicit primary keys, per batch on the raw DB-API cursor (COPY on PostgreSQL).

    Bypasses bulk_create's per-value compilation (most of its time at this size) and the debug cursor
    (under DEBUG it would keep every parameter list in memory). Values go through the backend's
    adapt_*field_value like Django's own, so SQLite stores UTC text and PostgreSQL timestamptz.
    """
    if not rows:
        return
    ops = connection.ops
    now = timezone.now()
    columns = []
    for f in model._meta.concrete_fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            default: Any = now
        else:
            default = f.get_default()
        adapt: Callable[[Any], Any] | None = None
        internal = f.get_internal_type()
        if internal == "DateTimeField":
            adapt = _sqlite_datetime if connection.vendor == "sqlite" else ops.adapt_datetimefield_value
        elif internal == "DateField":
            adapt = ops.adapt_datefield_value
        columns.append((f.attname, f.column, default, adapt))
    placeholder = "?" if connection.vendor == "sqlite" else "%s"
    quote = ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model, values bound
        quote(model._meta.db_table),
        ", ".join(quote(str(column)) for _a, column, _d, _f in columns),
        ", ".join([placeholder] * len(columns)),
    )
    # PostgreSQL: COPY (psycopg 3) is several times faster than executemany for this many rows.
    copy_sql = ""
    if connection.vendor == "postgresql":
        copy_sql = "COPY {} ({}) FROM STDIN".format(
            quote(model._meta.db_table), ", ".join(quote(str(column)) for _a, column, _d, _f in columns)
        )
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    try:
        for start in range(0, len(rows), batch_size):
            params = []
            for row in rows[start : start + batch_size]:
                values = row.__dict__
                out = []
                for attname, _column, default, adapter in columns:
                    v = values.get(attname, default)
                    out.append(adapter(v) if adapter is not None and v is not None else v)
                params.append(out)
            if copy_sql:
                with cursor.copy(copy_sql) as copy:
                    for values_out in params:
                        copy.write_row(values_out)
            else:
                cursor.executemany(sql, params)
    finally:
        cursor.close()


def _duration(rule: Any) -> dt.timedelta:
    duration: dt.timedelta = rule.duration
    return duration


_CHECK_NOTES = {
    "breach": "Нарушение предписания: правонарушитель находился по месту жительства потерпевшей.",
    "not_reached": "Правонарушитель по месту жительства не застан.",
}
RECONCILIATION_NOTES = (
    "Стороны ходатайствуют о примирении.",
    "Потерпевшая просит прекратить производство в связи с примирением.",
)


@dataclass
class _Family:
    victim: Any
    offender: Any
    child: Any | None
    relationship: str
    station: Station
    address: str
    orders: list[tuple[Any, set[int]]] = field(default_factory=list)  # (order, protected ids), by service


@dataclass
class _Planned:
    received_at: dt.datetime
    registered_at: dt.datetime
    family: _Family
    with_child: bool


class _RegionYear:
    """One region's year: families and persons, signals, parties, outcomes, orders and checks."""

    def __init__(
        self,
        ctx: _YearContext,
        f: Foundation,
        stations: list[Station],
        region: Region,
        count: int,
        targets: dict[str, int],
    ) -> None:
        self.ctx, self.f, self.stations, self.region = ctx, f, stations, region
        self.count, self.targets = count, targets
        self.rng = random.Random(f"{ctx.seed}:{ctx.year}:{region.code}")
        self.rows: dict[type[models.Model], list[_Row]] = {}
        self.offenders: list[Any] = []
        self.checks: dict[int, list[Any]] = {}
        self.station_weights = [3, *[1] * (len(stations) - 1)]  # the centre's station gets more
        self.relationships = list(RELATIONSHIPS)
        self.relationship_weights = [RELATIONSHIPS[r][0] for r in self.relationships]
        self.channels, self.channel_weights = _weighted(CHANNELS)

    def add(self, obj: _Row) -> _Row:
        model = obj.model
        obj.id = self.ctx.ids.next(model)
        self.rows.setdefault(model, []).append(obj)
        return obj

    # persons and families

    def person(
        self,
        station: Station,
        female: bool,
        ages: tuple[int, int],
        first_seen: dt.datetime,
        surname: str | None = None,
    ) -> Any:
        Person = _factory("people.Person")

        rng, store, key = self.rng, self.ctx.iins, self.ctx.name_key
        assert store is not None and key is not None
        name = random_name(rng, female=female)
        age = rng.randint(*ages)
        birth = dt.date(self.ctx.year - age, 1, 1) + dt.timedelta(days=rng.randrange(365))
        sex = "F" if female else "M"
        iin = store.new(birth, sex)
        surname = surname or name.surname
        return self.add(
            Person(
                surname=surname,
                given_name=name.given_name,
                patronymic=name.patronymic,
                birth_date=birth,
                sex=sex,
                region=self.region,
                district=station.district,
                agency=station.agency,
                created_by=station.duty_officers[0],
                created_at=first_seen,
                iin_hash=store.hash(iin),
                iin_encrypted=store.encrypt(iin),
                iin_last4=iin[-4:],
                name_key=key(surname, name.given_name, name.patronymic, "", "", ""),
            )
        )

    def family(self, first_seen: dt.datetime) -> _Family:
        Family, FamilyMember = _factory("people.Family"), _factory("people.FamilyMember")

        rng = self.rng
        station = rng.choices(self.stations, self.station_weights)[0]
        relationship = rng.choices(self.relationships, self.relationship_weights)[0]
        _w, victim_ages, offender_ages, victim_female, offender_male = RELATIONSHIPS[relationship]
        if self.offenders and rng.random() < OFFENDER_REUSE:
            offender = rng.choice(self.offenders)
        else:
            offender = self.person(station, rng.random() >= offender_male, offender_ages, first_seen)
            self.offenders.append(offender)
        victim = self.person(station, rng.random() < victim_female, victim_ages, first_seen)
        child = None
        partners = ("spouse", "former_spouse", "partner", "cohabitant")
        if relationship in partners and rng.random() < CHILD_VICTIM_SHARE:
            female = rng.random() < 0.5
            surname = None
            if offender.sex == "M":
                surname = feminine(offender.surname) if female else offender.surname
            child = self.person(station, female, (2, 16), first_seen, surname=surname)
        address = f"{rng.choice(STREETS)}, д. {rng.randint(1, 180)}, кв. {rng.randint(1, 120)}"
        family = self.add(
            Family(
                address=address,
                region=self.region,
                district=station.district,
                agency=station.agency,
                created_by=station.duty_officers[0],
                created_at=first_seen,
            )
        )
        family.code = f"FAM-{family.pk:06d}"  # as people.services.do_create_family numbers them
        self.add(FamilyMember(family=family, person=victim, relationship="head"))
        self.add(FamilyMember(family=family, person=offender, relationship=FAMILY_RELATIONSHIP[relationship]))
        if child is not None:
            self.add(FamilyMember(family=family, person=child, relationship="child"))
        return _Family(victim, offender, child, relationship, station, address)

    def moment(self) -> dt.datetime:
        """A time in the period; more reports in the evening (HOUR_WEIGHTS, local hours)."""
        rng, ctx = self.rng, self.ctx
        days = (ctx.end - ctx.start).days + 1
        hour = rng.choices(HOURS, HOUR_WEIGHTS)[0]
        at = ctx.start + dt.timedelta(days=rng.randrange(days), hours=hour, seconds=rng.randrange(3600))
        return at if at <= ctx.end else ctx.end - dt.timedelta(seconds=rng.randrange(86400))

    # the run

    def run(self, stats: YearStats) -> None:
        from qorgau.intake.models import RegistrationCounter

        rng, ctx = self.rng, self.ctx
        # 1. families, and when each of their signals came in and was registered
        planned: list[_Planned] = []
        latest = ctx.end + dt.timedelta(hours=1)  # still in the year (local), and in the past
        while len(planned) < self.count:
            k = min(repeat_count(rng), self.count - len(planned))
            times = sorted(self.moment() for _ in range(k))
            family = self.family(times[0])
            for at in times:
                registered = min(at + dt.timedelta(minutes=rng.randint(2, 40)), latest)
                with_child = family.child is not None and rng.random() < 0.6
                planned.append(_Planned(at, registered, family, with_child))
            if k > 1:
                stats.repeat_families += 1
        planned.sort(key=lambda p: (p.registered_at, p.received_at))
        # 2. registration numbers continue the region's counter for the year, in order of registration
        counter, _created = RegistrationCounter.objects.get_or_create(region=self.region, year=ctx.year)
        first_number = counter.last_value + 1
        counter.last_value += len(planned)
        counter.save(update_fields=["last_value"])
        # 3. which signals are still open; the outcome kinds of the others, exact counts, shuffled
        tail = ctx.end - dt.timedelta(days=OPEN_TAIL_DAYS)
        open_flags = [
            (p.received_at >= tail and rng.random() < OPEN_TAIL_SHARE) or rng.random() < OPEN_OVERDUE_SHARE
            for p in planned
        ]
        closed = len(planned) - sum(open_flags)
        kinds: list[str] = []
        for kind in (
            "criminal_case",
            "admin_protocol",
            "protective_order",
            "special_requirements",
            "referred",
        ):
            kinds += [kind] * max(0, min(self.targets[kind], closed - len(kinds)))
        kinds += ["no_offence"] * (closed - len(kinds))
        rng.shuffle(kinds)
        next_kind = iter(kinds)
        # 4. the signals in order of registration (orders and breaches need that order)
        for index, (plan, is_open) in enumerate(zip(planned, open_flags, strict=True)):
            self.signal(stats, first_number + index, plan, None if is_open else next(next_kind))
        self.flush(stats)

    def signal(self, stats: YearStats, number: int, plan: _Planned, kind: str | None) -> None:
        Signal, SignalParty = _factory("intake.Signal"), _factory("intake.SignalParty")

        rng, ctx, region, family = self.rng, self.ctx, self.region, plan.family
        at = plan.received_at
        station = family.station
        channel = rng.choices(self.channels, self.channel_weights)[0]
        day = timezone.localdate(at)
        fc_rule = ctx.rules.effective("first_contact", day)
        out_rule = ctx.rules.effective("outcome", day)
        if region.code == HOME_REGION and rng.random() < 0.1:
            # Some of Astana's signals are the demo users' own: their queues and lists are not empty.
            agency = self.f.agencies[(HOME_REGION, AgencyType.POLICE)]
            registrar, inspector = self.f.users["duty_officer"], self.f.users["district_inspector"]
        else:
            agency = station.agency
            registrar, inspector = rng.choice(station.duty_officers), rng.choice(station.inspectors)
        victims = [family.victim, family.child] if plan.with_child else [family.victim]
        physical = rng.random() < 0.45
        forms = {
            "form_physical": physical,
            "form_psychological": rng.random() < 0.7 or not physical,
            "form_sexual": rng.random() < 0.02,
            "form_economic": rng.random() < 0.08,
            "form_neglect": plan.with_child and rng.random() < 0.2,
        }
        reporter = family.victim if channel == "victim" else None
        anonymous = channel in ("witness", "social_media") and rng.random() < 0.3
        assigned = rng.random() < 0.7 or kind is not None
        assigned_at = plan.registered_at + dt.timedelta(minutes=rng.randint(10, 180))
        late_contact = rng.random() < LATE_CONTACT_SHARE
        contact_at = at + dt.timedelta(hours=rng.uniform(24.5, 72) if late_contact else rng.uniform(0.3, 20))
        contacted = (assigned and rng.random() < 0.6) or kind is not None
        if contact_at > ctx.now:
            contacted = False
        declined_at = at + dt.timedelta(hours=rng.uniform(1, 72))
        declined = rng.random() < VICTIM_DECLINED_SHARE and declined_at <= ctx.now
        late = rng.random() < LATE_OUTCOME_SHARE
        decided_at = at + dt.timedelta(days=rng.uniform(10.5, 40) if late else rng.uniform(0.2, 9.5))
        if kind is not None and decided_at > ctx.now:
            kind = None  # the outcome would lie in the future: still being worked
        declined_note = rng.choice(DECLINED_NOTES)
        signal = self.add(
            Signal(
                registration_number=f"{region.code}-{ctx.year}-{number:06d}",
                channel=channel,
                received_at=at,
                region=region,
                district=station.district,
                address=family.address,
                reporter=reporter,
                anonymous_reporter=anonymous,
                agency=agency,
                registered_by=registrar,
                registered_at=plan.registered_at,
                assigned_to=inspector if assigned else None,
                assigned_at=assigned_at if assigned else None,
                status="closed" if kind else ("in_progress" if assigned or contacted else "registered"),
                children_present=plan.with_child or rng.random() < 0.2,
                weapon=rng.random() < 0.04,
                injuries=physical and rng.random() < 0.45,
                alcohol_or_drugs=rng.random() < 0.35,
                account=ACCOUNTS[channel],
                victim_declined=declined,
                victim_declined_at=declined_at if declined else None,
                victim_declined_note=declined_note if declined else "",
                first_contact_due=at + _duration(fc_rule),
                first_contact_at=contact_at if contacted else None,
                outcome_due=at + _duration(out_rule),
                first_contact_rule=fc_rule,
                outcome_rule=out_rule,
                **forms,
            )
        )
        stats.signals += 1
        victim_ids = {v.pk for v in victims}
        for v in victims:
            self.add(SignalParty(signal=signal, person=v, role="victim"))
        offender = family.offender
        self.add(
            SignalParty(signal=signal, person=offender, role="offender", relationship=family.relationship)
        )
        if reporter is not None:
            self.add(SignalParty(signal=signal, person=reporter, role="reporter"))
        # A breach: an order of this family against this offender, in force now, protecting these victims.
        for order, protected in reversed(family.orders):
            if order.offender_id == offender.pk and order.served_at <= at < order.expires_at:
                if protected <= victim_ids:
                    signal.breach_of_id = order.id
                    stats.breaches += 1
                    self.breach_check(order, at)
                break
        if kind is None:
            stats.open += 1
            return
        needs_order = (
            kind == "protective_order"
            or (kind == "admin_protocol" and rng.random() < ORDER_WITH_PROTOCOL)
            or (kind == "criminal_case" and rng.random() < ORDER_WITH_CASE)
        )
        if needs_order:
            served_at = at + dt.timedelta(hours=rng.uniform(1, 20))
            if served_at <= ctx.now:
                order = self.order(signal, number, family, victims, inspector, served_at)
                family.orders.append((order, victim_ids))
                decided_at = max(decided_at, served_at + dt.timedelta(hours=1))
            elif kind == "protective_order":
                kind = "no_offence"
        self.outcome(stats, signal, number, kind, decided_at, inspector)
        if kind == "admin_protocol" and rng.random() < RECONCILIATION_SHARE:
            ctx.reconcile.append((signal.pk, offender.pk, inspector.pk, decided_at))

    def outcome(
        self, stats: YearStats, signal: Any, number: int, kind: str, decided_at: dt.datetime, inspector: User
    ) -> None:
        Outcome = _factory("intake.Outcome")

        rng, ctx, code = self.rng, self.ctx, self.region.code
        values: dict[str, Any] = {}
        if kind == "criminal_case":
            articles = (
                CRIMINAL_ARTICLES_FROM_2024 if decided_at.year >= 2024 else CRIMINAL_ARTICLES_BEFORE_2024
            )
            values = {
                "article": rng.choice(articles),
                "part": rng.choice(("1", "2")),
                "case_number": f"{ctx.year % 100:02d}{code[3:5]}71{number:09d}",
            }
        elif kind == "admin_protocol":
            parts, weights = _weighted(ADMIN_PARTS)
            part = rng.choices(parts, weights)[0]
            breach = getattr(signal, "breach_of_id", None) is not None
            values = {
                "article": BREACH_ARTICLE if breach else "73",
                "part": "1" if breach else part,
                "case_number": f"AP-{code}-{ctx.year}-{number:06d}",
            }
        elif kind == "special_requirements":
            values = {
                "referred_agency": self.f.agencies[(code, AgencyType.COURT)],
                "details": rng.choice(SPECIAL_REQUIREMENTS),
            }
        elif kind == "referred":
            target = rng.choice(
                (AgencyType.CRISIS_CENTRE, AgencyType.FAMILY_SUPPORT, AgencyType.AKIMAT, AgencyType.HEALTH)
            )
            values = {"referred_agency": self.f.agencies[(code, target)]}
        elif kind == "no_offence":
            values = {"reason": rng.choice(NO_OFFENCE_REASONS)}
        recorded_at = min(decided_at + dt.timedelta(minutes=rng.randint(5, 120)), ctx.now)
        outcome = self.add(
            Outcome(
                signal=signal,
                kind=kind,
                decided_at=decided_at,
                recorded_by=inspector,
                recorded_at=recorded_at,
                **values,
            )
        )
        signal.outcome_id = outcome.id
        signal.closed_at = recorded_at
        stats.outcomes[kind] = stats.outcomes.get(kind, 0) + 1

    def order(
        self,
        signal: Any,
        number: int,
        family: _Family,
        victims: list[Any],
        inspector: User,
        served_at: dt.datetime,
    ) -> Any:
        from qorgau.intake.models import ProtectiveOrder as OrderModel
        from qorgau.intake.services.orders import check_schedule

        ProtectiveOrder, ComplianceCheck = (
            _factory("intake.ProtectiveOrder"),
            _factory("intake.ComplianceCheck"),
        )

        rng, ctx = self.rng, self.ctx
        day = timezone.localdate(served_at)
        validity = ctx.rules.effective("protective_order_validity", day)
        interval = ctx.rules.effective("compliance_check_interval", day)
        order = self.add(
            ProtectiveOrder(
                signal=signal,
                offender=family.offender,
                number=f"PO-{self.region.code[3:]}-{ctx.year}-{number:06d}",
                served_at=served_at,
                expires_at=served_at + _duration(validity),
                validity_rule=validity,
                check_interval_rule=interval,
                status="active",
                issued_by=inspector,
                created_at=min(served_at + dt.timedelta(minutes=30), ctx.now),
            )
        )
        through = _factory(OrderModel.victims.through._meta.label)
        for v in victims:
            self.add(through(protectiveorder_id=order.pk, person_id=v.pk))
        results, weights = _weighted(CHECK_RESULTS)
        checks = []
        for due in check_schedule(order.served_at, order.expires_at, _duration(interval)):
            done_at = max(due - dt.timedelta(hours=rng.uniform(0, 36)), served_at + dt.timedelta(hours=1))
            result = rng.choices(results, weights)[0]
            done = done_at <= ctx.now
            checks.append(
                self.add(
                    ComplianceCheck(
                        order=order,
                        due_at=due,
                        done_at=done_at if done else None,
                        done_by=inspector if done else None,
                        result=result if done else "",
                        notes=_CHECK_NOTES.get(result, "") if done else "",
                    )
                )
            )
        self.checks[order.pk] = checks
        return order

    def breach_check(self, order: Any, at: dt.datetime) -> None:
        """The first check due after a breach records it, done when the breach was reported."""
        done_at = min(at + dt.timedelta(hours=2), self.ctx.now)
        for check in self.checks.get(order.pk, []):
            if check.due_at >= at:
                check.done_at, check.result, check.notes = done_at, "breach", _CHECK_NOTES["breach"]
                check.done_by_id = check.done_by_id or order.issued_by_id
                return

    def flush(self, stats: YearStats) -> None:
        from qorgau.intake.models import ComplianceCheck, Outcome, ProtectiveOrder, Signal, SignalParty
        from qorgau.people.models import Family, FamilyMember, Person

        # Signal.outcome and Outcome.signal point at each other: foreign keys are checked at commit
        # (DEFERRABLE INITIALLY DEFERRED on SQLite and PostgreSQL): this order works in the transaction.
        models_in_order: list[type[models.Model]] = [
            Person,
            Family,
            FamilyMember,
            Signal,
            SignalParty,
            ProtectiveOrder,
            ProtectiveOrder.victims.through,
            ComplianceCheck,
            Outcome,
        ]
        for model in models_in_order:
            rows = self.rows.pop(model, [])
            insert_rows(model, rows, batch_size=self.ctx.batch_size)
            if model is Person:
                stats.persons += len(rows)
            elif model is Family:
                stats.families += len(rows)
            elif model is SignalParty:
                stats.parties += len(rows)
            elif model is ProtectiveOrder:
                stats.protective_orders += len(rows)
            elif model is ComplianceCheck:
                stats.compliance_checks += len(rows)


def _reconciliations(ctx: _YearContext) -> int:
    """Requests to reconcile, decided by the real guard on the data just written (so always consistent)."""
    from qorgau.intake.models import ReconciliationDecision, Signal, as_local_date
    from qorgau.intake.reconciliation import decide_reconciliation
    from qorgau.people.models import Person

    if not ctx.reconcile:
        return 0
    rng = random.Random(f"{ctx.seed}:{ctx.year}:reconciliation")
    signals = Signal.objects.in_bulk([s for s, _o, _u, _d in ctx.reconcile])
    persons = Person.objects.in_bulk([o for _s, o, _u, _d in ctx.reconcile])
    rows = []
    for signal_id, offender_id, user_id, decided_at in ctx.reconcile:
        signal = signals[signal_id]
        verdict = decide_reconciliation(signal, persons[offender_id], signal.received_at)
        requested_at = signal.received_at + (decided_at - signal.received_at) * rng.uniform(0.2, 0.9)
        rows.append(
            ReconciliationDecision(
                signal=signal,
                offender_id=offender_id,
                requested_at=requested_at,
                law_date=as_local_date(signal.received_at),
                decided_by_id=user_id,
                allowed=verdict.allowed,
                rule_set=verdict.rule_set,
                rule=verdict.rule,
                rule_code=verdict.rule_code,
                explanation=verdict.explanation,
                request_note=rng.choice(RECONCILIATION_NOTES),
            )
        )
    ReconciliationDecision.objects.bulk_create(rows, batch_size=ctx.batch_size)
    return len(rows)
