"""Scope cases of every cases route (see qorgau/core/testing_matrix.py): the pages here, the API's in
matrix_api.py.

The cases live in Astana, at an Astana crisis centre whose case worker (the shipped `case_worker` role,
agency scope) opened them; referrals and transfers go to an Astana legal-aid NGO whose case worker
answers them. The permitted user's Shymkent twin holds the same role at a Shymkent agency of the same
type, so its 404 is about scope, not a missing action.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from qorgau.core.models import AgencyType, User
from qorgau.core.permissions import Scope
from qorgau.core.testing import AgencyFactory, UserFactory, role
from qorgau.core.testing_matrix import Case, World, builds
from qorgau.intake.services import do_register_signal
from qorgau.people.models import Person
from qorgau.people.services import do_create_person

from ..models import Case as VictimCase
from ..models import CaseService, CaseTransfer, Referral, ReferralPurpose, Specialist
from ..services import (
    do_accept_referral,
    do_add_qualification,
    do_add_specialist,
    do_assign_service,
    do_close_case,
    do_open_case,
    do_refer_case,
    do_request_transfer,
)
from .matrix_api import CASES as API_CASES

WORKER, SUPPORT = "case_worker", "support_worker"


def _user(agency: Any, username: str) -> User:
    user = UserFactory.create(username=username, agency=agency, role=role("case_worker"), scope=Scope.AGENCY)
    return User.objects.get(pk=user.pk)


@builds("crisis_centre")
def _centre(w: World) -> Any:
    return AgencyFactory.create(name="Astana Crisis Centre", type=AgencyType.CRISIS_CENTRE, region=w.p.astana)


@builds("legal_aid")
def _legal_aid(w: World) -> Any:
    return AgencyFactory.create(name="Astana Legal Aid", type=AgencyType.NGO, region=w.p.astana)


@builds(WORKER)
def _worker(w: World) -> User:
    return _user(w["crisis_centre"], "zhanna")


@builds("colleague")
def _colleague(w: World) -> User:
    return _user(w["crisis_centre"], "asel")


@builds(SUPPORT)
def _support(w: World) -> User:
    return _user(w["legal_aid"], "madina")


def _person(w: World, surname: str, given: str) -> Person:
    person, _ = do_create_person(actor=w.user(WORKER), surname=surname, given_name=given, sex="F")
    return person


@builds("victim")
def _victim(w: World) -> Person:
    return _person(w, "Seitkali", "Aigerim")


@builds("self_referred")
def _self_referred(w: World) -> Person:
    return _person(w, "Omarova", "Zhanar")


@builds("child")
def _child(w: World) -> Person:
    return _person(w, "Seitkali", "Ayan")


@builds("case")
def _case(w: World) -> VictimCase:
    return do_open_case(actor=w.user(WORKER), victim=w["victim"])


@builds("closed_case")
def _closed(w: World) -> VictimCase:
    case = do_open_case(actor=w.user(WORKER), victim=_person(w, "Nurlanova", "Dana"))
    return do_close_case(actor=w.user(WORKER), case=case, outcome="safe", reason="Safe with her family.")


@builds("case_signal")
def _signal(w: World) -> Any:
    # Registered by the centre's case worker (case workers report signals): a signal she sees.
    return do_register_signal(
        actor=w.user(WORKER),
        channel="call_102",
        received_at=timezone.now() - dt.timedelta(hours=2),
        region=w.p.astana,
        victims=[_person(w, "Bekova", "Saltanat")],
        forms=["physical"],
    )


@builds("specialist")
def _specialist(w: World) -> Specialist:
    specialist = do_add_specialist(actor=w.user(WORKER), full_name="Aliya Serikova")
    do_add_qualification(
        actor=w.user(WORKER),
        specialist=specialist,
        kind="legal",
        document_number="LIC-0042",
        issuer="Ministry of Justice",
        valid_until=timezone.localdate() + dt.timedelta(days=300),
    )
    return specialist


@builds("service")
def _service(w: World) -> CaseService:
    return do_assign_service(actor=w.user(WORKER), case=w["case"], type="legal", specialist=w["specialist"])


def _consultation() -> ReferralPurpose:
    return ReferralPurpose.objects.get(code="consultation")  # no identifying data: no consent needed


@builds("referral")
def _referral(w: World) -> Referral:
    return do_refer_case(
        actor=w.user(WORKER), case=w["case"], to_agency=w["legal_aid"], purpose="consultation"
    )


@builds("accepted_referral")
def _accepted(w: World) -> Referral:
    return do_accept_referral(actor=w.user(SUPPORT), referral=w["referral"])


@builds("transfer")
def _transfer(w: World) -> CaseTransfer:
    return do_request_transfer(
        actor=w.user(WORKER), case=w["case"], to_agency=w["legal_aid"], reason="The victim moved."
    )


def pk(name: str) -> Any:
    return lambda w: {"pk": w[name].pk}


def today() -> str:
    return timezone.localdate().isoformat()


def state_is(name: str, **expected: Any) -> Any:
    def check(w: World, response: Any) -> None:
        row = type(w[name]).objects.get(pk=w[name].pk)
        for field, value in expected.items():
            assert getattr(row, field) == value, (field, getattr(row, field))

    return check


def exists(model: Any, **lookup: Any) -> Any:
    def check(w: World, response: Any) -> None:
        assert model.objects.filter(**{k: (v(w) if callable(v) else v) for k, v in lookup.items()}).exists()

    return check


FORM = "an empty form of the twin's own agency: nothing of Astana on it"
OWN_AGENCY = "the user must be one of the twin's own agency: Astana's is refused with a field error"
PERSON_OUT = "the person is out of the twin's scope: as if absent (404), nothing written"

PAGES = [
    Case("cases:case_list", "GET", WORKER, 200, shows=lambda w: w["case"].code),
    Case("cases:case_open", "GET", WORKER, 200, other_region=200, why=FORM),
    Case(
        "cases:case_open",
        "POST",
        WORKER,
        302,
        data=lambda w: {"action": f"pick:{w['self_referred'].pk}"},
        other_region=404,
        check=exists(VictimCase, victim=lambda w: w["self_referred"].pk),
        why=PERSON_OUT,
    ),
    Case("cases:case_from_signal", "GET", WORKER, 200, kwargs=pk("case_signal")),
    Case(
        "cases:case_from_signal",
        "POST",
        WORKER,
        302,
        kwargs=pk("case_signal"),
        data=lambda w: {"victim": w["case_signal"].parties.get(role="victim").person_id},
        check=exists(VictimCase, signal=lambda w: w["case_signal"].pk),
    ),
    Case("cases:case_detail", "GET", WORKER, 200, kwargs=pk("case"), shows=lambda w: w["case"].code),
    Case("cases:assessment", "GET", WORKER, 200, kwargs=pk("case")),
    Case(
        "cases:assessment",
        "POST",
        WORKER,
        302,
        kwargs=pk("case"),
        data=lambda w: {"needs": ["legal", "psychological"]},
        check=state_is("case", state="assessment"),
    ),
    Case("cases:safety_plan", "GET", WORKER, 200, kwargs=pk("case")),
    Case(
        "cases:safety_plan",
        "POST",
        WORKER,
        302,
        kwargs=pk("case"),
        data=lambda w: {"safe_place": "Her sister's flat", "review_due": today()},
        check=state_is("case", state="safety_plan"),
    ),
    Case("cases:goal_add", "GET", WORKER, 200, kwargs=pk("case")),
    Case(
        "cases:goal_add",
        "POST",
        WORKER,
        302,
        kwargs=pk("case"),
        data=lambda w: {"description": "Find a safe flat"},
        check=state_is("case", state="case_plan"),
    ),
    Case("cases:service_add", "GET", WORKER, 200, kwargs=pk("case")),
    Case(
        "cases:service_add",
        "POST",
        WORKER,
        302,
        kwargs=pk("case"),
        data=lambda w: {"type": "legal", "specialist": w["specialist"].pk, "starts_on": today()},
        check=state_is("case", state="services"),
    ),
    Case("cases:child_add", "GET", WORKER, 200, kwargs=pk("case")),
    Case(
        "cases:child_add",
        "POST",
        WORKER,
        302,
        kwargs=pk("case"),
        data=lambda w: {"action": f"pick:{w['child'].pk}", "child-needs": ["education"]},
        check=exists(VictimCase, pk=lambda w: w["case"].pk, children__person=lambda w: w["child"].pk),
    ),
    Case("cases:case_close", "GET", WORKER, 200, kwargs=pk("case")),
    Case(
        "cases:case_close",
        "POST",
        WORKER,
        302,
        kwargs=pk("case"),
        data=lambda w: {"outcome": "safe", "reason": "She is safe with her family."},
        check=state_is("case", state="closed"),
    ),
    Case("cases:case_reopen", "GET", WORKER, 200, kwargs=pk("closed_case")),
    Case(
        "cases:case_reopen",
        "POST",
        WORKER,
        302,
        kwargs=pk("closed_case"),
        data=lambda w: {"reason": "A new incident."},
        check=state_is("closed_case", state="reopened"),
    ),
    Case("cases:case_assign", "GET", WORKER, 200, kwargs=pk("case")),
    Case(
        "cases:case_assign",
        "POST",
        WORKER,
        302,
        kwargs=pk("case"),
        data=lambda w: {"assignee": w.user("colleague").pk},
        check=lambda w, response: (
            None
            if VictimCase.objects.get(pk=w["case"].pk).assigned_to_id == w.user("colleague").pk
            else pytest.fail("not assigned")
        ),
    ),
    Case("cases:referral_create", "GET", WORKER, 200, kwargs=pk("case")),
    Case(
        "cases:referral_create",
        "POST",
        WORKER,
        302,
        kwargs=pk("case"),
        data=lambda w: {"to_agency": w["legal_aid"].pk, "purpose": _consultation().pk},
        check=exists(Referral, case=lambda w: w["case"].pk),
    ),
    Case("cases:transfer_request", "GET", WORKER, 200, kwargs=pk("case")),
    Case(
        "cases:transfer_request",
        "POST",
        WORKER,
        302,
        kwargs=pk("case"),
        data=lambda w: {"to_agency": w["legal_aid"].pk, "reason": "The victim moved."},
        check=exists(CaseTransfer, case=lambda w: w["case"].pk),
    ),
    Case("cases:session_add", "GET", WORKER, 200, kwargs=pk("service")),
    Case(
        "cases:session_add",
        "POST",
        WORKER,
        302,
        kwargs=pk("service"),
        data=lambda w: {
            "held_on": today(),
            "duration_minutes": "45",
            "outcome": "Advice on protection orders",
        },
        check=exists(CaseService, pk=lambda w: w["service"].pk, sessions__isnull=False),
    ),
    Case("cases:referral_list", "GET", WORKER, 200, shows=lambda w: w["referral"].code),
    Case(
        "cases:referral_detail",
        "GET",
        SUPPORT,
        200,
        kwargs=pk("referral"),
        shows=lambda w: w["referral"].code,
    ),
    Case("cases:referral_accept", "GET", SUPPORT, 200, kwargs=pk("referral")),
    Case(
        "cases:referral_accept",
        "POST",
        SUPPORT,
        302,
        kwargs=pk("referral"),
        check=state_is("referral", status="accepted"),
    ),
    Case("cases:referral_decline", "GET", SUPPORT, 200, kwargs=pk("referral")),
    Case(
        "cases:referral_decline",
        "POST",
        SUPPORT,
        302,
        kwargs=pk("referral"),
        data=lambda w: {"reason": "We have no lawyer free this month."},
        check=state_is("referral", status="declined"),
    ),
    Case("cases:referral_complete", "GET", WORKER, 200, kwargs=pk("accepted_referral")),
    Case(
        "cases:referral_complete",
        "POST",
        WORKER,
        302,
        kwargs=pk("accepted_referral"),
        data=lambda w: {"note": "Advice given."},
        check=state_is("accepted_referral", status="completed"),
    ),
    Case("cases:referral_revoke", "GET", WORKER, 200, kwargs=pk("referral")),
    Case(
        "cases:referral_revoke",
        "POST",
        WORKER,
        302,
        kwargs=pk("referral"),
        data=lambda w: {"reason": "The victim asked us to stop."},
        check=state_is("referral", status="revoked"),
    ),
    Case("cases:transfer_accept", "GET", SUPPORT, 200, kwargs=pk("transfer")),
    Case(
        "cases:transfer_accept",
        "POST",
        SUPPORT,
        302,
        kwargs=pk("transfer"),
        check=state_is("transfer", status="accepted"),
    ),
    Case("cases:transfer_decline", "GET", SUPPORT, 200, kwargs=pk("transfer")),
    Case(
        "cases:transfer_decline",
        "POST",
        SUPPORT,
        302,
        kwargs=pk("transfer"),
        data=lambda w: {"reason": "No place for her here."},
        check=state_is("transfer", status="declined"),
    ),
    Case("cases:specialist_list", "GET", WORKER, 200, shows=lambda w: w["specialist"].display_name),
    Case("cases:specialist_add", "GET", WORKER, 200, other_region=200, why=FORM),
    Case(
        "cases:specialist_add",
        "POST",
        WORKER,
        302,
        data=lambda w: {"user": w.user("colleague").pk},
        other_region=200,
        check=exists(Specialist, user=lambda w: w.user("colleague").pk),
        why=OWN_AGENCY,
    ),
    Case("cases:specialist_change", "GET", WORKER, 200, kwargs=pk("specialist")),
    Case(
        "cases:specialist_change",
        "POST",
        WORKER,
        302,
        kwargs=pk("specialist"),
        data=lambda w: {"full_name": "Aliya Serikova"},
        check=state_is("specialist", is_active=False),
    ),
    Case("cases:qualification_add", "GET", WORKER, 200, kwargs=pk("specialist")),
    Case(
        "cases:qualification_add",
        "POST",
        WORKER,
        302,
        kwargs=pk("specialist"),
        data=lambda w: {
            "kind": "psychological",
            "document_number": "PSY-7",
            "issuer": "Astana Medical University",
            "valid_until": (timezone.localdate() + dt.timedelta(days=100)).isoformat(),
        },
        check=exists(Specialist, pk=lambda w: w["specialist"].pk, qualifications__kind="psychological"),
    ),
]

CASES = [*PAGES, *API_CASES]
