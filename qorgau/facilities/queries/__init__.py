"""Reads of the facilities domain that pages, the API, the home page and other callers share.

The secret address (DOMAIN.md 8.11) leaves the database in clear only through `reveal_address`, for the
facility's own staff and for a case worker whose request to that facility was accepted (or whose case's
victim is placed there now). Every other read returns counts, names of places and distances, never it.
"""

from ..models import FacilityType  # the types planning offers, read through this module
from .network import (
    Cell,
    Match,
    SearchQuery,
    case_placements,
    current_placements,
    distance_km,
    facility_for,
    holds_lapsing,
    may_see_address,
    my_requests,
    occupancy,
    region_origin,
    register,
    requests_waiting,
    reveal_address,
    search_vacancies,
    staff_facility,
    stale_facilities,
    turnaways_and_stays,
    waiting_list,
)
from .readers import (
    PUBLIC_FIELDS,
    PUBLIC_TYPES,
    PublicFacility,
    drug_treatment_vacancies,
    network_figures,
    planning_demand,
    planning_supply,
    public_directory,
)

__all__ = [
    "PUBLIC_FIELDS",
    "PUBLIC_TYPES",
    "Cell",
    "FacilityType",
    "Match",
    "PublicFacility",
    "SearchQuery",
    "case_placements",
    "current_placements",
    "distance_km",
    "drug_treatment_vacancies",
    "facility_for",
    "holds_lapsing",
    "may_see_address",
    "my_requests",
    "network_figures",
    "occupancy",
    "planning_demand",
    "planning_supply",
    "public_directory",
    "region_origin",
    "register",
    "requests_waiting",
    "reveal_address",
    "search_vacancies",
    "staff_facility",
    "stale_facilities",
    "turnaways_and_stays",
    "waiting_list",
]
