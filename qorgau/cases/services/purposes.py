"""Maintaining the referral purposes (reference data): what each purpose opens, and for how long.

A change applies to referrals accepted from now on; an accepted referral keeps the sections its grant was
given (the grant stores them). System administrators only, audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from qorgau.core.audit import diff, record
from qorgau.core.effective import require_rules_admin
from qorgau.core.models import User
from qorgau.people.models import ConsentPurpose

from ..models import SECTIONS, ReferralPurpose
from ._common import raise_if


def check_purpose(
    *, sections: Sequence[str], discloses_identity: bool, consent_purpose: str, access_days: Any
) -> list[str]:
    """Validate a purpose's data (every error at once); the sections, sorted and unique."""
    codes = sorted(set(sections))
    errors: dict[str, Any] = {}
    unknown = [code for code in codes if code not in SECTIONS]
    if unknown:
        errors["sections"] = _("Unknown sections: %(codes)s.") % {"codes": ", ".join(unknown)}
    elif not codes:
        errors["sections"] = _("A purpose opens at least one section.")
    elif "identity" in codes and not discloses_identity:
        errors["discloses_identity"] = _(
            "A purpose that opens the identity section discloses identifying data."
        )
    if consent_purpose not in ConsentPurpose.values:
        errors["consent_purpose"] = _("Choose a purpose of consent from the list.")
    if type(access_days) is not int or not 1 <= access_days <= 365:
        errors["access_days"] = _("A whole number of days from 1 to 365.")
    raise_if(errors)
    return codes


def do_change_referral_purpose(
    *,
    actor: User,
    purpose: ReferralPurpose,
    sections: Sequence[str],
    discloses_identity: bool,
    consent_purpose: str,
    access_days: int,
    is_active: bool = True,
) -> ReferralPurpose:
    """Change what a referral purpose opens (system administrators; audited with old and new values)."""
    require_rules_admin(actor)
    codes = check_purpose(
        sections=sections,
        discloses_identity=discloses_identity,
        consent_purpose=consent_purpose,
        access_days=access_days,
    )
    fields = ("sections", "discloses_identity", "consent_purpose", "access_days", "is_active")
    with transaction.atomic():
        locked = ReferralPurpose.objects.select_for_update().get(pk=purpose.pk)
        old = {field: getattr(locked, field) for field in fields}
        locked.sections, locked.discloses_identity, locked.consent_purpose = (
            codes,
            discloses_identity,
            consent_purpose,
        )
        locked.access_days, locked.is_active = access_days, is_active
        locked.save(update_fields=list(fields))
        record(
            actor=actor,
            action="referral_purpose.change",
            obj=locked,
            changes=diff(old, {field: getattr(locked, field) for field in fields}),
        )
    return locked
