"""The cases API: scope (401/403/404), the victim's name never in lists, sections by purpose, referrals
with consent, revocation at once, transfers, closing, qualifications, idempotent creation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from rest_framework.test import APIClient

from qorgau.core.grants import do_grant_access
from qorgau.core.models import AuditEvent, IdempotencyRecord
from qorgau.core.permissions import Scope
from qorgau.core.testing import api_client, role
from qorgau.intake.tests.factories import make_world as make_intake_world
from qorgau.people.models import Consent, Person
from qorgau.people.services import do_withdraw_consent

from ..models import Case, CaseService, Referral, ReferralStatus
from ..services import do_accept_referral, do_record_safety_plan, do_refer_case
from .factories import CaseWorld, new_user

API = "/api/cases"
WEEK = dt.timedelta(days=7)


def client(user: Any) -> APIClient:
    """The API as `user`, answering in English (the default language is Russian)."""
    api = api_client(user)
    api.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return api


def case_url(case: Case, action: str = "") -> str:
    return f"{API}/cases/{case.pk}/{action + '/' if action else ''}"


def referral_url(referral: Referral | int, action: str = "") -> str:
    pk = referral if isinstance(referral, int) else referral.pk
    return f"{API}/referrals/{pk}/{action + '/' if action else ''}"


def post(client: APIClient, url: str, body: dict[str, Any] | None = None, key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(url, body or {}, format="json", headers=headers)


def refer(world: CaseWorld, case: Case, purpose: str = "legal", key: str = "ref-1", **body: Any) -> Any:
    body = {"to_agency": world.support.pk, "purpose": purpose, **body}
    return post(client(world.worker), case_url(case, "referrals"), body, key=key)


def accepted(world: CaseWorld, case: Case, purpose: str = "legal") -> Referral:
    referral = do_refer_case(actor=world.worker, case=case, to_agency=world.support, purpose=purpose)
    return do_accept_referral(actor=world.support_worker, referral=referral)


# --- scope -------------------------------------------------------------------------------------------------


def test_anonymous_401_no_role_403_other_region_404(world: CaseWorld) -> None:
    case = world.open()
    assert APIClient().get(f"{API}/cases/").status_code == 401
    assert APIClient().get(case_url(case)).status_code == 401
    assert client(world.p.outsider).get(f"{API}/cases/").status_code == 403
    shymkent = client(world.shymkent_worker)
    assert shymkent.get(case_url(case)).status_code == 404
    assert shymkent.get(f"{API}/cases/").json()["results"] == []
    assert post(shymkent, case_url(case, "close"), {"outcome": "safe", "reason": "x"}).status_code == 404
    assert Case.objects.get(pk=case.pk).closed_at is None


def test_a_role_without_the_action_gets_403_on_writes(world: CaseWorld) -> None:
    case = world.open()
    # The lawyer may change records (services, sessions) but not close cases nor refer them.
    lawyer = client(world.lawyer)
    assert post(lawyer, case_url(case, "close"), {"outcome": "safe", "reason": "x"}).status_code == 403
    assert post(lawyer, f"{API}/cases/", {"victim": world.victim.pk}, key="k").status_code == 403


def test_the_list_has_codes_never_the_victims_name_and_the_detail_has_it(world: CaseWorld) -> None:
    case = world.open()
    api = client(world.worker)
    listed = api.get(f"{API}/cases/")
    assert listed.status_code == 200
    assert [row["code"] for row in listed.json()["results"]] == [case.code]
    assert "Seitkali" not in listed.content.decode() and "Aigerim" not in listed.content.decode()
    detail = api.get(case_url(case)).json()
    assert detail["victim"]["surname"] == "Seitkali"
    assert set(detail["sections"]) == {
        "summary",
        "identity",
        "assessment",
        "safety_plan",
        "case_plan",
        "services",
        "children",
    }
    assert AuditEvent.objects.filter(action="case.view", object_id=str(case.pk)).exists()


def test_bad_input_is_a_400_with_field_messages(world: CaseWorld) -> None:
    case = world.open()
    api = client(world.worker)
    response = post(api, case_url(case, "safety-plans"), {"review_due": "yesterday", "code_word": 5})
    assert response.status_code == 400
    assert set(response.json()) == {"review_due", "code_word"}
    response = post(api, case_url(case, "safety-plans"), {"review_due": str(timezone.localdate())})
    assert response.status_code == 400 and "safe_place" in response.json()
    assert api.get(f"{API}/cases/?limit=100000").status_code == 400
    assert api.get(f"{API}/cases/?offset=-1").status_code == 400
    assert api.get(f"{API}/cases/?state=open\x00").status_code == 400
    assert api.get(f"{API}/referrals/?case=99999999999999999999").status_code == 400
    assert api.get(f"{API}/cases/?is_open=AAA").status_code == 400
    assert api.get(f"{API}/specialists/?is_active=yes").status_code == 400
    assert [r["code"] for r in api.get(f"{API}/cases/?is_open=true").json()["results"]] == [case.code]
    assert api.get(f"{API}/cases/?is_open=false").json()["results"] == []
    assert api.options(f"{API}/services/{case.pk}/sessions/").status_code == 200  # not a 500
    assert post(api, case_url(case, "goals"), {"description": "a\x00b"}).status_code == 400


# --- opening, idempotently ------------------------------------------------------------------------------


def test_opening_needs_a_key_replays_it_and_refuses_it_for_another_request(world: CaseWorld) -> None:
    api = client(world.worker)
    victim = world.victim
    assert post(api, f"{API}/cases/", {"victim": victim.pk}).status_code == 400  # no key
    first = post(api, f"{API}/cases/", {"victim": victim.pk}, key="open-1")
    again = post(api, f"{API}/cases/", {"victim": victim.pk}, key="open-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert again.json()["id"] == first.json()["id"] and Case.objects.count() == 1
    other = world.person("Ospanova", "Saule")
    conflict = post(api, f"{API}/cases/", {"victim": other.pk}, key="open-1")
    assert conflict.status_code == 409 and "idempotency_key" in conflict.json()
    assert Case.objects.count() == 1
    # Another user of the agency who cannot see the case (own scope) learns nothing from the key.
    own = new_user(agency=world.centre, role=role("case_worker"), scope=Scope.OWN)
    Person.objects.filter(pk=victim.pk).update(created_by=own)  # so that she may name the victim
    replay = post(client(own), f"{API}/cases/", {"victim": victim.pk}, key="open-1")
    assert replay.status_code == 404, replay.json()
    assert Case.objects.count() == 1


def test_a_case_opens_from_a_signal_shared_with_the_centre_for_its_victim(world: CaseWorld) -> None:
    intake = make_intake_world(world.p)
    signal = intake.register()
    api = client(world.worker)
    unseen = post(api, f"{API}/cases/", {"signal": signal.pk}, key="from-signal")
    assert unseen.status_code == 400 and "signal" in unseen.json()  # the police's signal "does not exist"
    do_grant_access(
        actor=intake.officer,
        obj=signal,
        agency=world.centre,
        purpose="referral",
        sections=["summary"],
        expires_at=timezone.now() + WEEK,
        reason="Victim support",
    )
    response = post(api, f"{API}/cases/", {"signal": signal.pk}, key="from-signal")
    assert response.status_code == 201, response.json()
    assert response.json()["opened_via"] == "signal" and response.json()["signal"] == signal.pk


# --- referrals -------------------------------------------------------------------------------------------


def test_a_referral_without_consent_is_refused_with_the_reason_and_audited(world: CaseWorld) -> None:
    case = world.open()
    response = refer(world, case)
    assert response.status_code == 400
    assert "no consent in force" in response.json()["non_field_errors"][0]
    assert not Referral.objects.exists() and not IdempotencyRecord.objects.exists()
    assert AuditEvent.objects.filter(action="referral.refused").count() == 1


def test_a_referral_with_a_valid_consent_is_made_and_replayed(world: CaseWorld) -> None:
    case = world.open()
    world.consent()
    first, again = refer(world, case), refer(world, case)
    assert (first.status_code, again.status_code) == (201, 200), first.json()
    assert again["Idempotent-Replayed"] == "true" and again.json()["id"] == first.json()["id"]
    assert first.json()["status"] == "requested" and Referral.objects.count() == 1
    assert refer(world, case, note="another request").status_code == 409


def test_a_referral_is_refused_after_the_consent_expired_or_was_withdrawn(world: CaseWorld) -> None:
    case = world.open()
    consent = world.consent()
    now = timezone.now()
    Consent.objects.filter(pk=consent.pk).update(
        granted_at=now - dt.timedelta(days=2), expires_at=now - dt.timedelta(seconds=1)
    )
    assert refer(world, case, key="after-expiry").status_code == 400
    other = world.open(victim=world.person("Ospanova", "Saule"))
    withdrawn = world.consent(person=other.victim)
    do_withdraw_consent(actor=world.worker, consent=withdrawn, reason="She withdrew it.")
    assert refer(world, other, key="after-withdrawal").status_code == 400
    assert not Referral.objects.exists()


def test_the_receiving_agency_accepts_and_sees_only_its_purposes_sections(world: CaseWorld) -> None:
    case = world.open()
    do_record_safety_plan(
        actor=world.worker, case=case, review_due=timezone.localdate() + WEEK, safe_place="x"
    )
    world.consent()
    referral_id = refer(world, case).json()["id"]
    support = client(world.support_worker)
    assert support.get(case_url(case)).status_code == 404  # requested: nothing shared yet
    waiting = support.get(f"{API}/referrals/?direction=incoming").json()["results"]
    assert [row["id"] for row in waiting] == [referral_id]
    accepted_ = post(support, referral_url(referral_id, "accept"))
    assert accepted_.status_code == 200 and accepted_.json()["status"] == "accepted"
    detail = support.get(case_url(case))
    assert detail.status_code == 200
    body = detail.json()
    # legal: summary, identity, assessment, case_plan; never the safety plan or the services.
    assert set(body["sections"]) == {"summary", "identity", "assessment", "case_plan"}
    assert body["safety_plans"] is None and body["services"] is None and body["children"] is None
    assert body["victim"]["surname"] == "Seitkali" and body["goals"] == []
    assert "x" not in str(body["safety_plans"])
    # The shared case is read only: a write answers 404.
    assert post(support, case_url(case, "goals"), {"description": "Court"}).status_code == 404


def test_a_consultation_without_identity_shows_no_name(world: CaseWorld) -> None:
    case = world.open()
    referral = refer(world, case, purpose="consultation")
    assert referral.status_code == 201  # discloses no identity: no consent needed
    post(client(world.support_worker), referral_url(referral.json()["id"], "accept"))
    body = client(world.support_worker).get(case_url(case)).json()
    assert set(body["sections"]) == {"summary", "assessment"}
    assert body["victim"] is None and "Seitkali" not in str(body)


def test_revoking_removes_the_access_at_once(world: CaseWorld) -> None:
    case = world.open()
    world.consent()
    referral = accepted(world, case)
    support = client(world.support_worker)
    assert support.get(case_url(case)).status_code == 200
    revoked = post(client(world.worker), referral_url(referral, "revoke"), {"reason": "Not needed."})
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert support.get(case_url(case)).status_code == 404
    assert case.code not in support.get(f"{API}/cases/").content.decode()


def test_revoke_and_decline_need_a_reason_and_the_receiver_cannot_revoke(world: CaseWorld) -> None:
    case = world.open()
    world.consent()
    referral = refer(world, case).json()["id"]
    assert post(client(world.worker), referral_url(referral, "revoke")).json() == {
        "reason": ["Say why the referral is revoked."]
    }
    assert post(client(world.support_worker), referral_url(referral, "decline")).status_code == 400
    declined = post(client(world.support_worker), referral_url(referral, "decline"), {"reason": "Full."})
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    assert Referral.objects.get(pk=referral).status == ReferralStatus.DECLINED
    # A third agency does not see the referral at all.
    assert client(world.third_worker).get(referral_url(referral)).status_code == 404


def test_completing_ends_the_access(world: CaseWorld) -> None:
    case = world.open()
    world.consent()
    referral = accepted(world, case)
    support = client(world.support_worker)
    done = post(support, referral_url(referral, "complete"), {"note": "Advice given."})
    assert done.status_code == 200 and done.json()["status"] == "completed"
    assert support.get(case_url(case)).status_code == 404


# --- transfers, closing, services ------------------------------------------------------------------------


def test_a_transfer_changes_the_owner_when_accepted(world: CaseWorld) -> None:
    case = world.open()
    requested = post(
        client(world.worker),
        case_url(case, "transfers"),
        {"to_agency": world.third.pk, "reason": "Moved."},
    )
    assert requested.status_code == 201, requested.json()
    transfer = requested.json()["id"]
    third = client(world.third_worker)
    assert third.get(case_url(case)).status_code == 404
    answer = post(third, f"{API}/transfers/{transfer}/accept/")
    assert answer.status_code == 200 and answer.json()["status"] == "accepted"
    assert Case.objects.get(pk=case.pk).agency == world.third
    assert third.get(case_url(case)).status_code == 200
    assert client(world.worker).get(case_url(case)).status_code == 404
    # The sending agency keeps the hand-over in its history.
    assert client(world.worker).get(f"{API}/transfers/{transfer}/").status_code == 200


def test_closing_requires_an_outcome_and_a_reason_and_reopening_a_reason(world: CaseWorld) -> None:
    case = world.open()
    api = client(world.worker)
    refused = post(api, case_url(case, "close"), {"reason": "Safe now."})
    assert refused.status_code == 400 and refused.json() == {"outcome": ["Choose the outcome of the case."]}
    assert post(api, case_url(case, "close"), {"outcome": "safe"}).json() == {
        "reason": ["Say why the case is closed."]
    }
    closed = post(api, case_url(case, "close"), {"outcome": "safe", "reason": "Safe now."})
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    assert closed.json()["summary"]["closures"][0]["outcome"] == "safe"
    assert post(api, case_url(case, "reopen")).status_code == 400
    reopened = post(api, case_url(case, "reopen"), {"reason": "New incident."})
    assert reopened.status_code == 200 and reopened.json()["state"] == "reopened"


def test_an_expired_qualification_blocks_the_service_with_its_message(world: CaseWorld) -> None:
    case = world.open()
    specialist = world.specialist(valid_until=timezone.localdate() - dt.timedelta(days=1))
    api = client(world.worker)
    response = post(api, case_url(case, "services"), {"type": "legal", "specialist": specialist.pk})
    assert response.status_code == 400
    assert "expired on" in response.json()["specialist"][0]
    assert not CaseService.objects.exists()
    world.qualify(specialist, "legal", timezone.localdate() + WEEK)
    created = post(api, case_url(case, "services"), {"type": "legal", "specialist": specialist.pk})
    assert created.status_code == 201 and created.json()["specialist"] == specialist.pk


def test_the_specialist_records_sessions_of_the_service_they_deliver(world: CaseWorld) -> None:
    case = world.open()
    specialist = world.specialist(user=world.lawyer, full_name="", valid_until=timezone.localdate() + WEEK)
    service = post(
        client(world.worker), case_url(case, "services"), {"type": "legal", "specialist": specialist.pk}
    ).json()["id"]
    lawyer = client(world.lawyer)
    assert lawyer.get(case_url(case)).status_code == 404  # own scope: the service, not the whole case
    body = {"held_on": str(timezone.localdate()), "duration_minutes": 45, "outcome": "Claim drafted."}
    response = post(lawyer, f"{API}/services/{service}/sessions/", body)
    assert response.status_code == 201, response.json()
    assert (
        post(lawyer, f"{API}/services/{service}/sessions/", body | {"duration_minutes": 0}).status_code == 400
    )
    assert post(client(world.shymkent_worker), f"{API}/services/{service}/sessions/", body).status_code == 404


def test_the_case_plan_assessment_and_children_are_recorded(world: CaseWorld) -> None:
    case = world.open()
    api = client(world.worker)
    assert post(api, case_url(case, "assessment"), {"needs": ["legal", "psychological"]}).status_code == 200
    plan = post(
        api,
        case_url(case, "safety-plans"),
        {"review_due": str(timezone.localdate() + WEEK), "safe_place": "Aunt"},
    )
    assert plan.status_code == 201 and plan.json()["version"] == 1
    again = post(
        api,
        case_url(case, "safety-plans"),
        {"review_due": str(timezone.localdate() + WEEK), "safe_place": "Shelter"},
    )
    assert again.json()["version"] == 2
    assert post(api, case_url(case, "goals"), {"description": "Safe housing"}).status_code == 201
    child = world.person("Seitkali", "Arman", birth_date=dt.date(2016, 5, 1))
    assert (
        post(api, case_url(case, "children"), {"person": child.pk, "needs": ["education"]}).status_code == 201
    )
    detail = api.get(case_url(case)).json()
    assert [p["version"] for p in detail["safety_plans"]] == [2, 1]
    assert detail["state"] == "case_plan" and detail["children"][0]["person_name"].startswith("Seitkali")


# --- specialists -----------------------------------------------------------------------------------------


def test_the_agency_records_specialists_and_their_qualifications(world: CaseWorld) -> None:
    api = client(world.worker)
    created = post(api, f"{API}/specialists/", {"full_name": "Dana Abenova"})
    assert created.status_code == 201, created.json()
    specialist = created.json()["id"]
    both = post(api, f"{API}/specialists/", {"full_name": "X", "user": world.colleague.pk})
    assert both.status_code == 400
    body = {"kind": "psychological", "document_number": "PS-1", "issuer": "MoH", "valid_until": "2030-01-01"}
    added = post(api, f"{API}/specialists/{specialist}/qualifications/", body)
    assert added.status_code == 201 and added.json()["valid_today"] is True
    listed = api.get(f"{API}/specialists/?qualified_for=psychological").json()["results"]
    assert [row["id"] for row in listed] == [specialist]
    assert client(world.shymkent_worker).get(f"{API}/specialists/{specialist}/").status_code == 404
    assert (
        post(
            client(world.shymkent_worker), f"{API}/specialists/{specialist}/qualifications/", body
        ).status_code
        == 404
    )
