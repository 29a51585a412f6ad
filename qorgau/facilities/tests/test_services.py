"""The facilities services: registration, vacancies, requests, holds, admissions, stays, discharges."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qorgau.cases.models import Referral, ReferralStatus
from qorgau.core.models import AuditEvent

from ..models import (
    BedHold,
    Capacity,
    Placement,
    PlacementRequest,
    RequestStatus,
    StayRule,
    VacancyUpdate,
    WaitingEntry,
)
from ..secret import decrypt_address
from ..services import (
    do_accept_request,
    do_add_stay_rule_version,
    do_add_to_waiting_list,
    do_admit,
    do_change_facility,
    do_confirm_vacancies,
    do_decline_request,
    do_discharge,
    do_extend_stay,
    do_lapse_requests,
    do_register_facility,
    do_report_vacancies,
    do_set_places,
    do_step_vacancy,
    do_withdraw_request,
)
from .factories import ADDRESS, FacilityWorld

pytestmark = pytest.mark.django_db


def cap(fw: FacilityWorld, place_type: str = "women") -> Capacity:
    return Capacity.objects.get(facility=fw.shelter, place_type=place_type)


# --- registration ------------------------------------------------------------------------------------------


def test_registered_facility_keeps_its_address_encrypted_and_the_audit_says_only_changed(
    fw: FacilityWorld,
) -> None:
    fw.shelter.refresh_from_db()
    assert ADDRESS not in fw.shelter.address_encrypted
    assert decrypt_address(fw.shelter.address_encrypted) == ADDRESS
    event = AuditEvent.objects.get(action="facility.add", object_id=str(fw.shelter.pk))
    assert event.changes["address"] == "changed"
    assert ADDRESS not in str(AuditEvent.objects.values_list("changes", "object_repr", "reason"))
    assert {c.place_type: (c.beds, c.vacant) for c in fw.shelter.capacities.all()} == {
        "women": (2, 2),
        "women_children": (4, 4),
    }


def test_only_administrators_register_facilities(fw: FacilityWorld) -> None:
    with pytest.raises(PermissionDenied):
        do_register_facility(
            actor=fw.manager, name="X", settlement=fw.astana_city, type="crisis_centre", operator="ngo"
        )


def test_registration_validates_codes_and_place(fw: FacilityWorld) -> None:
    with pytest.raises(ValidationError) as exc:
        fw.facility("Bad", type="hotel", languages=["xx"], places={"women": -1})
    assert {"type", "languages", "places"} <= set(exc.value.message_dict)


def test_changing_the_address_audits_changed_never_the_value(fw: FacilityWorld) -> None:
    do_change_facility(actor=fw.sysadmin, facility=fw.shelter, address="Abai 1", takes_pets=True)
    fw.shelter.refresh_from_db()
    assert decrypt_address(fw.shelter.address_encrypted) == "Abai 1"
    event = AuditEvent.objects.filter(action="facility.change").latest("pk")
    assert event.changes["address"] == "changed"
    assert event.changes["takes_pets"] == {"old": False, "new": True}
    assert "Abai" not in str(event.changes)


def test_places_cannot_drop_below_those_taken(fw: FacilityWorld) -> None:
    do_admit(actor=fw.manager, facility=fw.shelter, case=fw.walk_in(), place_type="women")
    with pytest.raises(ValidationError):
        do_set_places(actor=fw.sysadmin, facility=fw.shelter, places={"women": 0})
    do_set_places(actor=fw.sysadmin, facility=fw.shelter, places={"women": 5})
    assert (cap(fw).beds, cap(fw).vacant) == (5, 4)


# --- vacancies ---------------------------------------------------------------------------------------------


def test_one_click_changes_one_vacancy_as_of_now_and_keeps_history(fw: FacilityWorld) -> None:
    do_step_vacancy(actor=fw.manager, facility=fw.shelter, place_type="women", step=-1)
    assert cap(fw).vacant == 1
    do_step_vacancy(actor=fw.manager, facility=fw.shelter, place_type="women", step=1)
    assert cap(fw).vacant == 2
    with pytest.raises(ValidationError):
        do_step_vacancy(actor=fw.manager, facility=fw.shelter, place_type="women", step=1)  # past the beds
    assert VacancyUpdate.objects.filter(capacity=cap(fw), kind="reported").count() == 2


def test_vacancies_are_kept_by_the_facility_staff_only(fw: FacilityWorld) -> None:
    for actor in (fw.shymkent_manager, fw.worker, fw.sysadmin):
        with pytest.raises(PermissionDenied):
            do_step_vacancy(actor=actor, facility=fw.shelter, place_type="women", step=-1)
    assert cap(fw).vacant == 2


def test_data_older_than_a_day_is_stale_until_confirmed(fw: FacilityWorld) -> None:
    earlier = timezone.now() - dt.timedelta(hours=30)
    do_report_vacancies(actor=fw.manager, facility=fw.shelter, place_type="women", vacant=1, as_of=earlier)
    assert cap(fw).is_stale()
    do_confirm_vacancies(actor=fw.manager, facility=fw.shelter)
    assert not cap(fw).is_stale()
    with pytest.raises(ValidationError):
        do_report_vacancies(
            actor=fw.manager,
            facility=fw.shelter,
            place_type="women",
            vacant=1,
            as_of=timezone.now() + dt.timedelta(hours=2),
        )


# --- requests, holds, admissions ---------------------------------------------------------------------------


def test_request_is_a_shelter_referral_and_acceptance_holds_the_places(fw: FacilityWorld) -> None:
    request = fw.request(children=[{"age": 4, "sex": "F"}, 7])
    assert request.referral.purpose.code == "shelter"
    assert request.referral.to_agency_id == fw.shelter.agency_id
    assert request.places == 3
    do_accept_request(actor=fw.manager, request=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED
    assert Referral.objects.get(pk=request.referral_id).status == ReferralStatus.ACCEPTED
    c = cap(fw, "women_children")
    assert (c.vacant, c.held, c.free) == (4, 3, 1)
    placement = do_admit(actor=fw.manager, facility=fw.shelter, case=request.case, request=request)
    c.refresh_from_db()
    assert (c.vacant, c.held) == (1, 0)
    assert placement.places == 3
    request.refresh_from_db()
    assert request.status == RequestStatus.ADMITTED
    assert BedHold.objects.get(request=request).release == "admitted"


def test_request_without_consent_is_refused_and_the_refusal_audited(fw: FacilityWorld) -> None:
    with pytest.raises(ValidationError):
        fw.request(consent=False)
    assert not PlacementRequest.objects.exists()
    assert AuditEvent.objects.filter(action="referral.refused").count() == 1


def test_children_need_a_place_for_women_with_children_and_teenage_sons_a_facility_taking_them(
    fw: FacilityWorld,
) -> None:
    with pytest.raises(ValidationError) as exc:
        fw.request(children=[3], place_type="women")
    assert "place_type" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        fw.request(children=[{"age": 15, "sex": "M"}])
    assert "children" in exc.value.message_dict


def test_accepting_without_a_free_place_is_refused_and_declining_for_lack_of_places_counts(
    fw: FacilityWorld,
) -> None:
    do_report_vacancies(actor=fw.manager, facility=fw.shelter, place_type="women", vacant=0)
    request = fw.request()
    with pytest.raises(ValidationError):
        do_accept_request(actor=fw.manager, request=request)
    do_decline_request(actor=fw.manager, request=request, reason="no_capacity")
    request.refresh_from_db()
    assert request.status == RequestStatus.DECLINED and request.decline_reason == "no_capacity"
    assert Referral.objects.get(pk=request.referral_id).status == ReferralStatus.DECLINED


def test_only_the_facility_answers_and_only_the_requester_withdraws(fw: FacilityWorld) -> None:
    request = fw.request()
    for actor in (fw.worker, fw.shymkent_manager):
        with pytest.raises(PermissionDenied):
            do_accept_request(actor=actor, request=request)
    with pytest.raises(PermissionDenied):
        do_withdraw_request(actor=fw.manager, request=request, reason="x")
    do_accept_request(actor=fw.manager, request=request)
    do_withdraw_request(actor=fw.worker, request=request, reason="The victim went to her sister")
    assert (cap(fw).held, cap(fw).vacant) == (0, 2)
    assert Referral.objects.get(pk=request.referral_id).status == ReferralStatus.REVOKED


def test_a_lapsed_hold_frees_the_place_and_ends_the_referral(fw: FacilityWorld) -> None:
    request = fw.request()
    do_accept_request(actor=fw.manager, request=request)
    assert cap(fw).free == 1
    hold = BedHold.objects.get(request=request)
    assert do_lapse_requests(at=hold.expires_at - dt.timedelta(minutes=1)) == []
    lapsed = do_lapse_requests(at=hold.expires_at + dt.timedelta(minutes=1))
    assert [r.pk for r in lapsed] == [request.pk]
    assert (cap(fw).held, cap(fw).free) == (0, 2)
    request.refresh_from_db()
    assert request.status == RequestStatus.LAPSED
    assert Referral.objects.get(pk=request.referral_id).status == ReferralStatus.REVOKED
    assert do_lapse_requests(at=hold.expires_at + dt.timedelta(hours=1)) == []  # safe to run twice
    with pytest.raises((ValidationError, PermissionDenied)):  # the case is no longer shared, either way
        do_admit(actor=fw.manager, facility=fw.shelter, case=request.case, request=request)


def test_an_unanswered_request_lapses_after_the_answer_time(fw: FacilityWorld) -> None:
    request = fw.request()
    assert request.answer_due == request.requested_at + dt.timedelta(hours=request.rule.answer_hours)
    do_lapse_requests(at=request.answer_due + dt.timedelta(seconds=1))
    request.refresh_from_db()
    assert request.status == RequestStatus.LAPSED


def test_the_last_place_goes_to_one_admission_only(fw: FacilityWorld) -> None:
    first, second, third = fw.walk_in("One"), fw.walk_in("Two"), fw.walk_in("Three")
    do_admit(actor=fw.manager, facility=fw.shelter, case=first, place_type="women")
    do_admit(actor=fw.manager, facility=fw.shelter, case=second, place_type="women")
    with pytest.raises(ValidationError):
        do_admit(actor=fw.manager, facility=fw.shelter, case=third, place_type="women")
    assert cap(fw).vacant == 0


def test_admission_needs_the_case_visible_to_the_facility(fw: FacilityWorld) -> None:
    case = fw.case()
    with pytest.raises(PermissionDenied):
        do_admit(actor=fw.shymkent_manager, facility=fw.shymkent_shelter, case=case, place_type="women")


# --- the stay: the 6-month rule, extensions, discharge -----------------------------------------------------


def test_a_crisis_centre_stay_is_planned_for_at_most_six_months(fw: FacilityWorld) -> None:
    today = timezone.localdate()
    rule = StayRule.effective("crisis_centre", today)
    assert rule.max_stay_months == 6
    latest = rule.latest_end(today)
    assert latest is not None
    with pytest.raises(ValidationError) as exc:
        do_admit(
            actor=fw.manager,
            facility=fw.shelter,
            case=fw.walk_in("Early"),
            place_type="women",
            planned_end=latest + dt.timedelta(days=1),
        )
    assert "planned_end" in exc.value.message_dict
    placement = do_admit(actor=fw.manager, facility=fw.shelter, case=fw.walk_in(), place_type="women")
    assert placement.planned_end == latest
    assert placement.rule == rule


def test_six_months_from_the_end_of_a_month_end_on_the_last_day(fw: FacilityWorld) -> None:
    rule = StayRule.effective("crisis_centre", timezone.localdate())
    assert rule.latest_end(dt.date(2025, 8, 31)) == dt.date(2026, 2, 28)
    assert rule.latest_end(dt.date(2025, 1, 15)) == dt.date(2025, 7, 15)


def test_an_extension_needs_a_reason_and_is_kept(fw: FacilityWorld) -> None:
    placement = do_admit(actor=fw.manager, facility=fw.shelter, case=fw.walk_in(), place_type="women")
    later = placement.planned_end + dt.timedelta(days=30)
    with pytest.raises(ValidationError) as exc:
        do_extend_stay(actor=fw.manager, placement=placement, new_end=later, reason=" ")
    assert "reason" in exc.value.message_dict
    extension = do_extend_stay(
        actor=fw.manager, placement=placement, new_end=later, reason="Court hearing on housing pending"
    )
    placement.refresh_from_db()
    assert placement.planned_end == later and extension.previous_end < later
    assert AuditEvent.objects.filter(action="placement.extend").count() == 1


def test_a_new_rule_version_applies_to_admissions_from_its_day_only(fw: FacilityWorld) -> None:
    placement = do_admit(actor=fw.manager, facility=fw.shelter, case=fw.walk_in(), place_type="women")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    new = do_add_stay_rule_version(
        actor=fw.sysadmin,
        facility_type="crisis_centre",
        effective_from=tomorrow,
        max_stay_months=9,
        hold_hours=6,
        answer_hours=2,
    )
    assert StayRule.effective("crisis_centre", tomorrow) == new
    placement.refresh_from_db()
    assert placement.rule.max_stay_months == 6
    with pytest.raises(PermissionDenied):
        do_add_stay_rule_version(
            actor=fw.manager,
            facility_type="crisis_centre",
            effective_from=tomorrow + dt.timedelta(days=1),
            max_stay_months=9,
            hold_hours=6,
            answer_hours=2,
        )


def test_discharge_frees_the_places_and_completes_the_referral(fw: FacilityWorld) -> None:
    request = fw.request(children=[5])
    do_accept_request(actor=fw.manager, request=request)
    placement = do_admit(actor=fw.manager, facility=fw.shelter, case=request.case, request=request)
    with pytest.raises(ValidationError) as exc:
        do_discharge(actor=fw.manager, placement=placement, destination="moon", outcome="completed")
    assert "destination" in exc.value.message_dict
    do_discharge(actor=fw.manager, placement=placement, destination="relatives", outcome="completed")
    assert cap(fw, "women_children").vacant == 4
    assert Referral.objects.get(pk=request.referral_id).status == ReferralStatus.COMPLETED
    placement.refresh_from_db()
    assert placement.discharged_at is not None
    with pytest.raises(ValidationError):
        do_discharge(actor=fw.manager, placement=placement, destination="relatives", outcome="completed")


def test_waiting_list_entry_leaves_on_admission(fw: FacilityWorld) -> None:
    case = fw.case()
    entry = do_add_to_waiting_list(actor=fw.worker, facility=fw.shelter, case=case, place_type="women")
    with pytest.raises(ValidationError):
        do_add_to_waiting_list(actor=fw.worker, facility=fw.shelter, case=case, place_type="women")
    request = fw.request(case=case)
    do_accept_request(actor=fw.manager, request=request)
    do_admit(actor=fw.manager, facility=fw.shelter, case=case, request=request)
    entry.refresh_from_db()
    assert entry.removal == "admitted"
    assert not WaitingEntry.objects.filter(removed_at__isnull=True).exists()
    assert Placement.objects.visible_to(fw.worker).count() == 1
    assert Placement.objects.visible_to(fw.shymkent_manager).count() == 0
