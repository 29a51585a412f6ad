"""What other apps read of the facilities (planning, the public help page, the offender track, insights):
counts, names, coordinates and public phones, never the secret address."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min, Sum

from qorgau.core.aggregates import Slice
from qorgau.core.models import Region
from qorgau.core.permissions import has_action, in_scope

from ..models import (
    Capacity,
    DeclineReason,
    Facility,
    FacilityType,
    OpeningMode,
    Placement,
    PlacementRequest,
)
from .network import _network

# --- network planning (read by qorgau.planning: counts and places, never an address) -------------------


def planning_supply(user: Any) -> list[dict[str, Any]]:
    """Active facilities of the user's network scope as planning sites: id, type, region, district, the
    settlement's coordinates and the places, vacant and held counts summed over place types."""
    rows = (
        _network(user)
        .values(
            "facility",
            "facility__type",
            "facility__region",
            "facility__district",
            "facility__settlement__latitude",
            "facility__settlement__longitude",
        )
        .annotate(beds=Sum("beds"), vacant=Sum("vacant"), held=Sum("held"))
        .order_by("facility")
    )
    return [
        {
            "facility": row["facility"],
            "type": row["facility__type"],
            "region": row["facility__region"],
            "district": row["facility__district"],
            "latitude": float(row["facility__settlement__latitude"]),
            "longitude": float(row["facility__settlement__longitude"]),
            "beds": row["beds"] or 0,
            "vacant": row["vacant"] or 0,
            "held": row["held"] or 0,
        }
        for row in rows
    ]


def planning_demand(user: Any, since: dt.datetime) -> dict[tuple[int, str], dict[str, float]]:
    """{(region id, facility type): admissions, turn-aways and the average finished stay in days} since a
    time, in the user's network scope (facilities.network), counts only."""
    if not has_action(user, "facilities.network"):
        return {}
    facilities = in_scope(Facility.objects.all(), Facility.scope_paths, user)
    out: dict[tuple[int, str], dict[str, float]] = defaultdict(
        lambda: {"admissions": 0, "turnaways": 0, "stay_days": 0.0, "stays": 0}
    )
    admitted = (
        Placement.objects.filter(facility__in=facilities, admitted_at__gte=since)
        .values("facility__region", "facility__type")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in admitted:
        out[(row["facility__region"], row["facility__type"])]["admissions"] = row["n"]
    declined = (
        PlacementRequest.objects.filter(
            facility__in=facilities, decline_reason=DeclineReason.NO_CAPACITY, decided_at__gte=since
        )
        .values("facility__region", "facility__type")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in declined:
        out[(row["facility__region"], row["facility__type"])]["turnaways"] = row["n"]
    ended = Placement.objects.filter(facility__in=facilities, discharged_at__gte=since).values_list(
        "facility__region", "facility__type", "admitted_at", "discharged_at"
    )
    for region, type_, came, left in ended:
        if left is None:
            continue
        cell = out[(region, type_)]
        cell["stay_days"] += (left - came).total_seconds() / 86400
        cell["stays"] += 1
    return dict(out)


# --- the public help page (portal) ----------------------------------------------------------------------

PUBLIC_TYPES = (FacilityType.CRISIS_CENTRE, FacilityType.FAMILY_SUPPORT)


@dataclass(frozen=True)
class PublicFacility:
    """What the public help page may show of a facility: never the street address (DOMAIN.md 8.11), nor
    the settlement (in a village a town and a type is nearly an address), nor vacancies. The fields are
    the whole contract: the portal gets these values, not the model instance."""

    region_id: int
    name_kk: str
    name_ru: str
    name_en: str
    type: str
    opening_mode: str
    phone: str
    languages: tuple[str, ...]

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        lang = (get_language() or "ru")[:2]
        return getattr(self, f"name_{lang}", "") or self.name_ru or self.name_en

    def get_type_display(self) -> str:
        return str(FacilityType(self.type).label)

    def get_opening_mode_display(self) -> str:
        return str(OpeningMode(self.opening_mode).label)


PUBLIC_FIELDS = (
    "region_id",
    "agency__name",
    "agency__name_kk",
    "agency__name_ru",
    "agency__name_en",
    "type",
    "opening_mode",
    "public_phone",
    "languages",
)


def public_directory(region: Region | int | None = None) -> list[PublicFacility]:
    """The active crisis and family support centres (of one region, or all), public fields only, for
    anyone (no user: the public page). One query; `values()` of the listed columns, so the encrypted
    address is never even read."""
    rows: Any = Facility.objects.filter(is_active=True, type__in=PUBLIC_TYPES)
    if region is not None:
        rows = rows.filter(region=region)
    rows = rows.order_by("region_id", "type", "agency__name", "id").values_list(*PUBLIC_FIELDS)
    return [
        PublicFacility(
            region_id=region_id,
            name_kk=name_kk or name,
            name_ru=name_ru or name,
            name_en=name_en or name,
            type=type_,
            opening_mode=mode,
            phone=phone,
            languages=tuple(languages or ()),
        )
        for region_id, name, name_kk, name_ru, name_en, type_, mode, phone, languages in rows
    ]


def drug_treatment_vacancies(region_id: int) -> list[dict[str, Any]]:
    """Places and vacancies of a region's drug treatment facilities, for a referral to compulsory treatment
    (the offenders app): names and counts only, never an address."""
    rows = (
        Capacity.objects.filter(
            facility__type=FacilityType.DRUG_TREATMENT,
            facility__is_active=True,
            facility__region_id=region_id,
        )
        .values("facility_id", "facility__agency__name")
        .annotate(beds=Sum("beds"), vacant=Sum("vacant"), as_of=Min("as_of"))
        .order_by("facility__agency__name")
    )
    return [dict(row) for row in rows]


# --- aggregates for the insights dashboards (counts only, never a row) ------------------------------------


def network_figures(user: Any, part: Slice) -> dict[str, Any]:
    """Places, vacancies and occupancy today, and requests declined for lack of places in `part`, for the
    facilities of `user`'s scope. The caller checks the right to see aggregates (insights.view)."""
    capacities = in_scope(Capacity.objects.filter(facility__is_active=True), Capacity.scope_paths, user)
    declined = in_scope(PlacementRequest.objects.all(), PlacementRequest.scope, user).filter(
        decline_reason=DeclineReason.NO_CAPACITY, decided_at__gte=part.start, decided_at__lt=part.end
    )
    admitted = in_scope(Placement.objects.all(), Placement.scope, user).filter(
        admitted_at__gte=part.start, admitted_at__lt=part.end
    )
    if part.regions is not None:
        regions = sorted(part.regions)
        capacities = capacities.filter(facility__region__in=regions)
        declined = declined.filter(facility__region__in=regions)
        admitted = admitted.filter(facility__region__in=regions)
    places = capacities.aggregate(
        beds=Sum("beds"), vacant=Sum("vacant"), facilities=Count("facility", distinct=True)
    )
    beds, vacant = places["beds"] or 0, places["vacant"] or 0
    return {
        "facilities": places["facilities"],
        "beds": beds,
        "vacant": vacant,
        "occupancy": round(100 * (beds - vacant) / beds) if beds else None,
        "turnaways": declined.count(),
        "admissions": admitted.count(),
    }
