"""Scope cases of every offenders route, pages and API (see qorgau/core/testing_matrix.py).

The world lives in Astana: a signal with an alleged offender registered by the Astana police, the
treatment referral the district inspector starts from it, a health facility's narcologist, a programme
provider with its programme and a referral to it, and the victim's case at a crisis centre with the
partner contact the referral offered. The Shymkent twins hold the same roles at Shymkent agencies.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from qorgau.cases.models import Case as VictimCase
from qorgau.cases.services import do_open_case
from qorgau.core.models import Agency, AgencyType, User
from qorgau.core.permissions import Scope
from qorgau.core.testing import AgencyFactory, UserFactory, role
from qorgau.core.testing_matrix import Case, World, builds
from qorgau.intake.models import Signal
from qorgau.intake.services import do_register_signal
from qorgau.people.services import do_create_person

from ..models import (
    CourtRequirement,
    Format,
    Method,
    PartnerContact,
    Programme,
    ProgrammeReferral,
    ProgrammeSession,
    Standard,
    TreatmentReferral,
)
from ..services import (
    do_assess,
    do_end_programme,
    do_record_requirement,
    do_record_session,
    do_refer_to_programme,
    do_start_treatment_referral,
)

INSPECTOR = "astana_inspector"
PROVIDER = "off_provider"
WORKER = "off_case_worker"
ANALYST = "off_analyst"
OTHERS_SIGNAL = (
    "the Astana signal is not the twin's: its id 'does not exist' in the body (400), nothing written"
)


def _user(username: str, agency: Agency, slug: str, **kw: Any) -> User:
    user = UserFactory.create(
        username=username, agency=agency, role=role(slug), scope=kw.pop("scope", Scope.AGENCY), **kw
    )
    return User.objects.get(pk=user.pk)


@builds("off_signal")
def _signal(w: World) -> Signal:
    return do_register_signal(
        actor=w.user("astana_officer"),
        channel="call_102",
        received_at=timezone.now() - dt.timedelta(hours=2),
        region=w.p.astana,
        victims=[w["person"]],
        offenders=[w["offender"]],
        relationship="spouse",
        forms=["physical"],
        alcohol_or_drugs=True,
    )


@builds("off_health")
def _health(w: World) -> Agency:
    return AgencyFactory.create(name="Matrix Narcological Centre", type=AgencyType.HEALTH, region=w.p.astana)


@builds("off_treatment")
def _treatment(w: World) -> TreatmentReferral:
    return do_start_treatment_referral(
        actor=w.user(INSPECTOR),
        signal=w["off_signal"],
        offender=w["offender"],
        dependence="alcohol",
        grounds="Repeated signals under the influence.",
        documents=["signal_report"],
    )


@builds(PROVIDER)
def _provider(w: World) -> User:
    agency = AgencyFactory.create(name="Matrix Programme NGO", type=AgencyType.NGO, region=w.p.astana)
    return _user("matrix_provider", agency, "programme_provider")


@builds("off_programme")
def _programme(w: World) -> Programme:
    agency = w.user(PROVIDER).agency
    assert agency is not None
    return Programme.objects.create(
        agency=agency,
        name="Matrix course",
        method=Method.CBT,
        sessions=10,
        format=Format.GROUP,
        languages=["ru"],
        standard=Standard.WWP,
    )


@builds(WORKER)
def _worker(w: World) -> User:
    centre = AgencyFactory.create(
        name="Matrix Crisis Centre", type=AgencyType.CRISIS_CENTRE, region=w.p.astana
    )
    return _user("matrix_cw", centre, "case_worker")


@builds("off_case")
def _case(w: World) -> VictimCase:
    worker = w.user(WORKER)
    person, _ = do_create_person(actor=worker, surname="Matrix", given_name="Aruzhan", sex="F")
    case = do_open_case(actor=worker, victim=person)
    VictimCase.objects.filter(pk=case.pk).update(signal=w["off_signal"])
    return case


@builds("off_referral")
def _referral(w: World) -> ProgrammeReferral:
    w["off_case"]
    return do_refer_to_programme(
        actor=w.user(INSPECTOR),
        programme=w["off_programme"],
        offender=w["offender"],
        basis="police",
        signal=w["off_signal"],
    )


@builds("off_assessed")
def _assessed(w: World) -> ProgrammeReferral:
    return do_assess(actor=w.user(PROVIDER), referral=w["off_referral"], items=[], suitable=True)


@builds("off_absence")
def _absence(w: World) -> ProgrammeSession:
    return do_record_session(
        actor=w.user(PROVIDER),
        referral=w["off_assessed"],
        held_on=timezone.localdate(),
        attendance="unacceptable",
    )


@builds("off_contact")
def _contact(w: World) -> PartnerContact:
    return PartnerContact.objects.get(referral=w["off_referral"])


@builds("off_review")
def _review(w: World) -> PartnerContact:
    do_end_programme(
        actor=w.user(PROVIDER), referral=w["off_assessed"], completed=False, dropout_reason="stopped"
    )
    return PartnerContact.objects.get(referral=w["off_referral"])


@builds("off_requirement")
def _requirement(w: World) -> CourtRequirement:
    return do_record_requirement(
        actor=w.user(INSPECTOR),
        signal=w["off_signal"],
        offender=w["offender"],
        kinds=["no_alcohol"],
        months=6,
        starts_on=timezone.localdate(),
        court_reference="2-123/2026",
    )


@builds(ANALYST)
def _analyst(w: World) -> User:
    return _user(
        "matrix_off_analyst", w.p.astana_police, "analyst", scope=Scope.REGIONS, regions=[w.p.astana]
    )


def pk(name: str) -> Any:
    return lambda w: {"pk": w[name].pk}


def row(name: str, attribute: str) -> Any:
    return lambda w: f'{attribute}="{w[name].pk}"'


def api_row(name: str) -> Any:
    return lambda w: f'"id":{w[name].pk},'


def examined(w: World, response: Any) -> None:
    assert TreatmentReferral.objects.get(pk=w["off_treatment"].pk).status == "examination"


def step_form(w: World) -> dict[str, Any]:
    return {
        "to": "examination",
        "documents": ["signal_report", "examination_referral"],
        "health_agency": w["off_health"].pk,
    }


def started(w: World, response: Any) -> None:
    assert TreatmentReferral.objects.filter(signal=w["off_signal"]).count() == 1


def referred(w: World, response: Any) -> None:
    assert ProgrammeReferral.objects.filter(signal=w["off_signal"]).count() == 1


def contacted(w: World, response: Any) -> None:
    assert ProgrammeReferral.objects.get(pk=w["off_referral"].pk).contacted_at is not None


def assessed(w: World, response: Any) -> None:
    assert ProgrammeReferral.objects.get(pk=w["off_referral"].pk).status == "assessed"


def session_recorded(w: World, response: Any) -> None:
    assert ProgrammeSession.objects.filter(referral=w["off_assessed"]).count() == 1


def dropped(w: World, response: Any) -> None:
    assert ProgrammeReferral.objects.get(pk=w["off_assessed"].pk).status == "dropped_out"


def seen(w: World, response: Any) -> None:
    assert ProgrammeSession.objects.get(pk=w["off_absence"].pk).inspector_seen_at is not None


def answered(w: World, response: Any) -> None:
    assert PartnerContact.objects.get(pk=w["off_contact"].pk).status == "made"


def reviewed(w: World, response: Any) -> None:
    assert PartnerContact.objects.get(pk=w["off_review"].pk).safety_reviewed_at is not None


def required(w: World, response: Any) -> None:
    assert CourtRequirement.objects.filter(signal=w["off_signal"]).count() == 1


def checked(w: World, response: Any) -> None:
    assert w["off_requirement"].checks.count() == 1


def today() -> str:
    return timezone.localdate().isoformat()


def analysis_ready(w: World) -> dict[str, Any]:
    w["off_referral"]
    return {}


CASES = [
    # pages
    Case("offenders:treatment_list", "GET", INSPECTOR, 200, shows=row("off_treatment", "data-treatment")),
    Case("offenders:treatment_detail", "GET", INSPECTOR, 200, kwargs=pk("off_treatment")),
    Case("offenders:treatment_start", "GET", INSPECTOR, 200, kwargs=pk("off_signal")),
    Case(
        "offenders:treatment_start",
        "POST",
        INSPECTOR,
        302,
        kwargs=pk("off_signal"),
        data=lambda w: {
            "offender": w["offender"].pk,
            "dependence": "alcohol",
            "grounds": "Repeated signals.",
            "documents": ["signal_report"],
        },
        check=started,
    ),
    Case("offenders:treatment_step", "GET", INSPECTOR, 200, kwargs=pk("off_treatment")),
    Case(
        "offenders:treatment_step",
        "POST",
        INSPECTOR,
        302,
        kwargs=pk("off_treatment"),
        data=step_form,
        check=examined,
    ),
    Case("offenders:programme_refer", "GET", INSPECTOR, 200, kwargs=pk("off_signal")),
    Case(
        "offenders:programme_refer",
        "POST",
        INSPECTOR,
        302,
        kwargs=pk("off_signal"),
        data=lambda w: {"offender": w["offender"].pk, "programme": w["off_programme"].pk, "basis": "police"},
        check=referred,
    ),
    Case("offenders:requirement_add", "GET", INSPECTOR, 200, kwargs=pk("off_signal")),
    Case(
        "offenders:requirement_add",
        "POST",
        INSPECTOR,
        302,
        kwargs=pk("off_signal"),
        data=lambda w: {
            "offender": w["offender"].pk,
            "kinds": ["no_contact"],
            "months": 3,
            "starts_on": today(),
            "court_reference": "2-1/2026",
        },
        check=required,
    ),
    Case(
        "offenders:programme_referral_list",
        "GET",
        PROVIDER,
        200,
        shows=row("off_referral", "data-programme-referral"),
    ),
    Case("offenders:programme_referral_detail", "GET", PROVIDER, 200, kwargs=pk("off_referral")),
    Case("offenders:programme_assess", "GET", PROVIDER, 200, kwargs=pk("off_referral")),
    Case(
        "offenders:programme_assess",
        "POST",
        PROVIDER,
        302,
        kwargs=pk("off_referral"),
        data=lambda w: {"items": ["threat_to_harm"], "suitable": "yes"},
        check=assessed,
    ),
    Case("offenders:programme_session", "GET", PROVIDER, 200, kwargs=pk("off_assessed")),
    Case(
        "offenders:programme_session",
        "POST",
        PROVIDER,
        302,
        kwargs=pk("off_assessed"),
        data=lambda w: {"held_on": today(), "attendance": "attended"},
        check=session_recorded,
    ),
    Case("offenders:programme_end", "GET", PROVIDER, 200, kwargs=pk("off_assessed")),
    Case(
        "offenders:programme_end",
        "POST",
        PROVIDER,
        302,
        kwargs=pk("off_assessed"),
        data=lambda w: {"completed": "no", "dropout_reason": "stopped"},
        check=dropped,
    ),
    Case("offenders:absence_seen", "GET", INSPECTOR, 200, kwargs=pk("off_absence")),
    Case("offenders:absence_seen", "POST", INSPECTOR, 302, kwargs=pk("off_absence"), check=seen),
    Case("offenders:partner_contact_list", "GET", WORKER, 200, shows=row("off_contact", "data-contact")),
    Case("offenders:partner_contact", "GET", WORKER, 200, kwargs=pk("off_contact")),
    Case(
        "offenders:partner_contact",
        "POST",
        WORKER,
        302,
        kwargs=pk("off_contact"),
        data=lambda w: {"status": "made"},
        check=answered,
    ),
    Case(
        "offenders:reoffending",
        "GET",
        ANALYST,
        200,
        kwargs=analysis_ready,
        shows=lambda w: f'data-programme="{w["off_programme"].pk}"',
    ),
    Case("offenders:requirement_check", "GET", INSPECTOR, 200, kwargs=pk("off_requirement")),
    Case(
        "offenders:requirement_check",
        "POST",
        INSPECTOR,
        302,
        kwargs=pk("off_requirement"),
        data=lambda w: {"checked_on": today(), "complied": "yes"},
        check=checked,
    ),
    # API
    Case("offenders-treatment-list", "GET", INSPECTOR, 200, shows=api_row("off_treatment")),
    Case(
        "offenders-treatment-list",
        "POST",
        INSPECTOR,
        201,
        data=lambda w: {
            "signal": w["off_signal"].pk,
            "offender": w["offender"].pk,
            "dependence": "drugs",
            "grounds": "Drug use at the time of the incident.",
        },
        headers={"Idempotency-Key": "matrix-offenders-1"},
        other_region=400,
        why=OTHERS_SIGNAL,
        check=started,
    ),
    Case("offenders-treatment-detail", "GET", INSPECTOR, 200, kwargs=pk("off_treatment")),
    Case(
        "offenders-treatment-step",
        "POST",
        INSPECTOR,
        200,
        kwargs=pk("off_treatment"),
        data=step_form,
        check=examined,
    ),
    Case("offenders-programme-list", "GET", PROVIDER, 200, shows=api_row("off_referral")),
    Case(
        "offenders-programme-list",
        "POST",
        INSPECTOR,
        201,
        data=lambda w: {
            "programme": w["off_programme"].pk,
            "offender": w["offender"].pk,
            "basis": "police",
            "signal": w["off_signal"].pk,
        },
        headers={"Idempotency-Key": "matrix-offenders-2"},
        other_region=400,
        why=OTHERS_SIGNAL,
        check=referred,
    ),
    Case("offenders-programme-detail", "GET", PROVIDER, 200, kwargs=pk("off_referral")),
    Case(
        "offenders-programme-contact",
        "POST",
        PROVIDER,
        200,
        kwargs=pk("off_referral"),
        data=lambda w: {"at": timezone.now().isoformat()},
        check=contacted,
    ),
    Case(
        "offenders-programme-assess",
        "POST",
        PROVIDER,
        200,
        kwargs=pk("off_referral"),
        data=lambda w: {"items": [], "suitable": True},
        check=assessed,
    ),
    Case(
        "offenders-programme-sessions",
        "POST",
        PROVIDER,
        201,
        kwargs=pk("off_assessed"),
        data=lambda w: {"held_on": today(), "attendance": "attended"},
        check=session_recorded,
    ),
    Case(
        "offenders-programme-end",
        "POST",
        PROVIDER,
        200,
        kwargs=pk("off_assessed"),
        data=lambda w: {"completed": False, "dropout_reason": "stopped"},
        check=dropped,
    ),
    Case("offenders-requirement-list", "GET", INSPECTOR, 200, shows=api_row("off_requirement")),
    Case(
        "offenders-requirement-list",
        "POST",
        INSPECTOR,
        201,
        data=lambda w: {
            "signal": w["off_signal"].pk,
            "offender": w["offender"].pk,
            "kinds": ["no_alcohol"],
            "months": 6,
            "starts_on": today(),
            "court_reference": "2-7/2026",
        },
        other_region=400,
        why=OTHERS_SIGNAL,
        check=required,
    ),
    Case("offenders-requirement-detail", "GET", INSPECTOR, 200, kwargs=pk("off_requirement")),
    Case(
        "offenders-requirement-checks",
        "POST",
        INSPECTOR,
        201,
        kwargs=pk("off_requirement"),
        data=lambda w: {"checked_on": today(), "complied": True},
        check=checked,
    ),
    Case("offenders-partner-contact-list", "GET", WORKER, 200, shows=api_row("off_contact")),
    Case(
        "offenders-partner-contact-answer",
        "POST",
        WORKER,
        200,
        kwargs=pk("off_contact"),
        data=lambda w: {"status": "made"},
        check=answered,
    ),
    Case(
        "offenders-partner-contact-safety-review",
        "POST",
        WORKER,
        200,
        kwargs=pk("off_review"),
        check=reviewed,
    ),
]

EXEMPT: dict[str, str] = {}
