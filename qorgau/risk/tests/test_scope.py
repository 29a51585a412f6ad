"""The scope matrix (core.testing.ScopeMatrix) of each risk model's pages and API: anonymous -> login or
401, no role -> 403, Shymkent -> 404 on the Astana record, permitted -> 200. Every route and method is
also in matrix.py (the route matrix)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from qorgau.core.testing import Personas, ScopeMatrix

from ..services import do_add_action, do_build_agenda
from .factories import make_world


def _done(personas: Personas) -> Any:
    return make_world(personas).complete(18)


class TestAssessmentScope(ScopeMatrix):
    list_url = "/risk/"
    api_list_url = "/api/risk/assessments/"
    permitted = "astana_officer"  # duty officer of the police that registered the signal: risk.view

    def make_object(self, personas: Personas) -> Any:
        return _done(personas)

    def detail_url(self, obj: Any) -> str:
        return f"/risk/assessments/{obj.pk}/"

    def api_detail_url(self, obj: Any) -> str:
        return f"/api/risk/assessments/{obj.pk}/"


class TestConferenceScope(ScopeMatrix):
    list_url = "/risk/conferences/"
    api_list_url = "/api/risk/conferences/"
    permitted = "astana_chair"

    def make_object(self, personas: Personas) -> Any:
        world = make_world(personas)
        world.complete(18)
        conference = world.conference()
        do_build_agenda(actor=world.chair, conference=conference)
        return conference

    def detail_url(self, obj: Any) -> str:
        return f"/risk/conferences/{obj.pk}/"

    def api_detail_url(self, obj: Any) -> str:
        return f"/api/risk/conferences/{obj.pk}/"


class TestActionScope(ScopeMatrix):
    list_url = "/risk/actions/"
    api_list_url = "/api/risk/actions/"
    permitted = "astana_inspector"  # the action is assigned to the Astana police

    def make_object(self, personas: Personas) -> Any:
        world = make_world(personas)
        referral = world.complete(18).referral
        conference = world.conference()
        do_build_agenda(actor=world.chair, conference=conference)
        return do_add_action(
            actor=world.chair,
            conference=conference,
            referral=referral,
            agency=personas.astana_police,
            description="Visit the family.",
            due_date=timezone.localdate() + dt.timedelta(days=3),
        )

    def detail_url(self, obj: Any) -> str:
        return f"/risk/actions/{obj.pk}/complete/"

    def api_detail_url(self, obj: Any) -> str:
        return f"/api/risk/actions/{obj.pk}/"
