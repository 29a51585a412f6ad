"""The scope matrix (core.testing.ScopeMatrix) of the offender track's referrals, pages and API: anonymous ->
login or 401, no role -> 403 on the lists, the same role in Shymkent -> 404 on the Astana referral,
permitted -> 200. Who among the Astana agencies sees a referral, and that the victim never shows, is in
test_scope.py; every route and method is also in matrix.py (the route matrix)."""

from __future__ import annotations

from typing import Any

from qorgau.core.models import AgencyType
from qorgau.core.testing import AgencyFactory, Personas, ScopeMatrix

from .factories import OffenderWorld, make_offender_world, user


def _world(personas: Personas) -> OffenderWorld:
    ow = make_offender_world(personas)
    # the matrix reads its users from the personas: the world's Astana users, and the same roles in Shymkent
    shymkent_police = AgencyFactory.create(
        name="Shymkent City Police Department", type=AgencyType.POLICE, region=personas.shymkent
    )
    shymkent_health = AgencyFactory.create(
        name="Shymkent Narcological Centre", type=AgencyType.HEALTH, region=personas.shymkent
    )
    shymkent_provider = AgencyFactory.create(
        name="Shymkent Men's Programme NGO", type=AgencyType.NGO, region=personas.shymkent
    )
    personas.offenders_inspector = ow.inspector  # type: ignore[attr-defined]
    personas.offenders_narcologist = ow.narcologist  # type: ignore[attr-defined]
    personas.offenders_provider = ow.provider_user  # type: ignore[attr-defined]
    personas.offenders_shymkent_inspector = user(  # type: ignore[attr-defined]
        "shymkent_inspector", shymkent_police, "district_inspector"
    )
    personas.offenders_shymkent_narcologist = user(  # type: ignore[attr-defined]
        "shymkent_narkolog", shymkent_health, "narcologist"
    )
    personas.offenders_shymkent_provider = user(  # type: ignore[attr-defined]
        "shymkent_provider", shymkent_provider, "programme_provider"
    )
    return ow


class TestTreatmentReferralScope(ScopeMatrix):
    """An Astana referral to compulsory treatment, read by the inspector who started it; a Shymkent
    inspector gets 404."""

    list_url: str | None = "/offenders/treatment/"
    api_list_url: str | None = "/api/offenders/treatment-referrals/"
    permitted = "offenders_inspector"
    other_region = "offenders_shymkent_inspector"

    def make_object(self, personas: Personas) -> Any:
        ow = _world(personas)
        return ow.advance_to(ow.start(), "examination")

    def detail_url(self, obj: Any) -> str:
        return f"/offenders/treatment/{obj.pk}/"

    def api_detail_url(self, obj: Any) -> str:
        return f"/api/offenders/treatment-referrals/{obj.pk}/"


class TestTreatmentReferralScopeOfTheHealthAgency(TestTreatmentReferralScope):
    """The same referral read by the narcologist of the health facility it was sent to for examination; a
    Shymkent narcologist gets 404."""

    permitted = "offenders_narcologist"
    other_region = "offenders_shymkent_narcologist"


class TestProgrammeReferralScope(ScopeMatrix):
    """An Astana referral to a behaviour-change programme, read by the inspector who made it; a Shymkent
    inspector gets 404."""

    list_url: str | None = "/offenders/programmes/"
    api_list_url: str | None = "/api/offenders/programme-referrals/"
    permitted = "offenders_inspector"
    other_region = "offenders_shymkent_inspector"

    def make_object(self, personas: Personas) -> Any:
        return _world(personas).refer()

    def detail_url(self, obj: Any) -> str:
        return f"/offenders/programmes/{obj.pk}/"

    def api_detail_url(self, obj: Any) -> str:
        return f"/api/offenders/programme-referrals/{obj.pk}/"


class TestProgrammeReferralScopeOfTheProvider(TestProgrammeReferralScope):
    """The same referral read by the staff of the provider whose programme it is; a Shymkent provider's
    staff gets 404."""

    permitted = "offenders_provider"
    other_region = "offenders_shymkent_provider"
