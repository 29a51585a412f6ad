"""Scope cases of every risk route (see qorgau/core/testing_matrix.py).

Assessments are made by the Astana district inspector on a signal of the Astana police (the intake
matrix's "signal"), or by a case worker of an Astana crisis centre on its case; conferences are chaired by
the Astana conference chair (regions scope); actions are assigned to the Astana police. The permitted
user's Shymkent twin holds the same role in Shymkent, so its 404 is about scope.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from qorgau.cases.models import Case as VictimCase
from qorgau.cases.services import do_open_case
from qorgau.core.models import AgencyType, User
from qorgau.core.permissions import Scope
from qorgau.core.testing import AgencyFactory, UserFactory, role
from qorgau.core.testing_matrix import Case, World, builds
from qorgau.people.models import Person

from ..models import Assessment, Conference, ConferenceAction, ConferenceReferral, ReferralStatus
from ..services import (
    do_add_action,
    do_build_agenda,
    do_save_assessment,
    do_schedule_conference,
    do_start_assessment,
)
from .factories import answers

INSPECTOR, CHAIR, WORKER = "astana_inspector", "astana_chair", "risk_case_worker"
MANDATE = "Law No. 214-IV, art. 9"


@builds("risk_case_worker")
def _worker(w: World) -> User:
    centre = AgencyFactory.create(
        name="Astana Crisis Centre", type=AgencyType.CRISIS_CENTRE, region=w.p.astana
    )
    user = UserFactory.create(
        username="risk_worker", agency=centre, role=role("case_worker"), scope=Scope.AGENCY
    )
    return User.objects.get(pk=user.pk)


@builds("risk_case")
def _case(w: World) -> VictimCase:
    worker = w.user(WORKER)
    assert worker.agency is not None
    victim = Person.objects.create(
        surname="Nurlanova", given_name="Dana", agency=worker.agency, region=w.p.astana
    )
    return do_open_case(actor=worker, victim=victim, district=w["district"])


@builds("risk_draft")
def _draft(w: World) -> Assessment:
    return do_start_assessment(actor=w.user(INSPECTOR), victim=w["person"], signal=w["signal"])


@builds("risk_done")
def _done(w: World) -> Assessment:
    draft = do_start_assessment(actor=w.user(INSPECTOR), victim=w["person"], signal=w["signal"])
    return do_save_assessment(
        actor=w.user(INSPECTOR), assessment=draft, answers=answers(draft.version, 20), complete=True
    )


@builds("risk_conference")
def _conference(w: World) -> Conference:
    return do_schedule_conference(
        actor=w.user(CHAIR), district=w["district"], date=timezone.localdate(), legal_mandate=MANDATE
    )


@builds("risk_listed")
def _listed(w: World) -> Conference:
    w["risk_done"]
    conference = w["risk_conference"]
    do_build_agenda(actor=w.user(CHAIR), conference=conference)
    return conference


@builds("risk_action")
def _action(w: World) -> ConferenceAction:
    return do_add_action(
        actor=w.user(CHAIR),
        conference=w["risk_listed"],
        referral=w["risk_done"].referral,
        agency=w.p.astana_police,
        description="Visit the family with the district inspector.",
        due_date=timezone.localdate() + dt.timedelta(days=7),
    )


def pk(name: str) -> Any:
    return lambda w: {"pk": w[name].pk}


def code(name: str) -> Any:
    return lambda w: w[name].code


def started(w: World, response: Any) -> None:
    assert Assessment.objects.filter(signal=w["signal"]).exists()


def started_on_case(w: World, response: Any) -> None:
    assert Assessment.objects.filter(case=w["risk_case"]).exists()


def draft_saved(w: World, response: Any) -> None:
    assert w["risk_draft"].answers.filter(value="yes").exists()


def listed(w: World, response: Any) -> None:
    assert ConferenceReferral.objects.get(pk=w["risk_done"].referral.pk).status == ReferralStatus.LISTED


def recorded(w: World, response: Any) -> None:
    assert Conference.objects.get(pk=w["risk_conference"].pk).is_held


def assigned(w: World, response: Any) -> None:
    assert ConferenceAction.objects.filter(conference=w["risk_listed"]).exists()


def completed(w: World, response: Any) -> None:
    assert ConferenceAction.objects.get(pk=w["risk_action"].pk).is_done


def _agenda_kwargs(w: World) -> dict[str, Any]:
    w["risk_done"]
    return {"pk": w["risk_conference"].pk}


def _edit_data(w: World) -> dict[str, Any]:
    item = w["risk_draft"].version.items.get(position=1)
    return {"action": "save", f"item_{item.pk}": "yes"}


def _action_data(w: World) -> dict[str, Any]:
    return {
        "referral": w["risk_done"].referral.pk,
        "agency": w.p.astana_police.pk,
        "description": "Check the protective order.",
        "due_date": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
    }


SCHEDULE = "districts of the twin's own regions only: an Astana district is refused with a field error"

CASES = [
    Case("risk:assessment_list", "GET", INSPECTOR, 200, shows=code("risk_done")),
    Case("risk:assessment_start", "GET", INSPECTOR, 200, kwargs=pk("signal")),
    Case(
        "risk:assessment_start",
        "POST",
        INSPECTOR,
        302,
        kwargs=pk("signal"),
        data=lambda w: {"victim": w["person"].pk, "with_victim": "on"},
        check=started,
    ),
    Case("risk:case_assessment_start", "GET", WORKER, 200, kwargs=pk("risk_case")),
    Case(
        "risk:case_assessment_start",
        "POST",
        WORKER,
        302,
        kwargs=pk("risk_case"),
        data=lambda w: {"victim": w["risk_case"].victim_id, "with_victim": "on"},
        check=started_on_case,
    ),
    Case("risk:assessment_detail", "GET", INSPECTOR, 200, kwargs=pk("risk_done")),
    Case("risk:assessment_edit", "GET", INSPECTOR, 200, kwargs=pk("risk_draft")),
    Case(
        "risk:assessment_edit",
        "POST",
        INSPECTOR,
        302,
        kwargs=pk("risk_draft"),
        data=_edit_data,
        check=draft_saved,
    ),
    Case("risk:referral_list", "GET", CHAIR, 200, shows=lambda w: w["risk_done"].referral.code),
    Case("risk:conference_list", "GET", CHAIR, 200, shows=code("risk_conference")),
    Case("risk:conference_create", "GET", CHAIR, 200, other_region=200, why="an empty form"),
    Case(
        "risk:conference_create",
        "POST",
        CHAIR,
        302,
        data=lambda w: {
            "district": w["district"].pk,
            "date": timezone.localdate().isoformat(),
            "legal_mandate": MANDATE,
        },
        other_region=200,
        why=SCHEDULE,
    ),
    Case("risk:conference_detail", "GET", CHAIR, 200, kwargs=pk("risk_conference")),
    Case("risk:conference_agenda", "POST", CHAIR, 302, kwargs=_agenda_kwargs, check=listed),
    Case("risk:conference_record", "GET", CHAIR, 200, kwargs=pk("risk_listed")),
    Case(
        "risk:conference_record",
        "POST",
        CHAIR,
        302,
        kwargs=pk("risk_listed"),
        data=lambda w: {
            "agencies_present": [w.p.astana_police.pk],
            "information_shared": "Police call-outs.",
        },
        check=recorded,
    ),
    Case("risk:action_create", "GET", CHAIR, 200, kwargs=pk("risk_listed")),
    Case(
        "risk:action_create", "POST", CHAIR, 302, kwargs=pk("risk_listed"), data=_action_data, check=assigned
    ),
    Case("risk:action_list", "GET", INSPECTOR, 200, shows=code("risk_action")),
    Case("risk:action_complete", "GET", INSPECTOR, 200, kwargs=pk("risk_action")),
    Case(
        "risk:action_complete",
        "POST",
        INSPECTOR,
        302,
        kwargs=pk("risk_action"),
        data=lambda w: {"note": "Visited on Monday; the order is respected."},
        check=completed,
    ),
]

REFERENCE = "instrument versions are reference data of the whole country, the same in every region"


def api_row(name: str) -> Any:
    return lambda w: f'"id":{w[name].pk},'


def _item_answers(w: World) -> dict[str, Any]:
    return {"answers": {"injury": "yes", "frightened": "dont_know"}}


def _all_answers(w: World) -> dict[str, Any]:
    codes = w["risk_draft"].version.items.values_list("code", flat=True)
    return {"answers": dict.fromkeys(codes, "yes")}


def api_completed(w: World, response: Any) -> None:
    assert Assessment.objects.get(pk=w["risk_draft"].pk).is_completed


CASES += [
    Case(
        "risk-instrument-version-list",
        "GET",
        INSPECTOR,
        200,
        shows=lambda w: '"instrument":"dash"',
        other_region=None,
        why=REFERENCE,
    ),
    Case(
        "risk-instrument-version-detail",
        "GET",
        INSPECTOR,
        200,
        kwargs=lambda w: {"pk": w["risk_draft"].version_id},
        other_region=200,
        why=REFERENCE,
    ),
    Case("risk-assessment-list", "GET", INSPECTOR, 200, shows=api_row("risk_done")),
    Case(
        "risk-assessment-list",
        "POST",
        INSPECTOR,
        201,
        data=lambda w: {"signal": w["signal"].pk, "victim": w["person"].pk},
        headers={"Idempotency-Key": "matrix-risk-1"},
        check=started,
        other_region=400,
        why="Astana's signal and person do not exist for the twin: field errors, nothing written",
    ),
    Case("risk-assessment-detail", "GET", INSPECTOR, 200, kwargs=pk("risk_done")),
    Case("risk-assessment-answers", "POST", INSPECTOR, 200, kwargs=pk("risk_draft"), data=_item_answers),
    Case(
        "risk-assessment-complete",
        "POST",
        INSPECTOR,
        200,
        kwargs=pk("risk_draft"),
        data=_all_answers,
        check=api_completed,
    ),
    Case("risk-conference-list", "GET", CHAIR, 200, shows=api_row("risk_conference")),
    Case(
        "risk-conference-list",
        "POST",
        CHAIR,
        201,
        data=lambda w: {
            "district": w["district"].pk,
            "date": timezone.localdate().isoformat(),
            "legal_mandate": MANDATE,
        },
        headers={"Idempotency-Key": "matrix-risk-conf"},
        other_region=400,
        why=SCHEDULE,
    ),
    Case("risk-conference-detail", "GET", CHAIR, 200, kwargs=pk("risk_conference")),
    Case("risk-conference-agenda", "POST", CHAIR, 200, kwargs=_agenda_kwargs, check=listed),
    Case(
        "risk-conference-record",
        "POST",
        CHAIR,
        200,
        kwargs=pk("risk_listed"),
        data=lambda w: {
            "agencies_present": [w.p.astana_police.pk],
            "information_shared": "Police call-outs.",
        },
        check=recorded,
    ),
    Case(
        "risk-conference-actions",
        "POST",
        CHAIR,
        201,
        kwargs=pk("risk_listed"),
        data=_action_data,
        check=assigned,
    ),
    Case("risk-action-list", "GET", INSPECTOR, 200, shows=api_row("risk_action")),
    Case("risk-action-detail", "GET", INSPECTOR, 200, kwargs=pk("risk_action")),
    Case(
        "risk-action-complete",
        "POST",
        INSPECTOR,
        200,
        kwargs=pk("risk_action"),
        data=lambda w: {"note": "Visited on Monday."},
        check=completed,
    ),
]

EXEMPT: dict[str, str] = {}
