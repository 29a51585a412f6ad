"""Referral purposes are data: the shipped rows add up, administrators change them, grants keep theirs."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qorgau.core.grants import grant_sections
from qorgau.core.models import AuditEvent
from qorgau.people.models import ConsentPurpose

from ..models import SECTIONS, ReferralPurpose
from ..services import check_purpose, do_accept_referral, do_change_referral_purpose, do_refer_case
from .factories import CaseWorld, purpose


@pytest.mark.django_db
def test_the_shipped_purposes_use_known_sections_and_consent_purposes() -> None:
    purposes = list(ReferralPurpose.objects.all())
    assert len(purposes) == 8
    for row in purposes:
        assert check_purpose(
            sections=row.sections,
            discloses_identity=row.discloses_identity,
            consent_purpose=row.consent_purpose,
            access_days=row.access_days,
        ) == sorted(row.sections)
        assert row.consent_purpose in ConsentPurpose.values and set(row.sections) <= set(SECTIONS)
        assert row.discloses_identity == ("identity" in row.sections), row.code


def test_a_change_applies_to_new_referrals_and_accepted_ones_keep_their_sections(world: CaseWorld) -> None:
    case = world.open()
    consultation = purpose("consultation")
    do_accept_referral(
        actor=world.support_worker,
        referral=do_refer_case(actor=world.worker, case=case, to_agency=world.support, purpose=consultation),
    )
    with pytest.raises(PermissionDenied):
        do_change_referral_purpose(
            actor=world.worker,
            purpose=consultation,
            sections=["summary"],
            discloses_identity=False,
            consent_purpose="information_sharing",
            access_days=30,
        )
    with pytest.raises(ValidationError) as error:
        do_change_referral_purpose(
            actor=world.p.sysadmin,
            purpose=consultation,
            sections=["summary", "identity", "diary"],
            discloses_identity=False,
            consent_purpose="gossip",
            access_days=0,
        )
    assert set(error.value.message_dict) == {"sections", "consent_purpose", "access_days"}
    changed = do_change_referral_purpose(
        actor=world.p.sysadmin,
        purpose=consultation,
        sections=["summary"],
        discloses_identity=False,
        consent_purpose="information_sharing",
        access_days=30,
    )
    assert changed.sections == ["summary"]
    assert grant_sections(world.support_worker, case) == frozenset({"summary", "assessment"})  # kept
    row = AuditEvent.objects.get(action="referral_purpose.change")
    assert row.changes["sections"] == {"old": ["summary", "assessment"], "new": ["summary"]}
