"""Test data for facilities: the cases world (an Astana crisis centre's case worker and a victim), an
Astana shelter run by another agency with its manager, and a Shymkent shelter with its manager."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.utils import timezone

from qorgau.cases.models import Case
from qorgau.cases.services import do_open_case
from qorgau.cases.tests.factories import CaseWorld, make_world, new_user
from qorgau.core.models import Region, User
from qorgau.core.permissions import Scope
from qorgau.core.testing import Personas, role
from qorgau.people.models import Consent
from qorgau.people.services import do_create_person, do_record_consent

from ..models import Facility, PlacementRequest, Settlement
from ..services import do_register_facility, do_request_placement

ADDRESS = "Kenesary 40, flat 12"


def settlement(region: Region, name: str, lat: str, lon: str) -> Settlement:
    return Settlement.objects.create(
        region=region,
        name_en=name,
        name_ru=name,
        name_kk=name,
        latitude=Decimal(lat),
        longitude=Decimal(lon),
    )


@dataclass
class FacilityWorld:
    cw: CaseWorld
    sysadmin: User
    astana_city: Settlement
    shymkent_city: Settlement
    shelter: Facility  # Astana crisis centre (shelter) run by its own agency
    manager: User  # its facility manager
    shymkent_shelter: Facility
    shymkent_manager: User
    shelter_worker: User  # a case worker of the shelter's own agency (walk-in cases)
    _victims: int = 0

    @property
    def worker(self) -> User:
        return self.cw.worker

    def facility(self, name: str, where: Settlement | None = None, **kw: Any) -> Facility:
        kw.setdefault("type", "crisis_centre")
        kw.setdefault("operator", "ngo")
        kw.setdefault("places", {"women": 2, "women_children": 4})
        return do_register_facility(
            actor=self.sysadmin, name=name, settlement=where or self.astana_city, **kw
        )

    def manager_of(self, facility: Facility, username: str) -> User:
        return new_user(
            username=username, agency=facility.agency, role=role("facility_manager"), scope=Scope.AGENCY
        )

    def case(self, **kw: Any) -> Case:
        """A case of the crisis centre's worker, for a new victim each time unless one is given."""
        if "victim" not in kw:
            self._victims += 1
            kw["victim"] = (
                self.cw.victim if self._victims == 1 else self.cw.person("Victim", f"N{self._victims}")
            )
        return self.cw.open(**kw)

    def walk_in(self, surname: str = "Walkin", given_name: str = "Aida") -> Case:
        """A case of the shelter's own agency (a person who came to the door): admitted directly."""
        person, _ = do_create_person(actor=self.shelter_worker, surname=surname, given_name=given_name)
        return do_open_case(actor=self.shelter_worker, victim=person)

    def consent(self, facility: Facility | None = None, case: Case | None = None) -> Consent:
        now = timezone.now()
        return do_record_consent(
            actor=self.worker,
            person=(case.victim if case else self.cw.victim),
            purpose="shelter",
            receiving_agency=(facility or self.shelter).agency,
            granted_at=now - dt.timedelta(minutes=1),
            expires_at=now + dt.timedelta(days=180),
        )

    def request(
        self, case: Case | None = None, facility: Facility | None = None, consent: bool = True, **kw: Any
    ) -> PlacementRequest:
        case = case or self.case()
        facility = facility or self.shelter
        if consent:
            self.consent(facility, case)
        kw.setdefault("place_type", "women_children" if kw.get("children") else "women")
        return do_request_placement(actor=self.worker, case=case, facility=facility, **kw)


def make_facility_world(p: Personas) -> FacilityWorld:
    cw = make_world(p)
    sysadmin = User.objects.get(pk=p.sysadmin.pk)
    astana_city = settlement(p.astana, "Astana", "51.18011", "71.44598")
    shymkent_city = settlement(p.shymkent, "Shymkent", "42.31750", "69.59500")
    world = FacilityWorld(
        cw=cw,
        sysadmin=sysadmin,
        astana_city=astana_city,
        shymkent_city=shymkent_city,
        shelter=cast(Facility, None),
        manager=cast(User, None),
        shymkent_shelter=cast(Facility, None),
        shymkent_manager=cast(User, None),
        shelter_worker=cast(User, None),
    )
    world.shelter = world.facility(
        "Astana Shelter",
        address=ADDRESS,
        languages=["kk", "ru"],
        accessibility=["wheelchair"],
        services=["shelter", "psychological"],
    )
    world.manager = world.manager_of(world.shelter, "bota")
    world.shelter_worker = new_user(
        username="nazira", agency=world.shelter.agency, role=role("case_worker"), scope=Scope.AGENCY
    )
    world.shymkent_shelter = world.facility("Shymkent Shelter", where=shymkent_city, address="Tauke khan 5")
    world.shymkent_manager = world.manager_of(world.shymkent_shelter, "erzhan")
    return world


def load_frozen_reference() -> None:
    """The rows migrations load that facilities need (stay rules, referral purposes, the consent rule),
    for transactional tests, whose flush empties the tables the migrations filled."""
    from importlib import import_module

    from qorgau.cases.models import ReferralPurpose
    from qorgau.people.models import ConsentRule

    from ..models import StayRule
    from ..reference import load_stay_rules

    load_stay_rules(StayRule)
    first = import_module("qorgau.people.migrations.0003_consent_rule").FIRST_VERSION
    ConsentRule.objects.get_or_create(effective_from=first["effective_from"], defaults=first)
    rows = import_module("qorgau.cases.migrations.0002_referral_purposes").PURPOSES
    for code, en, ru, kk, sections, discloses, consent_purpose in rows:
        ReferralPurpose.objects.get_or_create(
            code=code,
            defaults={
                "name_en": en,
                "name_ru": ru,
                "name_kk": kk,
                "sections": sections,
                "discloses_identity": discloses,
                "consent_purpose": consent_purpose,
            },
        )
