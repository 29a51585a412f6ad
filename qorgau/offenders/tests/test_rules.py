"""Deadlines are versioned data: a new version applies from its day on, the referral keeps the version it
used, only system administrators add versions."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qorgau.core.models import User

from ..models import TreatmentStepRule
from ..services.rules import do_add_programme_rule_version, do_add_step_rule_version
from .factories import OffenderWorld

pytestmark = pytest.mark.django_db


def test_a_new_version_applies_from_its_day_and_old_referrals_keep_theirs(ow: OffenderWorld) -> None:
    referral = ow.start()
    old = referral.step_rule
    admin = User.objects.get(pk=ow.p.sysadmin.pk)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    new = do_add_step_rule_version(actor=admin, step="grounds", effective_from=tomorrow, days=5)
    assert TreatmentStepRule.effective("grounds", tomorrow) == new
    assert TreatmentStepRule.effective("grounds", timezone.localdate()) == old
    referral.refresh_from_db()
    assert referral.step_rule == old
    with pytest.raises(ValidationError):
        do_add_step_rule_version(
            actor=admin, step="grounds", effective_from=timezone.localdate() - dt.timedelta(days=1), days=5
        )
    with pytest.raises(ValidationError):
        do_add_programme_rule_version(
            actor=admin, basis="police", effective_from=tomorrow, contact_days=9, start_days=3
        )


def test_only_system_administrators_add_versions(ow: OffenderWorld) -> None:
    with pytest.raises(PermissionDenied):
        do_add_step_rule_version(
            actor=ow.inspector, step="grounds", effective_from=timezone.localdate(), days=5
        )
