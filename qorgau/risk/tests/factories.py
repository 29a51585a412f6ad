"""Test data for risk: the Astana police (shipped roles), a crisis centre with its case worker, a victim
with signals, and shortcuts to answer and complete an assessment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django.utils import timezone

from qorgau.cases.models import Case
from qorgau.cases.services import do_open_case
from qorgau.core.models import Agency, AgencyType, District, User
from qorgau.core.permissions import Scope
from qorgau.core.testing import AgencyFactory, DistrictFactory, Personas, UserFactory, role
from qorgau.intake.models import Signal
from qorgau.intake.services import do_register_signal
from qorgau.people.models import Person

from ..models import Assessment, Conference, InstrumentVersion
from ..services import do_save_assessment, do_schedule_conference, do_start_assessment


def new_user(**kw: Any) -> User:
    return User.objects.get(pk=cast(User, UserFactory(**kw)).pk)


def make_person(agency: Agency, surname: str, given_name: str, **kw: Any) -> Person:
    person = Person(surname=surname, given_name=given_name, agency=agency, region=agency.region, **kw)
    person.save()
    return person


def dash() -> InstrumentVersion:
    return InstrumentVersion.objects.get(instrument__code="dash", number=1)


def answers(version: InstrumentVersion, yes: int, dont_know: int = 0) -> dict[int, str]:
    """The first `yes` items answered yes, the next `dont_know` don't know, the rest no."""
    items = list(version.items.order_by("position").values_list("pk", flat=True))
    values = ["yes"] * yes + ["dont_know"] * dont_know
    values += ["no"] * (len(items) - len(values))
    return dict(zip(items, values, strict=True))


@dataclass
class RiskWorld:
    p: Personas
    district: District
    inspector: User  # Astana district inspector: assesses victims of signals (agency scope)
    officer: User  # Astana duty officer: registers signals, reads risk
    chair: User  # Astana conference chair (regions scope)
    centre: Agency
    worker: User  # Astana crisis centre case worker (agency scope)
    victim: Person
    offender: Person

    def signal(self, days_ago: float = 0, victim: Person | None = None, actor: User | None = None) -> Signal:
        return do_register_signal(
            actor=actor or self.officer,
            channel="call_102",
            received_at=timezone.now() - dt.timedelta(days=days_ago, minutes=5),
            region=self.p.astana,
            district=self.district,
            victims=[victim or self.victim],
            offenders=[self.offender],
            relationship="spouse",
            forms=["physical"],
        )

    def case(self, victim: Person | None = None) -> Case:
        """A case of the crisis centre, for a victim the centre registered."""
        victim = victim or make_person(self.centre, "Nurlanova", "Dana", sex="F")
        return do_open_case(actor=self.worker, victim=victim, district=self.district)

    def start(
        self, signal: Signal | None = None, actor: User | None = None, victim: Person | None = None
    ) -> Assessment:
        return do_start_assessment(
            actor=actor or self.inspector,
            victim=victim or self.victim,
            signal=signal or self.signal(victim=victim),
        )

    def complete(
        self,
        yes: int,
        dont_know: int = 0,
        assessment: Assessment | None = None,
        actor: User | None = None,
        **kw: Any,
    ) -> Assessment:
        assessment = assessment or self.start(actor=actor)
        return do_save_assessment(
            actor=actor or self.inspector,
            assessment=assessment,
            answers=answers(assessment.version, yes, dont_know),
            complete=True,
            **kw,
        )

    def conference(self, date: dt.date | None = None) -> Conference:
        return do_schedule_conference(
            actor=self.chair,
            district=self.district,
            date=date or timezone.localdate(),
            legal_mandate="Law No. 214-IV, art. 9 (multi-agency prevention)",
        )


def make_world(p: Personas) -> RiskWorld:
    centre = cast(
        Agency, AgencyFactory(name="Astana Crisis Centre", type=AgencyType.CRISIS_CENTRE, region=p.astana)
    )
    return RiskWorld(
        p=p,
        district=cast(District, DistrictFactory(region=p.astana, code="KZ71-ESIL", name_en="Yesil")),
        inspector=User.objects.get(pk=p.astana_inspector.pk),
        officer=User.objects.get(pk=p.astana_officer.pk),
        chair=User.objects.get(pk=p.astana_chair.pk),
        centre=centre,
        worker=new_user(username="zhanna", agency=centre, role=role("case_worker"), scope=Scope.AGENCY),
        victim=make_person(p.astana_police, "Seitkali", "Aigerim", birth_date=dt.date(1990, 3, 1), sex="F"),
        offender=make_person(p.astana_police, "Seitkali", "Bolat", birth_date=dt.date(1987, 7, 9), sex="M"),
    )


def load_dash_default() -> None:
    """The shipped DASH-style version 1 and the referral rule, as the data migration writes them (idempotent):
    a transactional test's flush empties the tables of the migrations' data."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("qorgau.risk.migrations.0002_dash_default")
    migration.forwards(apps, None)
