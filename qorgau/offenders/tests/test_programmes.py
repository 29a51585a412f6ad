"""Programme referrals: deadlines as data, the intake assessment, attendance codes, the unacceptable
absence in the inspector's queue, the end, the partner contact offered and the safety review after a
drop-out."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ..models import PartnerContact, ProgrammeDeadlineRule, ProgrammeStatus
from ..queries import absences_to_follow, partner_contacts, provider_intake
from ..services import (
    do_acknowledge_absence,
    do_assess,
    do_end_programme,
    do_record_safety_review,
    do_record_session,
)
from .factories import OffenderWorld

pytestmark = pytest.mark.django_db


def test_a_protective_order_referral_follows_the_austrian_rule_as_data(ow: OffenderWorld) -> None:
    referral = ow.refer(basis="protective_order")
    rule = ProgrammeDeadlineRule.effective("protective_order", timezone.now())
    assert (rule.contact_days, rule.start_days) == (5, 14)
    assert referral.rule == rule
    assert referral.contact_due - referral.referred_at == dt.timedelta(days=5)
    assert referral.start_due - referral.referred_at == dt.timedelta(days=14)
    assert list(provider_intake(ow.provider_user)) == [referral]


def test_every_referral_offers_the_victims_case_worker_contact(ow: OffenderWorld) -> None:
    referral = ow.refer()
    assert referral.partner_contact_offered
    contact = PartnerContact.objects.get(referral=referral)
    assert contact.case == ow.case
    assert list(partner_contacts(ow.case_worker)) == [contact]
    # The provider never sees the contact, nor the case.
    assert not PartnerContact.objects.visible_to(ow.provider_user, "view").exists()


def test_assessment_scores_the_instrument_in_force(ow: OffenderWorld) -> None:
    referral = do_assess(
        actor=ow.provider_user,
        referral=ow.refer(),
        items=["prior_domestic_assault", "threat_to_harm", "substance_abuse"],
        suitable=True,
    )
    assert (referral.risk_score, referral.risk_band, referral.status) == (
        3,
        "moderate",
        ProgrammeStatus.ASSESSED,
    )
    with pytest.raises(ValidationError):
        do_assess(actor=ow.provider_user, referral=referral, items=[], suitable=True)


def test_an_unacceptable_absence_is_a_task_for_the_district_inspector(ow: OffenderWorld) -> None:
    referral = do_assess(actor=ow.provider_user, referral=ow.refer(), items=[], suitable=True)
    today = timezone.localdate()
    do_record_session(actor=ow.provider_user, referral=referral, held_on=today, attendance="attended")
    referral.refresh_from_db()
    assert referral.status == ProgrammeStatus.STARTED
    missed = do_record_session(
        actor=ow.provider_user, referral=referral, held_on=today, attendance="unacceptable"
    )
    assert missed.number == 2
    assert list(absences_to_follow(ow.inspector)) == [missed]
    do_acknowledge_absence(actor=ow.inspector, session=missed)
    assert list(absences_to_follow(ow.inspector)) == []


def test_drop_out_puts_the_partners_safety_review_in_the_case_workers_queue(ow: OffenderWorld) -> None:
    referral = do_assess(actor=ow.provider_user, referral=ow.refer(), items=[], suitable=True)
    contact = PartnerContact.objects.get(referral=referral)
    contact.status = "made"
    contact.save()
    assert list(partner_contacts(ow.case_worker)) == []
    do_end_programme(actor=ow.provider_user, referral=referral, completed=False, dropout_reason="stopped")
    contact.refresh_from_db()
    assert contact.safety_review_due is not None and contact.safety_reviewed_at is None
    assert list(partner_contacts(ow.case_worker)) == [contact]
    do_record_safety_review(actor=ow.case_worker, contact=contact)
    assert list(partner_contacts(ow.case_worker)) == []


def test_completion_needs_outcomes_and_attendance(ow: OffenderWorld) -> None:
    referral = do_assess(actor=ow.provider_user, referral=ow.refer(), items=[], suitable=True)
    with pytest.raises(ValidationError) as caught:
        do_end_programme(
            actor=ow.provider_user, referral=referral, completed=True, outcomes={"no_violence": "achieved"}
        )
    assert "completed" in caught.value.message_dict
    do_record_session(
        actor=ow.provider_user, referral=referral, held_on=timezone.localdate(), attendance="attended"
    )
    with pytest.raises(ValidationError):
        do_end_programme(
            actor=ow.provider_user, referral=referral, completed=True, outcomes={"no_violence": "maybe"}
        )
    ended = do_end_programme(
        actor=ow.provider_user, referral=referral, completed=True, outcomes={"no_violence": "partly"}
    )
    assert ended.status == ProgrammeStatus.COMPLETED and ended.outcomes == {"no_violence": "partly"}


def test_another_provider_cannot_record_on_a_referral_it_does_not_run(ow: OffenderWorld) -> None:
    from qorgau.core.models import AgencyType
    from qorgau.core.testing import AgencyFactory

    from .factories import user

    other = user(
        "other_provider", AgencyFactory.create(type=AgencyType.NGO, region=ow.p.astana), "programme_provider"
    )
    referral = ow.refer()
    with pytest.raises(PermissionDenied):
        do_assess(actor=other, referral=referral, items=[], suitable=True)
