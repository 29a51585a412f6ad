"""The portal's demo data: the help page's content in three languages, and a year of prevention
activities in every region (school hours each term, media and social-network campaigns, the 16 days of
activism, community events and trainings), with plausible reach. Bulk-created; one audit event
(`demo.portal`)."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from typing import Any

from qorgau.core.audit import record
from qorgau.core.models import Agency, AgencyType, District, Region, User
from qorgau.portal.models import Activity, ActivityKind, Audience, HelpPage, ReachUnit
from qorgau.portal.services import do_publish_page

from .content import PAGES

# (kind, audience, reach unit, reach range, days, titles)
SCHOOL = (ActivityKind.SCHOOL_HOUR, Audience.PUPILS, ReachUnit.PUPILS, (60, 900), 1)
MEDIA = (ActivityKind.MEDIA, Audience.PUBLIC, ReachUnit.VIEWS, (20_000, 400_000), 21)
SOCIAL = (ActivityKind.SOCIAL, Audience.YOUTH, ReachUnit.VIEWS, (5_000, 250_000), 14)
COMMUNITY = (ActivityKind.COMMUNITY, Audience.PARENTS, ReachUnit.PARTICIPANTS, (30, 400), 1)
TRAINING = (ActivityKind.TRAINING, Audience.PROFESSIONALS, ReachUnit.PARTICIPANTS, (15, 80), 2)
TITLES = {
    ActivityKind.SCHOOL_HOUR: ["Respect in the family", "Saying no to violence", "Who to call: 111 and 150"],
    ActivityKind.MEDIA: ["Silence is not the norm", "Home should be safe"],
    ActivityKind.SOCIAL: ["#StopViolence", "Tell someone you trust"],
    ActivityKind.COMMUNITY: ["Parents' meeting on family safety", "Mahalla evening: a home without fear"],
    ActivityKind.TRAINING: ["Recognising violence: for teachers", "First contact with a victim: for police"],
}
ORGANISERS = {
    ActivityKind.SCHOOL_HOUR: "Department of education",
    ActivityKind.MEDIA: "Akimat press service",
    ActivityKind.SOCIAL: "Youth resource centre",
    ActivityKind.COMMUNITY: "Family support centre",
    ActivityKind.TRAINING: "Regional police department",
}


def load_content(progress: Callable[[str], None]) -> int:
    if HelpPage.objects.exists():
        progress("Help page content: skipped, already present.")
        return 0
    for page in PAGES:
        do_publish_page(
            actor=None,
            slug=str(page["slug"]),
            titles=page["title"],  # type: ignore[arg-type]
            bodies=page["body"],  # type: ignore[arg-type]
            order=int(page["order"]),  # type: ignore[call-overload]
            published_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        )
    progress(f"Help page content: {len(PAGES)} pages in kk, ru and en.")
    return len(PAGES)


def _plan(rng: random.Random, year: int, region: Region, districts: list[District]) -> list[dict[str, Any]]:
    """Two regions in five run no term campaign of school hours (the comparison the evaluation needs)."""
    rows: list[dict[str, Any]] = []
    quiet = rng.random() < 0.4

    def add(spec: tuple[Any, ...], start: dt.date, district: District | None) -> None:
        kind, audience, unit, (low, high), days = spec
        rows.append(
            {
                "kind": kind,
                "title": rng.choice(TITLES[kind]),
                "region": region,
                "district": district,
                "starts_on": start,
                "ends_on": start + dt.timedelta(days=days - 1),
                "organiser": ORGANISERS[kind],
                "audience": audience,
                "reach": rng.randint(low, high),
                "reach_unit": unit,
                "materials": "Lesson plan and leaflet (kk, ru); hotline posters with QR code",
            }
        )

    # The 16 days of activism against gender-based violence, 25 November to 10 December, everywhere.
    add((*MEDIA[:4], 16), dt.date(year, 11, 25), None)
    if not quiet:
        for month in (2, 4, 10):  # school hours in term time, in several districts
            for district in rng.sample(districts, min(len(districts), 3)) if districts else [None]:
                add(SCHOOL, dt.date(year, month, rng.randint(3, 26)), district)
        add(SOCIAL, dt.date(year, rng.choice([3, 5, 9]), rng.randint(1, 14)), None)
    for _ in range(rng.randint(1, 3)):
        add(
            COMMUNITY,
            dt.date(year, rng.randint(1, 12), rng.randint(1, 27)),
            rng.choice(districts) if districts else None,
        )
    add(TRAINING, dt.date(year, rng.choice([1, 6, 8]), rng.randint(5, 20)), None)
    return rows


def generate_activities(*, year: int, seed: int, progress: Callable[[str], None]) -> int:
    """A year of activities in every region (skipped when that year has some)."""
    if Activity.objects.filter(starts_on__year=year).exists():
        progress(f"Prevention activities {year}: skipped, already present.")
        return 0
    started = time.perf_counter()
    rng = random.Random(f"{seed}:portal:{year}")
    recorder = (
        User.objects.filter(username="demo.district_social_worker").first()
        or User.objects.filter(is_superuser=False, is_active=True).order_by("id").first()
    )
    if recorder is None:
        return 0
    districts: dict[int, list[District]] = {}
    for district in District.objects.order_by("id"):
        districts.setdefault(district.region_id, []).append(district)
    akimats = {
        a.region_id: a
        for a in Agency.objects.filter(type=AgencyType.AKIMAT, district__isnull=True).order_by("-id")
    }
    rows: list[Activity] = []
    for region in Region.objects.order_by("code"):
        agency = akimats.get(region.pk) or recorder.agency
        if agency is None:
            continue
        plan = sorted(_plan(rng, year, region, districts.get(region.pk, [])), key=lambda r: r["starts_on"])
        for number, values in enumerate(plan, start=1):
            code = f"PA-{region.code.removeprefix('KZ-')}-{year}-{number:05d}"
            rows.append(Activity(code=code, agency=agency, created_by=recorder, **values))
    Activity.objects.bulk_create(rows, batch_size=500)
    record(
        actor=None,
        username="manage.py demo",
        action="demo.portal",
        changes={"portal_activities": {"old": None, "new": len(rows)}, "year": {"old": None, "new": year}},
    )
    progress(f"Prevention activities {year}: {len(rows)} in {time.perf_counter() - started:.1f} s.")
    return len(rows)
