"""The offender track's test world: an Astana signal with an alleged offender, the agencies of the
procedure (police, a health facility, a drug treatment facility), a programme provider, the victim's
case worker and an analyst; and the same roles in Shymkent where a test needs them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from qorgau.cases.models import Case
from qorgau.cases.services import do_open_case
from qorgau.core.models import Agency, AgencyType, Scope, User
from qorgau.core.testing import AgencyFactory, Personas, UserFactory, role
from qorgau.facilities.models import Facility
from qorgau.facilities.services import do_register_facility
from qorgau.facilities.tests.factories import settlement
from qorgau.intake.models import Signal
from qorgau.intake.tests.factories import World as IntakeWorld
from qorgau.intake.tests.factories import make_world as make_intake_world
from qorgau.people.models import Person
from qorgau.people.services import do_create_person

from .. import workflow
from ..models import Format, Method, Programme, ProgrammeReferral, Standard, TreatmentReferral
from ..services import do_advance_treatment, do_refer_to_programme, do_start_treatment_referral


def user(username: str, agency: Agency | None, slug: str, scope: str = Scope.AGENCY, **kw: Any) -> User:
    made = UserFactory.create(username=username, agency=agency, role=role(slug), scope=scope, **kw)
    return User.objects.get(pk=made.pk)


@dataclass
class OffenderWorld:
    p: Personas
    iw: IntakeWorld
    inspector: User
    signal: Signal
    offender: Person
    victim: Person
    health: Agency
    narcologist: User
    facility: Facility
    facility_manager: User
    provider: Agency
    provider_user: User
    programme: Programme
    centre: Agency
    case_worker: User
    case: Case
    analyst: User

    def start(self, **kw: Any) -> TreatmentReferral:
        kw.setdefault("dependence", "alcohol")
        kw.setdefault("grounds", "Three signals under the influence of alcohol this year.")
        kw.setdefault("documents", ["signal_report"])
        return do_start_treatment_referral(
            actor=self.inspector, signal=self.signal, offender=self.offender, **kw
        )

    def advance_to(self, referral: TreatmentReferral, step: str) -> TreatmentReferral:
        """Walk a referral forward along the main path up to `step`, each agency recording its step."""
        path: list[tuple[str, User, dict[str, Any]]] = [
            (
                "examination",
                self.inspector,
                {"documents": ["signal_report", "examination_referral"], "health_agency": self.health},
            ),
            ("conclusion", self.narcologist, {"documents": ["medical_conclusion"]}),
            ("application", self.inspector, {"documents": ["court_application"]}),
            ("decision", self.inspector, {"documents": ["court_decision"], "facility": self.facility}),
            ("waiting", self.facility_manager, {"reason": "no_bed"}),
            ("admitted", self.facility_manager, {"documents": ["admission_record"]}),
            ("ended", self.facility_manager, {"documents": ["discharge_summary"], "reason": "completed"}),
        ]
        for to, actor, kw in path:
            if referral.status == step:
                break
            if workflow.move(referral.status, to) is None:
                continue
            referral = do_advance_treatment(actor=actor, referral=referral, to=to, **kw)
        return referral

    def refer(self, **kw: Any) -> ProgrammeReferral:
        kw.setdefault("basis", "police")
        kw.setdefault("signal", self.signal)
        return do_refer_to_programme(
            actor=self.inspector, programme=self.programme, offender=self.offender, **kw
        )


def make_offender_world(p: Personas) -> OffenderWorld:
    iw = make_intake_world(p)
    signal = iw.register(alcohol_or_drugs=True)
    health = AgencyFactory.create(name="Astana Narcological Centre", type=AgencyType.HEALTH, region=p.astana)
    sysadmin = User.objects.get(pk=p.sysadmin.pk)
    city = settlement(p.astana, "Astana", "51.18011", "71.44598")
    facility = do_register_facility(
        actor=sysadmin,
        name="Astana Drug Treatment Centre",
        settlement=city,
        type="drug_treatment",
        operator="state",
        places={"men": 10},
    )
    provider = AgencyFactory.create(name="Astana Men's Programme NGO", type=AgencyType.NGO, region=p.astana)
    programme = Programme.objects.create(
        agency=provider,
        name="Respect course",
        method=Method.PSYCHOEDUCATIONAL,
        sessions=12,
        format=Format.GROUP,
        languages=["kk", "ru"],
        standard=Standard.RESPECT,
    )
    centre = AgencyFactory.create(name="Astana Crisis Centre", type=AgencyType.CRISIS_CENTRE, region=p.astana)
    case_worker = user("zhanna", centre, "case_worker")
    victim, _ = do_create_person(actor=case_worker, surname="Seitkali", given_name="Aigerim")
    case = do_open_case(actor=case_worker, victim=victim)
    Case.objects.filter(pk=case.pk).update(signal=signal)  # the victim's case of this signal
    case.refresh_from_db()
    return OffenderWorld(
        p=p,
        iw=iw,
        inspector=User.objects.get(pk=iw.inspector.pk),
        signal=signal,
        offender=iw.offender,
        victim=iw.victim,
        health=health,
        narcologist=user("narkolog", health, "narcologist"),
        facility=facility,
        facility_manager=user("ardak", facility.agency, "facility_manager"),
        provider=provider,
        provider_user=user("provider", provider, "programme_provider"),
        programme=programme,
        centre=centre,
        case_worker=case_worker,
        case=case,
        analyst=user("analyst", None, "analyst", scope=Scope.REGIONS, regions=[p.astana]),
    )


def days_ago(days: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def make_intake_person(ow: OffenderWorld, n: int) -> Person:
    from qorgau.intake.tests.factories import make_person

    return make_person(ow.p.astana_police, "Offender", f"N{n}", birth_date=dt.date(1980, 1, 1 + n), sex="M")


def load_frozen_rules() -> None:
    """The rules migration 0002 loads, for transactional tests, whose flush empties the tables."""
    from importlib import import_module

    from django.apps import apps

    import_module("qorgau.offenders.migrations.0002_rules").load(apps, None)
