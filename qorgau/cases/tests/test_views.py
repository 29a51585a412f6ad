"""The case pages: the list without names, the case page by sections, permissions (403 / 404), closing and
reopening, the safety plan's versions, and a service blocked by an expired qualification."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from qorgau.core.models import AuditEvent, User
from qorgau.core.testing import otp_login

from ..models import Case, CaseService, CaseState, SafetyPlan
from ..services import (
    do_accept_referral,
    do_close_case,
    do_record_assessment,
    do_record_safety_plan,
    do_refer_case,
)
from .factories import CaseWorld

pytestmark = pytest.mark.django_db
WEEK = dt.timedelta(days=7)


def client_for(user: User) -> Client:
    client = otp_login(Client(), user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # messages are asserted in English
    return client


def html(response) -> str:
    return response.content.decode()


def test_the_list_shows_codes_and_never_names(world: CaseWorld) -> None:
    case = world.open()
    response = client_for(world.worker).get("/cases/")
    assert response.status_code == 200
    page = html(response)
    assert case.code in page and world.centre.name in page
    assert "Seitkali" not in page and "Aigerim" not in page


def test_the_list_is_empty_for_another_region_and_403_without_a_role(world: CaseWorld) -> None:
    case = world.open()
    page = html(client_for(world.shymkent_worker).get("/cases/"))
    assert case.code not in page and "will appear here" in page
    assert client_for(world.p.outsider).get("/cases/").status_code == 403


def test_the_list_filters_by_state_mine_and_overdue_review(world: CaseWorld) -> None:
    mine = world.open()
    other = world.open(actor=world.colleague, victim=world.person("Omarova", "Zhanar"))
    do_record_assessment(actor=world.worker, case=mine, needs=["legal"])
    client = client_for(world.worker)
    page = html(client.get("/cases/", {"state": CaseState.ASSESSMENT}))
    assert mine.code in page and other.code not in page
    page = html(client.get("/cases/", {"mine": "true"}))
    assert mine.code in page and other.code not in page
    do_record_safety_plan(
        actor=world.worker, case=other, review_due=timezone.localdate() + WEEK, safe_place="x"
    )
    SafetyPlan.objects.filter(case=other).update(review_due=timezone.localdate() - dt.timedelta(days=1))
    page = html(client.get("/cases/", {"review_overdue": "true"}))
    assert other.code in page and mine.code not in page
    page = html(client.get("/cases/", {"code": str(other.pk)}))
    assert other.code in page and mine.code not in page


def test_the_case_page_names_the_victim_and_is_audited(world: CaseWorld) -> None:
    case = world.open()
    response = client_for(world.worker).get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    page = html(response)
    assert "Seitkali Aigerim" in page or "Aigerim" in page
    for section in ("summary", "identity", "assessment", "safety_plan", "case_plan", "services", "children"):
        assert f'data-section="{section}"' in page
    assert AuditEvent.objects.filter(action="case.view", object_id=case.pk, actor=world.worker).exists()


def test_the_case_page_is_404_in_another_region_and_403_without_a_role(world: CaseWorld) -> None:
    case = world.open()
    assert client_for(world.shymkent_worker).get(f"/cases/{case.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="case.denied", object_id=case.pk).exists()
    assert client_for(world.p.outsider).get(f"/cases/{case.pk}/").status_code == 403
    assert client_for(world.third_worker).get(f"/cases/{case.pk}/").status_code == 404


def refer_for_consultation(world: CaseWorld, case: Case):
    referral = do_refer_case(actor=world.worker, case=case, to_agency=world.support, purpose="consultation")
    return do_accept_referral(actor=world.support_worker, referral=referral)


def test_a_referred_agency_sees_only_its_purposes_sections_and_never_the_name(world: CaseWorld) -> None:
    case = world.open()
    do_record_assessment(actor=world.worker, case=case, needs=["legal"], notes="Needs a lawyer")
    do_record_safety_plan(
        actor=world.worker, case=case, review_due=timezone.localdate() + WEEK, safe_place="Sister's flat"
    )
    refer_for_consultation(world, case)  # consultation: summary and assessment, no identity
    page = html(client_for(world.support_worker).get(f"/cases/{case.pk}/"))
    assert 'data-section="summary"' in page and 'data-section="assessment"' in page
    assert "Needs a lawyer" in page
    for hidden in ("identity", "safety_plan", "case_plan", "services", "children", "history", "transfers"):
        assert f'data-section="{hidden}"' not in page
    assert "Aigerim" not in page and "Sister's flat" not in page
    # It sees the case in its list, without the safety plan's review date, and cannot change it.
    listed = html(client_for(world.support_worker).get("/cases/"))
    assert case.code in listed and (timezone.localdate() + WEEK).isoformat() not in listed
    assert (timezone.localdate() + WEEK).isoformat() in html(client_for(world.worker).get("/cases/"))
    assert client_for(world.support_worker).get(f"/cases/{case.pk}/safety-plan/").status_code == 404
    assert client_for(world.support_worker).get(f"/cases/{case.pk}/refer/").status_code == 404


def test_revoking_a_referral_ends_the_access_on_the_next_request(world: CaseWorld) -> None:
    case = world.open()
    referral = refer_for_consultation(world, case)
    support = client_for(world.support_worker)
    assert support.get(f"/cases/{case.pk}/").status_code == 200
    response = client_for(world.worker).post(
        f"/cases/referrals/{referral.pk}/revoke/", {"reason": "The victim asked us to stop."}
    )
    assert response.status_code == 302
    assert support.get(f"/cases/{case.pk}/").status_code == 404
    assert case.code not in html(support.get("/cases/"))


def test_closing_requires_an_outcome_and_keeps_what_was_typed(world: CaseWorld) -> None:
    case = world.open()
    client = client_for(world.worker)
    response = client.post(f"/cases/{case.pk}/close/", {"outcome": "", "reason": "She moved to her parents."})
    assert response.status_code == 200
    page = html(response)
    assert "error-summary" in page and "She moved to her parents." in page
    assert page.count("This field is required.") == 2  # once in the summary, once at the field
    assert not Case.objects.get(pk=case.pk).is_closed
    response = client.post(
        f"/cases/{case.pk}/close/", {"outcome": "safe", "reason": "She moved to her parents."}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.is_closed and case.state == CaseState.CLOSED
    page = html(client.get(f"/cases/{case.pk}/"))
    assert 'data-event="close"' in page and "She moved to her parents." in page


def test_reopening_needs_a_reason_and_shows_in_the_history(world: CaseWorld) -> None:
    case = world.open()
    do_close_case(actor=world.worker, case=case, outcome="safe", reason="Safe now")
    client = client_for(world.worker)
    assert client.post(f"/cases/{case.pk}/reopen/", {"reason": ""}).status_code == 200
    assert client.post(f"/cases/{case.pk}/reopen/", {"reason": "New incident"}).status_code == 302
    page = html(client.get(f"/cases/{case.pk}/"))
    assert 'data-event="reopen"' in page and "New incident" in page


def test_each_safety_plan_save_is_a_new_version_and_bad_input_keeps_the_text(world: CaseWorld) -> None:
    case = world.open()
    client = client_for(world.worker)
    due = (timezone.localdate() + WEEK).isoformat()
    response = client.post(
        f"/cases/{case.pk}/safety-plan/",
        {"code_word": "sunflower", "review_due": due, "hotline_numbers": "150"},
    )
    assert response.status_code == 200  # neither a safe contact nor a safe place
    page = html(response)
    assert "Record at least a safe contact or a safe place." in page and "sunflower" in page
    assert not SafetyPlan.objects.filter(case=case).exists()
    data = {"safe_place": "Sister's flat", "code_word": "sunflower", "review_due": due}
    assert client.post(f"/cases/{case.pk}/safety-plan/", data).status_code == 302
    # The form starts from the current version; saving again adds version 2.
    assert "Sister&#x27;s flat" in html(client.get(f"/cases/{case.pk}/safety-plan/"))
    assert client.post(f"/cases/{case.pk}/safety-plan/", {**data, "keys_ready": "on"}).status_code == 302
    assert list(
        SafetyPlan.objects.filter(case=case).values_list("version", flat=True).order_by("version")
    ) == [1, 2]
    assert 'data-plan-version="2"' in html(client.get(f"/cases/{case.pk}/"))


def test_an_expired_qualification_blocks_the_service_with_its_message(world: CaseWorld) -> None:
    case = world.open()
    expired = world.specialist(kind="legal", valid_until=timezone.localdate() - dt.timedelta(days=1))
    response = client_for(world.worker).post(
        f"/cases/{case.pk}/services/new/",
        {"type": "legal", "specialist": expired.pk, "starts_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    page = html(response)
    assert "expired on" in page and "record the renewed one before assigning the service" in page
    assert not CaseService.objects.exists()


def test_a_qualified_specialist_gets_the_service_and_sessions_are_recorded(world: CaseWorld) -> None:
    case = world.open()
    lawyer = world.specialist(kind="legal", valid_until=timezone.localdate() + dt.timedelta(days=300))
    client = client_for(world.worker)
    response = client.post(
        f"/cases/{case.pk}/services/new/",
        {"type": "legal", "specialist": lawyer.pk, "starts_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    service = CaseService.objects.get(case=case)
    assert Case.objects.get(pk=case.pk).state == CaseState.SERVICES
    bad = client.post(
        f"/cases/services/{service.pk}/sessions/new/",
        {"held_on": "", "duration_minutes": "45", "outcome": "Advice on divorce"},
    )
    assert bad.status_code == 200 and "Advice on divorce" in html(bad)
    ok = client.post(
        f"/cases/services/{service.pk}/sessions/new/",
        {
            "held_on": timezone.localdate().isoformat(),
            "duration_minutes": "45",
            "outcome": "Advice on divorce",
        },
    )
    assert ok.status_code == 302
    assert "Advice on divorce" in html(client.get(f"/cases/{case.pk}/"))


def test_the_pages_that_change_a_case_need_the_roles_action(world: CaseWorld) -> None:
    case = world.open()
    lawyer = client_for(world.lawyer)  # cases.view and cases.change, own scope: not assigned
    assert lawyer.get(f"/cases/{case.pk}/close/").status_code == 403
    assert lawyer.get(f"/cases/{case.pk}/refer/").status_code == 403
    assert lawyer.get(f"/cases/{case.pk}/assessment/").status_code == 404  # own scope: not their case
    assert client_for(world.p.outsider).get(f"/cases/{case.pk}/assessment/").status_code == 403
    assert client_for(world.shymkent_worker).get(f"/cases/{case.pk}/assessment/").status_code == 404
    assert (
        client_for(world.shymkent_worker)
        .post(f"/cases/{case.pk}/close/", {"outcome": "safe", "reason": "x"})
        .status_code
        == 404
    )
    assert not Case.objects.get(pk=case.pk).is_closed
