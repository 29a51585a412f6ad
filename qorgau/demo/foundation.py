"""The foundation of the demo data set: districts, agencies and one demo user per role.

Every function here is idempotent (rows are found by their natural key: district code, agency name and
region, username) and deterministic for a seed, so a second run with the same seed changes nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from qorgau.core.models import Agency, AgencyType, District, Region, Role, User
from qorgau.core.permissions import Scope
from qorgau.core.roles import default_roles

from .geography import DISTRICTS, district_code
from .names import random_name

# Demo only: printed by `demo` and `demo_logins`, refused in production (DEMO_MODE must be on).
DEMO_PASSWORD = "qorgau-demo-2026"  # noqa: S105
DEMO_USERNAME_PREFIX = "demo."
DEMO_EMAIL_DOMAIN = "demo.qorgau.invalid"
HOME_REGION = "KZ-71"  # Astana: where the regional demo users work

# Agencies every region has (besides the police department and its district stations): type, name (the
# official name, in English: the key), short name, and the names in Russian and Kazakh. {label}, {ru} and
# {kk} are the region's names.
REGIONAL_AGENCIES: list[tuple[AgencyType, str, str, str, str]] = [
    (
        AgencyType.CRISIS_CENTRE,
        "{label} Crisis Centre",
        "crisis centre",
        "Кризисный центр, {ru}",
        "{kk} дағдарыс орталығы",
    ),
    (
        AgencyType.FAMILY_SUPPORT,
        "{label} Family Support Centre",
        "family support",
        "Центр поддержки семьи, {ru}",
        "{kk} отбасын қолдау орталығы",
    ),
    (
        AgencyType.ADAPTATION_CENTRE,
        "{label} Temporary Adaptation Centre",
        "adaptation centre",
        "Центр временной адаптации, {ru}",
        "{kk} уақытша бейімдеу орталығы",
    ),
    (
        AgencyType.DRUG_TREATMENT,
        "{label} Drug Treatment Centre",
        "drug treatment",
        "Центр лечения зависимостей, {ru}",
        "{kk} тәуелділікті емдеу орталығы",
    ),
    (
        AgencyType.AKIMAT,
        "{label} Akimat Department of Social Protection",
        "social protection",
        "Управление социальной защиты акимата, {ru}",
        "{kk} әкімдігінің әлеуметтік қорғау басқармасы",
    ),
    (
        AgencyType.HEALTH,
        "{label} Multidisciplinary Hospital",
        "hospital",
        "Многопрофильная больница, {ru}",
        "{kk} көпсалалы ауруханасы",
    ),
    (
        AgencyType.EDUCATION,
        "{label} Education Department",
        "education",
        "Управление образования, {ru}",
        "{kk} білім басқармасы",
    ),
    (
        AgencyType.NGO,
        "{label} Women's Support Centre (NGO)",
        "NGO",
        "Центр поддержки женщин (НПО), {ru}",
        "{kk} әйелдерді қолдау орталығы (ҮЕҰ)",
    ),
    (
        AgencyType.COURT,
        "{label} Specialised Administrative Court",
        "court",
        "Специализированный административный суд, {ru}",
        "{kk} мамандандырылған әкімшілік соты",
    ),
    (
        AgencyType.PROSECUTOR,
        "{label} Prosecutor's Office",
        "prosecutor",
        "Прокуратура, {ru}",
        "{kk} прокуратурасы",
    ),
]

NATIONAL_AGENCIES: list[tuple[AgencyType, str, str, str, str]] = [
    (
        AgencyType.MINISTRY,
        "Ministry of Internal Affairs",
        "MIA",
        "Министерство внутренних дел",
        "Ішкі істер министрлігі",
    ),
    (
        AgencyType.MINISTRY,
        "Ministry of Labour and Social Protection of the Population",
        "MLSPP",
        "Министерство труда и социальной защиты населения",
        "Еңбек және халықты әлеуметтік қорғау министрлігі",
    ),
    (
        AgencyType.MINISTRY,
        "Ministry of Information and Social Development",
        "MISD",
        "Министерство информации и общественного развития",
        "Ақпарат және қоғамдық даму министрлігі",
    ),
    (
        AgencyType.MINISTRY,
        "Ministry of Health",
        "MoH",
        "Министерство здравоохранения",
        "Денсаулық сақтау министрлігі",
    ),
    (
        AgencyType.MINISTRY,
        "Ministry of Education",
        "MoE",
        "Министерство просвещения",
        "Оқу-ағарту министрлігі",
    ),
    (AgencyType.MINISTRY, "Ministry of Justice", "MoJ", "Министерство юстиции", "Әділет министрлігі"),
    (
        AgencyType.PROSECUTOR,
        "Prosecutor General's Office",
        "GPO",
        "Генеральная прокуратура",
        "Бас прокуратура",
    ),
    (AgencyType.COURT, "Supreme Court", "Supreme Court", "Верховный суд", "Жоғарғы Сот"),
]

# Where each role's demo user works: an agency type in Astana, or a ministry (by short name) for national
# roles. Roles not listed here (added later by an administrator) get no demo user.
ROLE_PLACEMENT: dict[str, tuple[AgencyType, str]] = {
    "duty_officer": (AgencyType.POLICE, ""),
    "district_inspector": (AgencyType.POLICE, ""),
    "case_worker": (AgencyType.CRISIS_CENTRE, ""),
    "psychologist": (AgencyType.CRISIS_CENTRE, ""),
    "lawyer": (AgencyType.NGO, ""),
    "doctor": (AgencyType.HEALTH, ""),
    "facility_manager": (AgencyType.CRISIS_CENTRE, ""),
    "district_social_worker": (AgencyType.AKIMAT, ""),
    "conference_chair": (AgencyType.AKIMAT, ""),
    "analyst": (AgencyType.AKIMAT, ""),
    "agency_admin": (AgencyType.POLICE, ""),
    "auditor": (AgencyType.PROSECUTOR, ""),
    "system_admin": (AgencyType.MINISTRY, "MIA"),
    "narcologist": (AgencyType.HEALTH, ""),
    "programme_provider": (AgencyType.FAMILY_SUPPORT, ""),
}

Progress = Callable[[str], None]


class MissingReferenceData(Exception):
    """The regions or roles the demo data needs are not loaded (`manage.py load_reference`)."""


def _quiet(_message: str) -> None:
    pass


def region_label(region: Region) -> str:
    """'Astana City' for a city of republican significance, 'Abai Region' for an oblast."""
    return f"{region.name_en} City" if region.is_city else region.name_en


def demo_username(role_slug: str) -> str:
    return f"{DEMO_USERNAME_PREFIX}{role_slug}"


@dataclass
class Foundation:
    """What the foundation step made, for the steps after it (persons, later domains)."""

    regions: dict[str, Region] = field(default_factory=dict)
    districts: dict[str, list[District]] = field(default_factory=dict)
    # (region code or "", agency type) -> the region's main agency of that type; national ones by short name.
    agencies: dict[tuple[str, str], Agency] = field(default_factory=dict)
    police_stations: dict[str, list[Agency]] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)  # role slug -> demo user


def create_districts(f: Foundation, progress: Progress = _quiet) -> None:
    created = 0
    for code, region in f.regions.items():
        rows = []
        for index, (name_en, name_ru, name_kk) in enumerate(DISTRICTS[code], start=1):
            district, was_created = District.objects.update_or_create(
                code=district_code(code, index),
                defaults={"region": region, "name_en": name_en, "name_ru": name_ru, "name_kk": name_kk},
            )
            created += was_created
            rows.append(district)
        f.districts[code] = rows
    total = sum(len(rows) for rows in f.districts.values())
    progress(f"Districts: {total} in {len(f.districts)} regions ({created} new).")


def _agency(
    name: str, type_: AgencyType, short_name: str, region: Region | None, **extra: object
) -> tuple[Agency, bool]:
    return Agency.objects.update_or_create(
        name=name, region=region, defaults={"type": type_, "short_name": short_name[:60], **extra}
    )


def create_agencies(f: Foundation, progress: Progress = _quiet) -> None:
    created = count = 0
    for type_, name, short, name_ru, name_kk in NATIONAL_AGENCIES:
        agency, was_created = _agency(
            name, type_, short, None, name_en=name, name_ru=name_ru, name_kk=name_kk
        )
        f.agencies[("", short)] = agency
        created += was_created
        count += 1
    for code, region in f.regions.items():
        label = region_label(region)
        police, was_created = _agency(
            f"{label} Police Department",
            AgencyType.POLICE,
            f"{label} police",
            region,
            name_en=f"{label} Police Department",
            name_ru=f"Департамент полиции, {region.name_ru}",
            name_kk=f"{region.name_kk} полиция департаменті",
        )
        f.agencies[(code, AgencyType.POLICE)] = police
        created += was_created
        count += 1
        stations = []
        for district in f.districts[code]:
            station, was_created = _agency(
                f"{district.name_en} Police Station",
                AgencyType.POLICE,
                f"{district.name_en} police",
                region,
                district=district,
                parent=police,
                name_en=f"{district.name_en} Police Station",
                name_ru=f"Отдел полиции, {district.name_ru}",
                name_kk=f"{district.name_kk} полиция бөлімі",
            )
            stations.append(station)
            created += was_created
            count += 1
        f.police_stations[code] = stations
        for type_, pattern, short, pattern_ru, pattern_kk in REGIONAL_AGENCIES:
            name = pattern.format(label=label)
            agency, was_created = _agency(
                name,
                type_,
                f"{label} {short}",
                region,
                name_en=name,
                name_ru=pattern_ru.format(ru=region.name_ru),
                name_kk=pattern_kk.format(kk=region.name_kk),
            )
            f.agencies[(code, type_)] = agency
            created += was_created
            count += 1
    progress(f"Agencies: {count} (national and in all {len(f.regions)} regions; {created} new).")


def placement(f: Foundation, slug: str) -> Agency:
    type_, national_short = ROLE_PLACEMENT[slug]
    if national_short:
        return f.agencies[("", national_short)]
    return f.agencies[(HOME_REGION, type_)]


def create_users(f: Foundation, *, seed: int, progress: Progress = _quiet) -> None:
    """One demo user per default role, with the role's default scope; 'regions' means Astana."""
    rng = random.Random(f"{seed}:users")
    defaults = default_roles()
    roles = {role.slug: role for role in Role.objects.filter(slug__in=defaults)}
    # Argon2 costs about a second per hash on a busy machine: hash the shared demo password once. The
    # accounts then share a salt too, which matters nothing for a password printed on the console.
    password = make_password(DEMO_PASSWORD)
    created = 0
    for slug, default in defaults.items():
        default_scope = default.scope
        if slug not in ROLE_PLACEMENT or slug not in roles:
            continue
        name = random_name(rng, female=rng.random() < 0.5)
        is_admin = slug == "system_admin"
        user, was_created = User.objects.update_or_create(
            username=demo_username(slug),
            defaults={
                "first_name": name.given_name,
                "last_name": name.surname,
                "email": f"{slug.replace('_', '.')}@{DEMO_EMAIL_DOMAIN}",
                "agency": placement(f, slug),
                "role": roles[slug],
                "scope": Scope(default_scope),
                "is_active": True,
                "is_staff": is_admin,
                "is_superuser": is_admin,
                "password": password,
            },
        )
        if default_scope == Scope.REGIONS:
            user.scope_regions.set([f.regions[HOME_REGION]])
        else:
            user.scope_regions.clear()
        f.users[slug] = user
        created += was_created
    progress(f"Demo users: {len(f.users)}, one per role ({created} new).")


def build_foundation(*, seed: int, progress: Progress = _quiet) -> Foundation:
    """Districts, agencies and demo users. Needs the 20 regions and the default roles (load_reference)."""
    f = Foundation(regions={region.code: region for region in Region.objects.order_by("code")})
    missing = sorted(set(DISTRICTS) - set(f.regions))
    if missing:
        raise MissingReferenceData(f"Regions missing (run `manage.py load_reference`): {', '.join(missing)}")
    f.regions = {code: f.regions[code] for code in DISTRICTS}
    create_districts(f, progress)
    create_agencies(f, progress)
    create_users(f, seed=seed, progress=progress)
    return f


def demo_users() -> list[User]:
    """The demo users in the order of the default roles."""
    order = {slug: i for i, slug in enumerate(default_roles())}
    users = User.objects.filter(username__startswith=DEMO_USERNAME_PREFIX).select_related("role", "agency")
    return sorted(users, key=lambda u: (order.get(u.role.slug if u.role else "", len(order)), u.username))
