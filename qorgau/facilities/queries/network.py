"""The facilities domain's own reads: the register, the secret address, the vacancy search, the work queues
and the network manager's figures.

The secret address (DOMAIN.md 8.11) leaves the database in clear only through `reveal_address`, for the
facility's own staff and for a case worker whose request to that facility was accepted (or whose case's
victim is placed there now). Every other read returns counts, names of places and distances, never it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from qorgau.cases.models import Case
from qorgau.core.audit import record
from qorgau.core.models import Region
from qorgau.core.permissions import has_action, in_scope

from ..models import (
    STALE_AFTER,
    Accessibility,
    BedHold,
    Capacity,
    DeclineReason,
    Facility,
    FacilityType,
    Language,
    Placement,
    PlacementRequest,
    PlaceType,
    RequestStatus,
    Settlement,
    WaitingEntry,
)
from ..secret import decrypt_address

# --- the facility's own staff, the register -----------------------------------------------------------


def staff_facility(user: Any) -> Facility | None:
    """The facility the user works at as its staff (facilities.change at the agency that runs it)."""
    if not has_action(user, "facilities.change") or user.agency_id is None:
        return None
    facility = Facility.objects.select_related("agency", "region", "settlement").filter(agency=user.agency_id)
    return in_scope(facility, Facility.scope_paths, user).first()


def register(user: Any) -> QuerySet[Facility]:
    """The facilities an administrator keeps (facilities.register, their scope). No address."""
    if not has_action(user, "facilities.register"):
        return Facility.objects.none()
    rows = Facility.objects.select_related("agency", "region", "settlement").prefetch_related("capacities")
    return in_scope(rows, Facility.scope_paths, user)


def facility_for(user: Any, pk: int) -> Facility | None:
    """A facility the user may open: in the register (administrators) or their own (staff)."""
    own = staff_facility(user)
    if own is not None and own.pk == pk:
        return own
    return register(user).filter(pk=pk).first()


# --- the secret address ---------------------------------------------------------------------------------


def _accepted_for(user: Any, facility: Facility) -> bool:
    """A case worker of a case (by their own scope) whose request here is accepted or admitted now."""
    if not has_action(user, "facilities.request"):
        return False
    own_cases = Case.objects.visible_to(user, "view", grants=False)
    mine = Q(requested_by=user) | Q(case__assigned_to=user)
    accepted = PlacementRequest.objects.filter(
        mine,
        facility=facility,
        case__in=own_cases,
        status__in=(RequestStatus.ACCEPTED, RequestStatus.ADMITTED),
    )
    current = accepted.filter(
        Q(status=RequestStatus.ACCEPTED)
        | Q(placement__discharged_at__isnull=True, status=RequestStatus.ADMITTED)
    )
    return current.exists()


def may_see_address(user: Any, facility: Facility) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    own = staff_facility(user)
    if own is not None and own.pk == facility.pk:
        return True
    # Not the administrators who register facilities: they may replace the address, never read it back.
    return _accepted_for(user, facility)


def reveal_address(user: Any, facility: Facility) -> str | None:
    """The street address in clear for those who may see it (audited as a read, without the value)."""
    if not facility.address_encrypted or not may_see_address(user, facility):
        return None
    record(
        actor=user,
        action="facility.address_view",
        obj=facility,
        agency=facility.agency_id,
        region=facility.region_id,
    )
    return decrypt_address(facility.address_encrypted)


# --- vacancy search -------------------------------------------------------------------------------------


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance (haversine, mean Earth radius 6371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


def region_origin(region: Region | int | None) -> Settlement | None:
    """The most populous settlement of a region: where distances start when no settlement is given."""
    if region is None:
        return None
    return (
        Settlement.objects.filter(region=region)
        .order_by(F("population").desc(nulls_last=True), "id")
        .select_related("region")
        .first()
    )


@dataclass
class SearchQuery:
    place_type: str = PlaceType.WOMEN
    origin: Settlement | None = None
    region: Region | None = None
    children: list[dict[str, Any]] = field(default_factory=list)
    accessibility: list[str] = field(default_factory=list)
    language: str = ""
    types: list[str] = field(
        default_factory=lambda: [FacilityType.CRISIS_CENTRE, FacilityType.FAMILY_SUPPORT]
    )
    pets: bool = False
    include_full: bool = False

    @property
    def places(self) -> int:
        return 1 + len(self.children)

    @property
    def teenage_son(self) -> int | None:
        ages = [c["age"] for c in self.children if c.get("sex") == "M" and c["age"] >= 14]
        return max(ages) if ages else None


@dataclass
class Match:
    """One facility in the results: what a case worker needs to choose, never the address."""

    facility: Facility
    capacity: Capacity
    distance: float | None
    stale: bool
    fits: bool
    rank: int = 0
    reasons: list[str] = field(default_factory=list)

    @property
    def free(self) -> int:
        return self.capacity.free


def _hours_old(capacity: Capacity, now: dt.datetime) -> int:
    return int((now - capacity.as_of).total_seconds() // 3600)


def _explain(match: Match, query: SearchQuery, origin: Settlement | None, now: dt.datetime) -> list[str]:
    reasons: list[str] = []
    cap, facility = match.capacity, match.facility
    place = PlaceType(cap.place_type).label
    if match.distance is not None and origin is not None:
        reasons.append(
            gettext("%(km)s km from %(place)s (straight line)")
            % {"km": round(match.distance), "place": origin}
        )
    elif query.region is not None:
        reasons.append(
            gettext("in %(region)s") % {"region": query.region}
            if facility.region_id == query.region.pk
            else gettext("outside %(region)s") % {"region": query.region}
        )
    if match.fits:
        reasons.append(
            ngettext(
                "%(n)s free place for %(type)s, enough for %(need)s",
                "%(n)s free places for %(type)s, enough for %(need)s",
                cap.free,
            )
            % {"n": cap.free, "type": place, "need": query.places}
        )
    else:
        reasons.append(
            gettext("not enough free places for %(type)s now (%(n)s free, %(need)s needed)")
            % {"type": place, "n": cap.free, "need": query.places}
        )
    if match.stale:
        reasons.append(
            gettext("vacancies reported %(hours)s hours ago: call to confirm before going")
            % {"hours": _hours_old(cap, now)}
        )
    else:
        reasons.append(
            gettext("vacancies current (as of %(time)s)")
            % {"time": timezone.localtime(cap.as_of).strftime("%H:%M")}
        )
    if query.language:
        reasons.append(gettext("speaks %(language)s") % {"language": Language(query.language).label})
    for code in query.accessibility:
        reasons.append(str(Accessibility(code).label))
    if query.teenage_son is not None:
        reasons.append(gettext("takes sons up to %(age)s") % {"age": facility.teenage_son_max_age})
    if query.pets:
        reasons.append(gettext("takes pets"))
    return reasons


def _why_rank(match: Match, previous: Match | None) -> str:
    if match.rank == 1:
        if not match.fits:
            return gettext("First: no facility has enough free places; this one has the most nearby.")
        return (
            gettext("First: the nearest facility with enough free places and current data.")
            if (not match.stale)
            else gettext("First: the nearest with enough free places, but its data is stale.")
        )
    assert previous is not None
    if match.fits != previous.fits:
        return gettext("Lower: not enough free places now.")
    if match.stale and not previous.stale:
        return gettext("Lower: its vacancy data is older than 24 hours.")
    if match.distance is not None and previous.distance is not None and match.distance > previous.distance:
        return gettext("Lower: farther away than the one above.")
    return gettext("Lower: fewer free places than the one above.")


def search_vacancies(user: Any, query: SearchQuery, *, limit: int = 20) -> list[Match]:
    """Facilities of the network that can take the person now, ranked and explained.

    Hard conditions (a facility failing one is left out): active, of the types asked, places of the type,
    the accessibility needed, the language asked, teenage sons and pets if they come. Ranking: enough
    free places first, then current data before stale (older than 24 hours), then distance from the
    origin settlement (great circle) or, without coordinates, the region asked first, then more free
    places. Counts only: never an address. The whole network is searched, whatever the user's region
    (a victim is often safer far from home); the case worker needs `facilities.request`.
    """
    if not has_action(user, "facilities.request"):
        return []
    now = timezone.now()
    origin = query.origin or region_origin(query.region)
    rows = Capacity.objects.filter(
        place_type=query.place_type,
        beds__gt=0,
        facility__is_active=True,
        facility__type__in=query.types,
    ).select_related("facility__agency", "facility__settlement", "facility__region")
    if query.pets:
        rows = rows.filter(facility__takes_pets=True)
    if query.teenage_son is not None:
        rows = rows.filter(
            facility__takes_teenage_sons=True, facility__teenage_son_max_age__gte=query.teenage_son
        )
    if not query.include_full:
        rows = rows.filter(vacant__gte=F("held") + query.places)
    matches: list[Match] = []
    for cap in rows:
        facility = cap.facility
        if not set(query.accessibility) <= set(facility.accessibility or []):
            continue
        if query.language and query.language not in (facility.languages or []):
            continue
        distance = None
        if origin is not None:
            s = facility.settlement
            distance = distance_km(
                float(origin.latitude), float(origin.longitude), float(s.latitude), float(s.longitude)
            )
        matches.append(
            Match(
                facility=facility,
                capacity=cap,
                distance=distance,
                stale=cap.is_stale(now),
                fits=cap.free >= query.places,
            )
        )
    region_pk = query.region.pk if query.region is not None else None

    def key(m: Match) -> tuple[Any, ...]:
        far = m.distance if m.distance is not None else (0.0 if m.facility.region_id == region_pk else 1.0)
        return (not m.fits, m.stale, far, -m.free, m.facility.pk)

    matches.sort(key=key)
    matches = matches[:limit]
    previous: Match | None = None
    for rank, match in enumerate(matches, 1):
        match.rank = rank
        match.reasons = [_why_rank(match, previous), *_explain(match, query, origin, now)]
        previous = match
    return matches


# --- the facility's work, and the requester's --------------------------------------------------------


def requests_waiting(user: Any) -> QuerySet[PlacementRequest]:
    """Requests to the user's facility that wait for its answer, soonest due first."""
    facility = staff_facility(user)
    if facility is None:
        return PlacementRequest.objects.none()
    return (
        PlacementRequest.objects.visible_to(user, "change")
        .filter(facility=facility, status=RequestStatus.REQUESTED)
        .select_related("case", "facility__agency")
        .order_by("answer_due", "id")
    )


def holds_lapsing(user: Any) -> QuerySet[BedHold]:
    """Places held at the user's facility for accepted requests, the soonest to lapse first."""
    facility = staff_facility(user)
    if facility is None:
        return BedHold.objects.none()
    return (
        BedHold.objects.filter(capacity__facility=facility, released_at__isnull=True)
        .select_related("request__case", "capacity__facility")
        .order_by("expires_at", "id")
    )


def current_placements(user: Any, facility: Facility) -> QuerySet[Placement]:
    return (
        Placement.objects.visible_to(user)
        .filter(facility=facility, discharged_at__isnull=True)
        .select_related("case", "capacity", "facility")
        .order_by("planned_end", "id")
    )


def waiting_list(user: Any, facility: Facility) -> QuerySet[WaitingEntry]:
    return (
        WaitingEntry.objects.visible_to(user)
        .filter(facility=facility, removed_at__isnull=True)
        .select_related("case")
        .order_by("-urgent", "added_at", "id")
    )


def my_requests(user: Any) -> QuerySet[PlacementRequest]:
    """The requests the user made or that concern their cases (their own scope), newest first."""
    return (
        PlacementRequest.objects.visible_to(user, grants=False)
        .filter(Q(requested_by=user) | Q(case__assigned_to=user))
        .select_related("case", "facility__agency", "facility__settlement")
        .order_by("-requested_at", "-id")
    )


def case_placements(user: Any, case: Case) -> dict[str, Any] | None:
    """The panel on the case page: requests and stays of this case (no address)."""
    requests = list(
        PlacementRequest.objects.visible_to(user)
        .filter(case=case)
        .select_related("facility__agency", "facility__settlement")
        .order_by("-requested_at")[:10]
    )
    stays = list(
        Placement.objects.visible_to(user)
        .filter(case=case)
        .select_related("facility__agency", "capacity")
        .order_by("-admitted_at")[:10]
    )
    return {
        "case": case,
        "requests": requests,
        "stays": stays,
        "may_search": has_action(user, "facilities.request"),
    }


# --- the network manager ---------------------------------------------------------------------------------


@dataclass
class Cell:
    facilities: int = 0
    beds: int = 0
    vacant: int = 0
    held: int = 0
    stale: int = 0

    @property
    def occupied(self) -> int:
        return self.beds - self.vacant

    @property
    def occupancy(self) -> int | None:
        return round(100 * self.occupied / self.beds) if self.beds else None


def _network(user: Any) -> QuerySet[Capacity]:
    if not has_action(user, "facilities.network"):
        return Capacity.objects.none()
    return in_scope(Capacity.objects.filter(facility__is_active=True), Capacity.scope_paths, user)


def occupancy(user: Any) -> dict[str, Any]:
    """Today's places, vacancies and occupancy by region and facility type, with totals (counts only)."""
    cutoff = timezone.now() - STALE_AFTER
    rows = (
        _network(user)
        .values("facility__region", "facility__type")
        .annotate(
            facilities=Count("facility", distinct=True),
            beds=Sum("beds"),
            vacant=Sum("vacant"),
            held=Sum("held"),
            stale=Count("facility", filter=Q(as_of__lt=cutoff), distinct=True),
        )
    )
    regions = {r.pk: r for r in Region.objects.all()}
    table: dict[Region, dict[str, Cell]] = defaultdict(dict)
    totals: dict[str, Cell] = defaultdict(Cell)
    for row in rows:
        region = regions[row["facility__region"]]
        cell = Cell(row["facilities"], row["beds"] or 0, row["vacant"] or 0, row["held"] or 0, row["stale"])
        table[region][row["facility__type"]] = cell
        total = totals[row["facility__type"]]
        for name in ("facilities", "beds", "vacant", "held", "stale"):
            setattr(total, name, getattr(total, name) + getattr(cell, name))
    types = list(FacilityType)
    ordered = [
        (region, [cells.get(t.value) for t in types])
        for region, cells in sorted(table.items(), key=lambda item: item[0].name)
    ]
    return {"rows": ordered, "totals": [totals.get(t.value) for t in types], "types": types}


def stale_facilities(user: Any) -> QuerySet[Facility]:
    """Facilities of the user's network scope (or the staff's own) whose vacancy data is older than a day."""
    cutoff = timezone.now() - STALE_AFTER
    if has_action(user, "facilities.network"):
        base = in_scope(Facility.objects.filter(is_active=True), Facility.scope_paths, user)
    else:
        own = staff_facility(user)
        base = Facility.objects.filter(pk=own.pk) if own is not None else Facility.objects.none()
    return (
        base.filter(capacities__as_of__lt=cutoff)
        .distinct()
        .select_related("agency", "region")
        .order_by("region__name_ru", "id")
    )


def turnaways_and_stays(user: Any, since: dt.datetime) -> dict[str, Any]:
    """Requests declined for lack of places, and the average length of finished stays, since a time."""
    facilities = (
        in_scope(Facility.objects.all(), Facility.scope_paths, user)
        if has_action(user, "facilities.network")
        else Facility.objects.none()
    )
    declined = PlacementRequest.objects.filter(
        facility__in=facilities, decline_reason=DeclineReason.NO_CAPACITY, decided_at__gte=since
    ).count()
    ended = Placement.objects.filter(facility__in=facilities, discharged_at__gte=since)
    spans = [
        (out - came).total_seconds() for came, out in ended.values_list("admitted_at", "discharged_at") if out
    ]
    days = round(sum(spans) / len(spans) / 86400) if spans else None
    return {"turnaways": declined, "stays": len(spans), "average_days": days}
