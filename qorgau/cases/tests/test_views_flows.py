"""The case pages' flows: opening a case from a signal or on a self-referral (never duplicating a person),
referrals refused without consent and answered by the other agency, transfers, specialists, home queues."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from qorgau.core.models import AuditEvent, User
from qorgau.core.testing import otp_login
from qorgau.intake.services import do_register_signal
from qorgau.people.models import Person

from ..models import Case, CaseChild, CaseTransfer, Referral, ReferralStatus, SafetyPlan, Specialist
from ..services import do_record_safety_plan, do_refer_case, do_request_transfer
from .factories import CaseWorld, purpose

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = otp_login(Client(), user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def html(response) -> str:
    return response.content.decode()


def signal_of(world: CaseWorld, *victims: Person):
    return do_register_signal(
        actor=world.worker,  # case workers report signals: the centre sees its own
        channel="call_102",
        received_at=timezone.now() - dt.timedelta(hours=1),
        region=world.p.astana,
        victims=list(victims) or [world.victim],
        forms=["physical"],
    )


# --- opening --------------------------------------------------------------------------------------------


def test_the_signal_page_offers_to_open_a_case_and_then_names_it(world: CaseWorld) -> None:
    signal = signal_of(world)
    client = client_for(world.worker)
    page = html(client.get(f"/signals/{signal.pk}/"))
    assert 'data-panel="cases-open"' in page and f"/cases/from-signal/{signal.pk}/" in page
    response = client.post(f"/cases/from-signal/{signal.pk}/", {"victim": world.victim.pk})
    assert response.status_code == 302
    case = Case.objects.get(signal=signal)
    assert case.victim == world.victim and case.opened_via == "signal" and case.assigned_to == world.worker
    assert case.code in html(client.get(f"/signals/{signal.pk}/"))
    # A second case for the same person at the same agency is refused with the open one's code (in the
    # error summary and at the field).
    again = html(client.post(f"/cases/from-signal/{signal.pk}/", {"victim": world.victim.pk}))
    assert again.count(f"This person already has an open case here: {case.code}.") == 2
    assert Case.objects.count() == 1


def test_a_role_without_cases_add_sees_no_button_and_is_refused(world: CaseWorld) -> None:
    signal = signal_of(world)
    lawyer = client_for(world.lawyer)  # cases.view and change, not add
    assert lawyer.get(f"/cases/from-signal/{signal.pk}/").status_code == 403
    assert client_for(world.shymkent_worker).get(f"/cases/from-signal/{signal.pk}/").status_code == 404


def test_a_self_referral_finds_the_person_and_opens_the_case(world: CaseWorld) -> None:
    client = client_for(world.worker)
    page = html(client.post("/cases/new/", {"action": "search", "find-name": "Seitkali"}))
    assert f'value="pick:{world.victim.pk}"' in page
    assert AuditEvent.objects.filter(action="person.search", changes__context="case_open").exists()
    response = client.post("/cases/new/", {"action": f"pick:{world.victim.pk}"})
    assert response.status_code == 302
    assert Case.objects.get().opened_via == "self_referral"


def test_registering_a_likely_duplicate_is_stopped_until_confirmed(world: CaseWorld) -> None:
    client = client_for(world.worker)
    data = {
        "action": "create",
        "new-surname": "Seitkali",
        "new-given_name": "Aigerim",
        "new-birth_date": "1990-03-01",
        "new-sex": "F",
    }
    page = html(client.post("/cases/new/", data))
    assert "likely-duplicates" in page and f'value="pick:{world.victim.pk}"' in page
    assert Person.objects.count() == 1 and not Case.objects.exists()
    response = client.post("/cases/new/", {**data, "new-confirm_new": "on"})
    assert response.status_code == 302
    assert Person.objects.count() == 2 and Case.objects.get().victim != world.victim


def test_a_child_is_found_and_linked_with_needs(world: CaseWorld) -> None:
    case = world.open()
    child = world.person("Seitkali", "Ayan", birth_date=dt.date(2016, 5, 1))
    client = client_for(world.worker)
    response = client.post(
        f"/cases/{case.pk}/children/new/", {"action": f"pick:{child.pk}", "child-needs": ["education"]}
    )
    assert response.status_code == 302
    assert CaseChild.objects.get(case=case).needs == ["education"]
    page = html(client.get(f"/cases/{case.pk}/"))
    assert "Ayan" in page
    again = html(client.post(f"/cases/{case.pk}/children/new/", {"action": f"pick:{child.pk}"}))
    assert "This child is already linked to the case." in again


# --- referrals ------------------------------------------------------------------------------------------


def test_a_referral_without_consent_is_refused_with_its_reason(world: CaseWorld) -> None:
    case = world.open()
    client = client_for(world.worker)
    data = {"to_agency": world.support.pk, "purpose": purpose("legal").pk, "note": "Divorce and alimony"}
    response = client.post(f"/cases/{case.pk}/refer/", data)
    assert response.status_code == 200
    page = html(response)
    assert "no consent in force for this purpose and this agency" in page and "Divorce and alimony" in page
    assert AuditEvent.objects.filter(action="referral.refused").exists() and not Referral.objects.exists()
    # A legal mandate needs its reason.
    page = html(client.post(f"/cases/{case.pk}/refer/", {**data, "legal_mandate": "Art. 15"}))
    assert "Say why the legal mandate applies to this referral." in page
    world.consent()
    assert client.post(f"/cases/{case.pk}/refer/", data).status_code == 302
    assert Referral.objects.get().consent is not None


def test_the_other_agency_sees_the_waiting_referral_and_accepts_it(world: CaseWorld) -> None:
    case = world.open()
    world.consent()
    referral = do_refer_case(actor=world.worker, case=case, to_agency=world.support, purpose="legal")
    support = client_for(world.support_worker)
    home = html(support.get("/"))
    assert "Referrals waiting for my agency" in home and referral.code in home and "waiting" in home
    page = html(support.get(f"/cases/referrals/{referral.pk}/"))
    assert case.code in page and "Aigerim" not in page  # not shared before accepted
    assert support.get(f"/cases/{case.pk}/").status_code == 404
    assert support.post(f"/cases/referrals/{referral.pk}/accept/").status_code == 302
    page = html(support.get(f"/cases/{case.pk}/"))
    assert "Aigerim" in page  # the legal purpose opens identity
    assert 'data-section="case_plan"' in page and 'data-section="safety_plan"' not in page
    # The owner cannot accept for the other agency.
    assert client_for(world.worker).get(f"/cases/referrals/{referral.pk}/accept/").status_code == 404


def test_declining_needs_a_reason_which_the_owner_sees(world: CaseWorld) -> None:
    case = world.open()
    referral = do_refer_case(actor=world.worker, case=case, to_agency=world.support, purpose="consultation")
    support = client_for(world.support_worker)
    page = html(support.post(f"/cases/referrals/{referral.pk}/decline/", {"reason": "  "}))
    assert "error-summary" in page
    assert Referral.objects.get().status == ReferralStatus.REQUESTED
    url = f"/cases/referrals/{referral.pk}/decline/"
    assert support.post(url, {"reason": "No lawyer free this month"}).status_code == 302
    page = html(client_for(world.worker).get(f"/cases/{case.pk}/"))
    assert "No lawyer free this month" in page and 'data-status="declined"' in page


# --- transfers ------------------------------------------------------------------------------------------


def test_an_accepted_transfer_moves_the_case_with_its_history(world: CaseWorld) -> None:
    case = world.open()
    client = client_for(world.worker)
    data = {"to_agency": world.support.pk, "reason": "She moved across the city"}
    assert client.post(f"/cases/{case.pk}/transfer/", data).status_code == 302
    transfer = CaseTransfer.objects.get()
    support = client_for(world.support_worker)
    assert "Transfer of case" in html(support.get("/cases/referrals/"))
    assert support.post(f"/cases/transfers/{transfer.pk}/accept/").status_code == 302
    case.refresh_from_db()
    assert case.agency == world.support and case.assigned_to == world.support_worker
    page = html(support.get(f"/cases/{case.pk}/"))
    assert 'data-event="transfer"' in page and "She moved across the city" in page
    assert client.get(f"/cases/{case.pk}/").status_code == 404  # the sending agency lost it


def test_a_declined_transfer_needs_a_reason(world: CaseWorld) -> None:
    case = world.open()
    transfer = do_request_transfer(actor=world.worker, case=case, to_agency=world.support, reason="Moved")
    support = client_for(world.support_worker)
    assert support.post(f"/cases/transfers/{transfer.pk}/decline/", {"reason": ""}).status_code == 200
    assert support.post(f"/cases/transfers/{transfer.pk}/decline/", {"reason": "Full"}).status_code == 302
    assert CaseTransfer.objects.get().decline_reason == "Full"
    assert client_for(world.third_worker).get(f"/cases/transfers/{transfer.pk}/accept/").status_code == 404


# --- specialists and home -------------------------------------------------------------------------------


def test_the_specialists_page_shows_validity_and_adds_through_the_services(world: CaseWorld) -> None:
    today = timezone.localdate()
    world.specialist(kind="legal", valid_until=today - dt.timedelta(days=1))
    client = client_for(world.worker)
    page = html(client.get("/cases/specialists/"))
    assert "Aliya Serikova" in page and "expired" in page
    response = client.post("/cases/specialists/new/", {"full_name": "Gulmira Akhmetova"})
    specialist = Specialist.objects.get(full_name="Gulmira Akhmetova")
    assert response["Location"] == f"/cases/specialists/{specialist.pk}/qualifications/new/"
    bad = html(client.post("/cases/specialists/new/", {"user": world.colleague.pk, "full_name": "X"}))
    assert "not both" in bad
    data = {"kind": "psychological", "document_number": "PSY-7", "issuer": "University", "valid_until": ""}
    assert "PSY-7" in html(client.post(response["Location"], data))  # kept on a missing date
    data["valid_until"] = (today + dt.timedelta(days=30)).isoformat()
    assert client.post(response["Location"], data).status_code == 302
    assert specialist.qualifications.get().kind == "psychological"
    assert "valid" in html(client.get("/cases/specialists/"))


def test_a_specialist_cannot_record_their_own_qualification(world: CaseWorld) -> None:
    own = world.specialist(user=world.lawyer, full_name="")
    client = client_for(world.lawyer)
    data = {"kind": "legal", "document_number": "L-1", "issuer": "Bar", "valid_until": "2030-01-01"}
    response = client.post(f"/cases/specialists/{own.pk}/qualifications/new/", data)
    assert response.status_code in (200, 404)
    assert not own.qualifications.exists()


def test_the_home_page_lists_my_cases_and_overdue_reviews(world: CaseWorld) -> None:
    case = world.open()
    do_record_safety_plan(
        actor=world.worker, case=case, review_due=timezone.localdate() + dt.timedelta(days=3), safe_place="x"
    )
    SafetyPlan.objects.filter(case=case).update(review_due=timezone.localdate() - dt.timedelta(days=2))
    page = html(client_for(world.worker).get("/"))
    assert "My cases" in page and "Overdue safety-plan reviews" in page
    assert page.count(case.code) >= 2 and "Aigerim" not in page
    assert "/cases/new/" in page  # the home action


def test_the_person_page_lists_the_persons_cases(world: CaseWorld) -> None:
    case = world.open()
    page = html(client_for(world.worker).get(f"/people/{world.victim.pk}/"))
    assert 'data-panel="cases-of-person"' in page and case.code in page
