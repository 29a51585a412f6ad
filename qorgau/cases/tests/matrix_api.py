"""Scope cases of every cases API action (see qorgau/core/testing_matrix.py); included by matrix.py.

The cases live at an Astana crisis centre and are worked by its case worker (the shipped `case_worker`
role, agency scope); referrals and transfers go to other Astana agencies, whose case workers answer
them. The permitted user's Shymkent twin holds the same role at a Shymkent agency of the same type, so its
404 is about scope, not a missing action.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from qorgau.cases.models import Case, CaseService, CaseTransfer, Referral, Specialist
from qorgau.cases.services import (
    do_accept_referral,
    do_add_qualification,
    do_add_specialist,
    do_assign_service,
    do_close_case,
    do_open_case,
    do_refer_case,
    do_request_transfer,
)
from qorgau.core.models import Agency, AgencyType, User
from qorgau.core.permissions import Scope
from qorgau.core.testing import AgencyFactory, UserFactory, role
from qorgau.core.testing_matrix import Case as RouteCase
from qorgau.core.testing_matrix import World, builds
from qorgau.people.models import Person
from qorgau.people.services import do_create_person

WORKER, SUPPORT, THIRD = "cases_worker", "cases_support_worker", "cases_third_worker"
KEY = {"Idempotency-Key": "matrix-cases-1"}
SOON = dt.timedelta(days=30)


def _worker(w: World, username: str, agency_type: str) -> User:
    agency = AgencyFactory.create(name=f"Astana {username}", type=agency_type, region=w.p.astana)
    return UserFactory.create(username=username, agency=agency, role=role("case_worker"), scope=Scope.AGENCY)


@builds(WORKER)
def _cases_worker(w: World) -> User:
    return _worker(w, "matrix_zhanna", AgencyType.CRISIS_CENTRE)


@builds(SUPPORT)
def _support_worker(w: World) -> User:
    return _worker(w, "matrix_madina", AgencyType.NGO)


@builds(THIRD)
def _third_worker(w: World) -> User:
    return _worker(w, "matrix_kamila", AgencyType.FAMILY_SUPPORT)


@builds("cases_colleague")
def _colleague(w: World) -> User:
    worker = w.user(WORKER)
    return UserFactory.create(
        username="matrix_asel", agency=worker.agency, role=role("case_worker"), scope=Scope.AGENCY
    )


def _person(w: World, surname: str, given: str) -> Person:
    person, _ = do_create_person(actor=w.user(WORKER), surname=surname, given_name=given)
    return person


@builds("cases_victim")
def _victim(w: World) -> Person:
    return _person(w, "Seitkali", "Aigerim")


@builds("cases_child")
def _child(w: World) -> Person:
    return _person(w, "Seitkali", "Arman")


@builds("cases_case")
def _case(w: World) -> Case:
    return do_open_case(actor=w.user(WORKER), victim=w["cases_victim"])


@builds("cases_closed")
def _closed(w: World) -> Case:
    case = w["cases_case"]
    return do_close_case(actor=w.user(WORKER), case=case, outcome="safe", reason="Safe now.")


def _agency(w: World, name: str) -> Agency:
    agency = w.user(name).agency
    assert agency is not None
    return agency


def _refer(w: World) -> Referral:
    return do_refer_case(
        actor=w.user(WORKER), case=w["cases_case"], to_agency=_agency(w, SUPPORT), purpose="consultation"
    )


@builds("cases_referral")
def _referral(w: World) -> Referral:
    return _refer(w)


@builds("cases_accepted")
def _accepted(w: World) -> Referral:
    return do_accept_referral(actor=w.user(SUPPORT), referral=_refer(w))


@builds("cases_transfer")
def _transfer(w: World) -> CaseTransfer:
    return do_request_transfer(
        actor=w.user(WORKER), case=w["cases_case"], to_agency=_agency(w, THIRD), reason="She moved."
    )


@builds("cases_specialist")
def _specialist(w: World) -> Specialist:
    specialist = do_add_specialist(actor=w.user(WORKER), full_name="Aliya Serikova")
    do_add_qualification(
        actor=w.user(WORKER),
        specialist=specialist,
        kind="legal",
        document_number="LIC-1",
        issuer="Ministry of Justice",
        valid_until=timezone.localdate() + SOON,
    )
    return specialist


@builds("cases_service")
def _service(w: World) -> CaseService:
    return do_assign_service(
        actor=w.user(WORKER), case=w["cases_case"], type="legal", specialist=w["cases_specialist"]
    )


def pk(name: str) -> Any:
    return lambda w: {"pk": w[name].pk}


def api_row(name: str) -> Any:
    return lambda w: f'"id":{w[name].pk},'


def today(days: int = 0) -> str:
    return str(timezone.localdate() + dt.timedelta(days=days))


def case_closed(w: World, response: Any) -> None:
    assert Case.objects.get(pk=w["cases_case"].pk).closed_at is not None


def owner_changed(w: World, response: Any) -> None:
    assert Case.objects.get(pk=w["cases_case"].pk).agency_id == w.user(THIRD).agency_id


def access_ended(w: World, response: Any) -> None:
    assert not Case.objects.visible_to(w.user(SUPPORT)).filter(pk=w["cases_case"].pk).exists()


OPEN = (
    "a case for an Astana person: out of the twin's scope the person 'does not exist' (400), nothing written"
)
OWN_SPECIALIST = (
    "no other-region dimension: the twin records a specialist of its own agency (201), no Astana row is "
    "involved"
)

CASES = [
    RouteCase("case-list", "GET", WORKER, 200, shows=api_row("cases_case")),
    RouteCase(
        "case-list",
        "POST",
        WORKER,
        201,
        data=lambda w: {"victim": w["cases_victim"].pk},
        headers=KEY,
        other_region=400,
        why=OPEN,
    ),
    RouteCase("case-detail", "GET", WORKER, 200, kwargs=pk("cases_case")),
    RouteCase(
        "case-assessment", "POST", WORKER, 200, kwargs=pk("cases_case"), data=lambda w: {"needs": ["legal"]}
    ),
    RouteCase(
        "case-safety-plans",
        "POST",
        WORKER,
        201,
        kwargs=pk("cases_case"),
        data=lambda w: {"review_due": today(7), "safe_place": "Her sister's flat."},
    ),
    RouteCase(
        "case-goals", "POST", WORKER, 201, kwargs=pk("cases_case"), data=lambda w: {"description": "Housing"}
    ),
    RouteCase(
        "case-services",
        "POST",
        WORKER,
        201,
        kwargs=pk("cases_case"),
        data=lambda w: {"type": "legal", "specialist": w["cases_specialist"].pk},
    ),
    RouteCase(
        "case-children",
        "POST",
        WORKER,
        201,
        kwargs=pk("cases_case"),
        data=lambda w: {"person": w["cases_child"].pk, "needs": ["education"]},
    ),
    RouteCase(
        "case-assign",
        "POST",
        WORKER,
        200,
        kwargs=pk("cases_case"),
        data=lambda w: {"assignee": w.user("cases_colleague").pk},
    ),
    RouteCase(
        "case-close",
        "POST",
        WORKER,
        200,
        kwargs=pk("cases_case"),
        data=lambda w: {"outcome": "safe", "reason": "Safe now."},
        check=case_closed,
    ),
    RouteCase(
        "case-reopen",
        "POST",
        WORKER,
        200,
        kwargs=pk("cases_closed"),
        data=lambda w: {"reason": "A new incident."},
    ),
    RouteCase(
        "case-referrals",
        "POST",
        WORKER,
        201,
        kwargs=pk("cases_case"),
        data=lambda w: {"to_agency": w.user(SUPPORT).agency_id, "purpose": "consultation"},
        headers=KEY,
    ),
    RouteCase(
        "case-transfers",
        "POST",
        WORKER,
        201,
        kwargs=pk("cases_case"),
        data=lambda w: {"to_agency": w.user(THIRD).agency_id, "reason": "She moved."},
    ),
    RouteCase(
        "case-service-sessions",
        "POST",
        WORKER,
        201,
        kwargs=pk("cases_service"),
        data=lambda w: {"held_on": today(), "duration_minutes": 40, "outcome": "Claim drafted."},
    ),
    RouteCase("referral-list", "GET", WORKER, 200, shows=api_row("cases_referral")),
    RouteCase("referral-detail", "GET", SUPPORT, 200, kwargs=pk("cases_referral")),
    RouteCase("referral-accept", "POST", SUPPORT, 200, kwargs=pk("cases_referral")),
    RouteCase(
        "referral-decline",
        "POST",
        SUPPORT,
        200,
        kwargs=pk("cases_referral"),
        data=lambda w: {"reason": "No lawyer free this month."},
    ),
    RouteCase(
        "referral-complete",
        "POST",
        SUPPORT,
        200,
        kwargs=pk("cases_accepted"),
        data=lambda w: {"note": "Advice given."},
        check=access_ended,
    ),
    RouteCase(
        "referral-revoke",
        "POST",
        WORKER,
        200,
        kwargs=pk("cases_accepted"),
        data=lambda w: {"reason": "No longer needed."},
        check=access_ended,
    ),
    RouteCase("case-transfer-list", "GET", THIRD, 200, shows=api_row("cases_transfer")),
    RouteCase("case-transfer-detail", "GET", THIRD, 200, kwargs=pk("cases_transfer")),
    RouteCase("case-transfer-accept", "POST", THIRD, 200, kwargs=pk("cases_transfer"), check=owner_changed),
    RouteCase(
        "case-transfer-decline",
        "POST",
        THIRD,
        200,
        kwargs=pk("cases_transfer"),
        data=lambda w: {"reason": "No place for her here."},
    ),
    RouteCase("specialist-list", "GET", WORKER, 200, shows=api_row("cases_specialist")),
    RouteCase(
        "specialist-list",
        "POST",
        WORKER,
        201,
        data=lambda w: {"full_name": "Dana Abenova"},
        other_region=None,
        why=OWN_SPECIALIST,
    ),
    RouteCase("specialist-detail", "GET", WORKER, 200, kwargs=pk("cases_specialist")),
    RouteCase(
        "specialist-qualifications",
        "POST",
        WORKER,
        201,
        kwargs=pk("cases_specialist"),
        data=lambda w: {
            "kind": "psychological",
            "document_number": "PS-7",
            "issuer": "Ministry of Health",
            "valid_until": today(365),
        },
    ),
]
