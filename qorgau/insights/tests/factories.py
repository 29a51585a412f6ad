"""A small world of signals for the insights tests: Astana and Shymkent police register signals over
two years, some decided; an Astana analyst (regional scope) and the national system administrator read
the dashboards. The counts the tests expect are computed independently from these rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from qorgau.core.models import Role, User
from qorgau.core.permissions import Scope
from qorgau.core.testing import Personas, UserFactory
from qorgau.intake.models import Signal
from qorgau.intake.services import do_record_outcome
from qorgau.intake.tests.factories import World, make_person, make_world


@dataclass
class InsightsWorld:
    w: World
    analyst: User  # Astana, regional scope
    shymkent_analyst: User
    national: User  # the system administrator
    signals: list[Signal] = field(default_factory=list)

    @property
    def p(self) -> Personas:
        return self.w.p

    def signal(self, *, days_ago: float, shymkent: bool = False, **kw: Any) -> Signal:
        actor = self.w.shymkent_officer if shymkent else self.w.officer
        if shymkent:
            victim = make_person(self.w.shymkent_police, "Omarova", f"V{len(self.signals)}", sex="F")
            offender = make_person(self.w.shymkent_police, "Omarov", f"O{len(self.signals)}", sex="M")
            kw.setdefault("victims", [victim])
            kw.setdefault("offenders", [offender])
        signal = self.w.register(actor=actor, received_at=timezone.now() - dt.timedelta(days=days_ago), **kw)
        self.signals.append(signal)
        return signal

    def decide(self, signal: Signal, kind: str = "admin_protocol") -> Signal:
        actor = self.w.inspector if signal.region_id == self.p.astana.pk else self.shymkent_inspector()
        values: dict[str, Any] = {
            "admin_protocol": {"article": "73", "part": "1"},
            "no_offence": {"reason": "checked"},
        }[kind]
        do_record_outcome(actor=actor, signal=signal, kind=kind, **values)
        return Signal.objects.get(pk=signal.pk)

    def shymkent_inspector(self) -> User:
        found = User.objects.filter(username="shymkent_inspector").first()
        if found is None:
            found = User.objects.get(
                pk=UserFactory.create(
                    username="shymkent_inspector",
                    agency=self.w.shymkent_police,
                    role=Role.objects.get(slug="district_inspector"),
                    scope=Scope.AGENCY,
                ).pk
            )
        return found


def make_insights_world(p: Personas) -> InsightsWorld:
    w = make_world(p)
    analyst_role = Role.objects.get(slug="analyst")
    analyst = UserFactory.create(
        username="astana_analyst",
        agency=p.astana_police,
        role=analyst_role,
        scope=Scope.REGIONS,
        regions=[p.astana],
    )
    shymkent_analyst = UserFactory.create(
        username="shymkent_analyst",
        agency=w.shymkent_police,
        role=analyst_role,
        scope=Scope.REGIONS,
        regions=[p.shymkent],
    )
    return InsightsWorld(
        w=w,
        analyst=User.objects.get(pk=analyst.pk),
        shymkent_analyst=User.objects.get(pk=shymkent_analyst.pk),
        national=User.objects.get(pk=p.sysadmin.pk),
    )
