"""The demo placements' world: the network's capacities, facilities and managers, and the year's cases that
need a place, loaded in bulk for the replay in placements.py."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from .bulk import Row
from .calibration import STAFF_PREFIX
from .placements_calibration import (
    CHILDREN_COUNT,
    DISABILITY_SHARE,
    FAMILY_STAY_DAYS,
    FAMILY_STAY_SHARE,
    LONG_STAY_DAYS,
    LONG_STAY_SHARE,
    STAY_MEDIAN_DAYS,
    STAY_SIGMA,
    WITH_CHILDREN_SHARE,
)

H = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
TYPES = ("crisis_centre", "family_support", "adaptation_centre")
DEMO_PREFIXES = (STAFF_PREFIX, "demo.")
SPILL_DAYS = 120  # the year's cases opened early next year (self-referrals come weeks after the signal)


@dataclass
class _Cap:
    id: int
    facility: int
    beds: int
    vacant: int
    held: int = 0


@dataclass
class _Facility:
    id: int
    agency: int
    region: int
    type: str
    manager: int
    caps: dict[str, _Cap] = field(default_factory=dict)


@dataclass
class _Case:
    id: int
    agency: int
    worker: int
    victim: int
    opened: dt.datetime
    closed: dt.datetime | None
    type: str
    place_type: str
    kids: list[dict[str, Any]]
    stay_days: float
    waiting: Row | None = None
    attempts: int = 0

    @property
    def places(self) -> int:
        return 1 + len(self.kids)


class _Loader:
    """What `_Year` loads before the replay (facilities, capacities, managers, the cases needing a place)."""

    year: int
    seed: int
    stats: Any  # placements.PlacementStats
    start: dt.datetime
    end: dt.datetime

    def _load(self) -> None:
        from qorgau.cases.models import ReferralPurpose
        from qorgau.facilities.models import Capacity, Facility, StayRule

        facilities = list(Facility.objects.filter(type__in=TYPES, is_active=True).order_by("id"))
        managers = self._managers(facilities)
        self.facilities: dict[int, _Facility] = {
            f.pk: _Facility(f.pk, f.agency_id, f.region_id, f.type, managers[f.pk]) for f in facilities
        }
        for c in Capacity.objects.filter(facility__in=facilities).order_by("id"):
            self.facilities[c.facility_id].caps[c.place_type] = _Cap(c.pk, c.facility_id, c.beds, c.beds)
        self.by_agency = {f.agency: f for f in self.facilities.values()}
        self.crisis_by_region: dict[int, list[_Facility]] = {}
        self.adaptation_by_region: dict[int, list[_Facility]] = {}
        for f in self.facilities.values():
            if f.type == "crisis_centre":
                self.crisis_by_region.setdefault(f.region, []).append(f)
            elif f.type == "adaptation_centre":
                self.adaptation_by_region.setdefault(f.region, []).append(f)
        self.rules = list(StayRule.objects.filter(facility_type__in=TYPES).order_by("-effective_from"))
        self.purpose = ReferralPurpose.objects.get(code="shelter")
        self.consent_days: dict[dt.date, int] = {}
        from django.contrib.contenttypes.models import ContentType

        from qorgau.cases.models import Case

        self.case_type = ContentType.objects.get_for_model(Case).pk

    def _managers(self, facilities: list[Any]) -> dict[int, int]:
        """A facility manager of each facility's agency (created when there is none)."""
        from django.contrib.auth.hashers import make_password

        from qorgau.core.models import Role, User
        from qorgau.core.permissions import Scope

        from ..foundation import DEMO_PASSWORD

        role = Role.objects.get(slug="facility_manager")
        have: dict[int, int] = {}
        for agency, pk in (
            User.objects.filter(role=role, agency__in=[f.agency_id for f in facilities], is_active=True)
            .order_by("-username", "id")  # staff.* before demo.*: the demo manager's own stays too
            .values_list("agency_id", "id")
        ):
            have.setdefault(agency, pk)
        missing = [f for f in facilities if f.agency_id not in have]
        if missing:
            password = make_password(DEMO_PASSWORD)
            User.objects.bulk_create(
                [
                    User(
                        username=f"{STAFF_PREFIX}fac{f.pk}.manager",
                        first_name="Manager",
                        last_name=f"FAC-{f.pk:04d}",
                        email=f"{STAFF_PREFIX}fac{f.pk}.manager@demo.qorgau.invalid",
                        agency_id=f.agency_id,
                        role=role,
                        scope=Scope.AGENCY,
                        is_active=True,
                        password=password,
                    )
                    for f in missing
                ]
            )
            self.stats.managers = len(missing)
            for agency, pk in User.objects.filter(
                username__in=[f"{STAFF_PREFIX}fac{f.pk}.manager" for f in missing]
            ).values_list("agency_id", "id"):
                have[agency] = pk
        return {f.pk: have[f.agency_id] for f in facilities}

    def _cases(self) -> list[_Case]:
        from django.db.models import Q

        from qorgau.cases.models import Case, CaseChild
        from qorgau.facilities.models import Placement

        demo = Q()
        for prefix in DEMO_PREFIXES:
            demo |= Q(opened_by__username__startswith=prefix)
        rows = list(
            Case.objects.filter(demo, agency_id__in=list(self.by_agency))
            .filter(opened_at__gte=self.start, opened_at__lt=self.end + DAY * SPILL_DAYS)
            .exclude(pk__in=Placement.objects.values("case_id"))
            .order_by("opened_at", "id")
            .values_list(
                "id",
                "agency_id",
                "assigned_to_id",
                "victim_id",
                "opened_at",
                "closed_at",
                "victim__sex",
                "victim__birth_date",
            )
        )
        kids: dict[int, list[tuple[dt.date | None, str]]] = {}
        for case, birth, sex in CaseChild.objects.filter(case_id__in=[r[0] for r in rows]).values_list(
            "case_id", "person__birth_date", "person__sex"
        ):
            kids.setdefault(case, []).append((birth, sex))
        out = []
        for pk, agency, worker, victim, opened, closed, sex, birth in rows:
            rng = random.Random(f"{self.seed}:{self.year}:placement:{pk}")
            type_ = self.by_agency[agency].type
            if type_ not in ("crisis_centre", "family_support"):
                continue
            self.stats.crisis_cases += type_ == "crisis_centre"
            if type_ == "family_support" and rng.random() >= FAMILY_STAY_SHARE:
                continue
            day = opened.date()
            minor = birth is not None and _age(birth, day) < 18
            if sex == "M" and not minor and type_ == "family_support":
                continue
            children = []
            if not minor and sex != "M" and (type_ == "family_support" or rng.random() < WITH_CHILDREN_SHARE):
                children = [
                    {"age": _age(b, day), "sex": s if s in ("F", "M") else ""}
                    for b, s in kids.get(pk, [])
                    if b is not None and 0 <= _age(b, day) < 18
                ]
                if not children and type_ == "crisis_centre":  # with her, but not registered in the case
                    n = rng.choices([c for c, _w in CHILDREN_COUNT], [w for _c, w in CHILDREN_COUNT])[0]
                    children = [{"age": rng.randint(0, 15), "sex": rng.choice("FM")} for _ in range(n)]
            if sex == "M" and not minor:
                place_type = "men"  # no men's places at crisis centres: the adaptation centre's
            elif minor:
                place_type = "minors"
            elif children:
                place_type = "women_children"
            else:
                place_type = "disability" if rng.random() < DISABILITY_SHARE else "women"
            pool = [own] if (own := self.by_agency[agency]).type != "crisis_centre" else None
            if place_type == "men":
                pool = self.adaptation_by_region.get(own.region, [])
            if place_type not in {t for f in pool or self.crisis_by_region[own.region] for t in f.caps}:
                place_type = "women_children" if children else "women"  # no such places in the region
            if place_type not in own.caps and type_ == "family_support":
                continue
            if type_ == "family_support":
                stay = rng.uniform(*FAMILY_STAY_DAYS)
            elif rng.random() < LONG_STAY_SHARE:
                stay = rng.uniform(*LONG_STAY_DAYS)
            else:
                stay = max(1.0, math.exp(rng.gauss(math.log(STAY_MEDIAN_DAYS), STAY_SIGMA)))
            out.append(
                _Case(pk, agency, worker, victim, opened, closed, type_, place_type, children[:8], stay)
            )
        return out

    # the replay -----------------------------------------------------------------------------------------


def _age(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone()).astimezone(dt.UTC)
