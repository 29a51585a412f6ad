# ruff: noqa: RUF001  (Russian texts are the data here, not look-alike Latin letters)
"""The calibration of the national demo year: signals per region, outcomes per 100,000 signals, shares,
channels, relationships and the texts of the demo rows, with the plain helpers that apportion them.

The figures are demo data, not statistics: documented assumptions that make the demo look like the
brief, to be replaced by real figures where they exist.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

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
# Special requirements (about 2% of signals) accompany an administrative protocol (about 35% of signals).
SPECIAL_WITH_PROTOCOL = 0.06
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
# An order without a protocol or a case: preventive, the decisive outcome is "no offence found".
PREVENTIVE_ORDER_REASON = (
    "Состава правонарушения не установлено; вынесено защитное предписание в целях профилактики."
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
CHECK_NOTES = {
    "breach": "Нарушение предписания: правонарушитель находился по месту жительства потерпевшей.",
    "not_reached": "Правонарушитель по месту жительства не застан.",
}
RECONCILIATION_NOTES = (
    "Стороны ходатайствуют о примирении.",
    "Потерпевшая просит прекратить производство в связи с примирением.",
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


def weighted(pairs: Sequence[tuple[str, int]]) -> tuple[list[str], list[int]]:
    return [k for k, _w in pairs], [w for _k, w in pairs]
