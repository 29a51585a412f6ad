"""Referrals: refused without a lawful basis (audited), a grant with the purpose's sections once accepted,
gone at once when revoked or completed; consent checked again at the moment of disclosure."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qorgau.core.grants import grant_sections
from qorgau.core.models import AuditEvent, Grant
from qorgau.people.models import Consent
from qorgau.people.services import do_withdraw_consent

from ..models import Case, Referral, ReferralStatus, SafetyPlan
from ..services import (
    do_accept_referral,
    do_complete_referral,
    do_decline_referral,
    do_end_referrals_without_consent,
    do_record_safety_plan,
    do_refer_case,
    do_revoke_referral,
)
from .factories import CaseWorld, purpose

WEEK = dt.timedelta(days=7)


def refer(world: CaseWorld, case: Case, **kw) -> Referral:
    kw.setdefault("to_agency", world.support)
    kw.setdefault("purpose", "legal")
    return do_refer_case(actor=world.worker, case=case, **kw)


def sees(user, case: Case) -> bool:
    return Case.objects.visible_to(user).filter(pk=case.pk).exists()


def expire(consent: Consent) -> None:
    now = timezone.now()
    Consent.objects.filter(pk=consent.pk).update(
        granted_at=now - dt.timedelta(days=2), expires_at=now - dt.timedelta(seconds=1)
    )


def test_a_referral_without_consent_is_refused_with_its_reason_and_audited(world: CaseWorld) -> None:
    case = world.open()
    with pytest.raises(ValidationError) as error:
        refer(world, case)
    assert "no consent in force" in str(error.value)
    assert not Referral.objects.exists() and not Grant.objects.exists()
    row = AuditEvent.objects.get(action="referral.refused")
    assert row.object_repr == case.code and row.changes["refusal"] == "no_consent"
    assert row.changes["to_agency"] == world.support.pk and "Seitkali" not in str(row.changes)


def test_a_consent_for_another_agency_or_purpose_does_not_count(world: CaseWorld) -> None:
    case = world.open()
    world.consent(agency=world.third)
    world.consent(purpose="medical")
    with pytest.raises(ValidationError):
        refer(world, case)


def test_with_a_valid_consent_the_accepted_referral_opens_only_its_purposes_sections(
    world: CaseWorld,
) -> None:
    case = world.open()
    plan = do_record_safety_plan(
        actor=world.worker, case=case, review_due=timezone.localdate() + WEEK, safe_place="x"
    )
    consent = world.consent()
    referral = refer(world, case)
    assert referral.status == ReferralStatus.REQUESTED and referral.consent == consent
    assert not sees(world.support_worker, case)  # requested: nothing shared yet
    assert Referral.objects.visible_to(world.support_worker).filter(pk=referral.pk).exists()  # its queue

    referral = do_accept_referral(actor=world.support_worker, referral=referral)
    assert referral.status == ReferralStatus.ACCEPTED and referral.grant is not None
    assert sees(world.support_worker, case)
    assert grant_sections(world.support_worker, case) == frozenset(purpose("legal").sections)
    assert "safety_plan" not in (grant_sections(world.support_worker, case) or {"safety_plan"})
    assert grant_sections(world.worker, case) is None  # the owner sees every section
    assert (
        SafetyPlan.objects.visible_to(world.support_worker).filter(pk=plan.pk).exists()
    )  # row reached via the case
    assert referral.grant.expires_at <= consent.expires_at  # never longer than the consent
    assert not sees(world.third_worker, case) and not sees(world.shymkent_worker, case)
    with pytest.raises(PermissionDenied):  # a view grant: the receiving agency does not change the case
        do_record_safety_plan(
            actor=world.support_worker, case=case, review_due=timezone.localdate() + WEEK, safe_place="y"
        )
    assert AuditEvent.objects.filter(action="referral.accept", actor=world.support_worker).exists()
    assert AuditEvent.objects.filter(action="grant.add", subject_agency=world.centre).exists()


def test_a_referral_is_refused_after_the_consent_expired(world: CaseWorld) -> None:
    case = world.open()
    expire(world.consent())
    with pytest.raises(ValidationError):
        refer(world, case)
    assert AuditEvent.objects.filter(action="referral.refused").count() == 1


def test_a_referral_is_refused_after_the_consent_was_withdrawn(world: CaseWorld) -> None:
    case = world.open()
    consent = world.consent()
    do_withdraw_consent(actor=world.worker, consent=consent, reason="Changed her mind")
    with pytest.raises(ValidationError):
        refer(world, case)


def test_consent_withdrawn_between_request_and_acceptance_stops_the_disclosure(world: CaseWorld) -> None:
    case = world.open()
    consent = world.consent()
    referral = refer(world, case)
    do_withdraw_consent(actor=world.worker, consent=consent, reason="Changed her mind")
    with pytest.raises(ValidationError) as error:
        do_accept_referral(actor=world.support_worker, referral=referral)
    assert "no longer in force" in str(error.value)
    assert not sees(world.support_worker, case)
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.REQUESTED
    assert AuditEvent.objects.get(action="referral.refused").changes["refusal"] == "consent_ended"


def test_a_recorded_legal_mandate_with_its_reason_stands_in_for_consent(world: CaseWorld) -> None:
    case = world.open()
    with pytest.raises(ValidationError) as error:
        refer(world, case, legal_mandate="Law on prevention of domestic violence, art. 15")
    assert "mandate_reason" in error.value.message_dict
    referral = refer(
        world,
        case,
        legal_mandate="Law on prevention of domestic violence, art. 15",
        mandate_reason="Immediate danger to life",
    )
    do_accept_referral(actor=world.support_worker, referral=referral)
    assert sees(world.support_worker, case)


def test_a_purpose_that_discloses_no_identity_needs_no_consent(world: CaseWorld) -> None:
    case = world.open()
    referral = refer(world, case, purpose="consultation")
    do_accept_referral(actor=world.support_worker, referral=referral)
    assert grant_sections(world.support_worker, case) == frozenset({"summary", "assessment"})


def test_revoking_removes_the_access_at_once(world: CaseWorld) -> None:
    case = world.open()
    world.consent()
    referral = do_accept_referral(actor=world.support_worker, referral=refer(world, case))
    assert sees(world.support_worker, case)
    with pytest.raises(PermissionDenied):  # only the owning agency revokes
        do_revoke_referral(actor=world.support_worker, referral=referral, reason="x")
    with pytest.raises(ValidationError):
        do_revoke_referral(actor=world.worker, referral=referral, reason="")
    referral = do_revoke_referral(actor=world.worker, referral=referral, reason="The victim asked us to")
    assert referral.status == ReferralStatus.REVOKED
    assert not sees(world.support_worker, case)
    assert grant_sections(world.support_worker, case) == frozenset()


def test_completion_by_the_receiving_agency_ends_its_access(world: CaseWorld) -> None:
    case = world.open()
    world.consent()
    referral = do_accept_referral(actor=world.support_worker, referral=refer(world, case))
    referral = do_complete_referral(actor=world.support_worker, referral=referral, note="Claim filed")
    assert referral.status == ReferralStatus.COMPLETED and not sees(world.support_worker, case)
    with pytest.raises(ValidationError):
        do_complete_referral(actor=world.worker, referral=referral)


def test_a_declined_referral_needs_a_reason_and_shares_nothing(world: CaseWorld) -> None:
    case = world.open()
    world.consent()
    referral = refer(world, case)
    with pytest.raises(ValidationError):
        do_decline_referral(actor=world.support_worker, referral=referral, reason=" ")
    referral = do_decline_referral(actor=world.support_worker, referral=referral, reason="No lawyer free")
    assert referral.status == ReferralStatus.DECLINED and referral.decline_reason == "No lawyer free"
    assert not sees(world.support_worker, case)
    with pytest.raises(ValidationError):  # answered once
        do_accept_referral(actor=world.support_worker, referral=referral)


def test_only_the_receiving_agency_answers_and_only_the_owner_refers(world: CaseWorld) -> None:
    case = world.open()
    world.consent()
    referral = refer(world, case)
    for outsider in (world.third_worker, world.shymkent_worker, world.worker):
        with pytest.raises(PermissionDenied):
            do_accept_referral(actor=outsider, referral=referral)
    with pytest.raises(PermissionDenied):
        do_refer_case(actor=world.shymkent_worker, case=case, to_agency=world.support, purpose="legal")
    with pytest.raises(ValidationError):  # the same referral twice
        refer(world, case)
    do_accept_referral(actor=world.support_worker, referral=referral)
    with pytest.raises(PermissionDenied):  # the receiving agency does not refer onward
        do_refer_case(actor=world.support_worker, case=case, to_agency=world.third, purpose="consultation")


def test_a_consent_withdrawn_after_acceptance_ends_the_access_on_the_next_sweep(world: CaseWorld) -> None:
    from ..tasks import end_referrals_without_consent

    case = world.open()
    consent = world.consent()
    kept = do_accept_referral(
        actor=world.third_worker,
        referral=refer(world, case, purpose="consultation", to_agency=world.third),
    )
    referral = do_accept_referral(actor=world.support_worker, referral=refer(world, case))
    assert do_end_referrals_without_consent() == []  # nothing withdrawn: nothing ends
    do_withdraw_consent(actor=world.worker, consent=consent, reason="Changed her mind")
    assert end_referrals_without_consent.call() == [referral.code]
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.REVOKED
    assert not sees(world.support_worker, case)
    assert Referral.objects.get(pk=kept.pk).status == ReferralStatus.ACCEPTED  # it needed no consent
    row = AuditEvent.objects.get(action="referral.revoke")
    assert row.actor is None and row.reason == "The consent the referral relied on was withdrawn."
    assert do_end_referrals_without_consent() == []  # twice is harmless


def test_the_audit_log_reads_a_refusal_by_labels_not_codes(world: CaseWorld) -> None:
    from qorgau.core.audit_display import change_rows

    case = world.open()
    with pytest.raises(ValidationError):
        refer(world, case)
    row = AuditEvent.objects.get(action="referral.refused")
    shown = {r.label: r.new for r in change_rows(row.changes, row.object_type)}
    assert shown["Reason for refusal"] == "no consent in force and no legal mandate"
    assert shown["Referred to"] == "Astana Legal Aid"
