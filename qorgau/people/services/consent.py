"""Consent to disclose a person's data: the services that record and withdraw it, and the queries that ask it.

Consent is never a condition of service (DOMAIN.md 8.2): a person is helped, served and their case closed
whether they consent to anything or not. Consent only decides whether identifying data may leave the
owning agency, to which agency, for which purpose and until when. Every disclosure checks
`consent_allows` at the moment of disclosure; a withdrawn or expired consent stops it at once.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.audit import diff, record
from qorgau.core.effective import add_version, check_start, latest_version, require_rules_admin
from qorgau.core.models import Agency, User

from ..models import Consent, ConsentPurpose, ConsentRule, Person

# Clocks of API clients and workstations drift; a grant a few minutes "in the future" is not a forgery.
CLOCK_TOLERANCE = timedelta(minutes=5)


class ConsentStatus(StrEnum):
    ACTIVE = "active"
    NOT_YET_VALID = "pending"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


STATUS_LABELS = {
    ConsentStatus.ACTIVE: _("active"),
    ConsentStatus.NOT_YET_VALID: _("not yet valid"),
    ConsentStatus.EXPIRED: _("expired"),
    ConsentStatus.WITHDRAWN: _("withdrawn"),
}


def consent_status(consent: Consent, at: datetime | None = None) -> ConsentStatus:
    at = at or timezone.now()
    if consent.withdrawn_at is not None and consent.withdrawn_at <= at:
        return ConsentStatus.WITHDRAWN
    if at < consent.granted_at:
        return ConsentStatus.NOT_YET_VALID
    if at >= consent.expires_at:
        return ConsentStatus.EXPIRED
    return ConsentStatus.ACTIVE


def valid_at(at: datetime) -> Q:
    """Consents in force at `at`: granted, not yet expired, not withdrawn by then."""
    return Q(granted_at__lte=at, expires_at__gt=at) & (Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=at))


def consent_in_force(
    *, person: Person, purpose: str, agency: Agency, at: datetime | None = None
) -> Consent | None:
    """The consent of `person` to disclosure to `agency` for `purpose` in force at `at` (default now), the
    one lasting longest, or None. For the disclosing service to record which consent it relied on; it
    reads every consent of the person regardless of who recorded it (a withdrawal by any agency counts),
    so it is never shown to the caller beyond what `consent_allows` says."""
    at = at or timezone.now()
    return (
        Consent.objects.filter(person=person, purpose=purpose, receiving_agency=agency)
        .filter(valid_at(at))
        .order_by("-expires_at")
        .first()
    )


def consent_allows(*, person: Person, purpose: str, agency: Agency, at: datetime | None = None) -> bool:
    """True iff `person` consented to disclosure to `agency` for `purpose`, in force at `at` (default now).

    Answers only yes or no, so it reads every consent of the person regardless of who recorded it: a
    disclosure must honour a withdrawal recorded by any agency.
    """
    return consent_in_force(person=person, purpose=purpose, agency=agency, at=at) is not None


def consents_of(*, user: User, person: Person) -> QuerySet[Consent]:
    """The consents of `person` that `user` may see, newest first."""
    return (
        Consent.objects.visible_to(user, "view")
        .filter(person=person)
        .select_related("receiving_agency", "recording_agency", "recorded_by")
    )


def _validate_period(granted_at: datetime | None, expires_at: datetime | None) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    now = timezone.now()
    if granted_at is None:
        errors["granted_at"] = [_("Enter when the person gave consent.")]
    elif granted_at > now + CLOCK_TOLERANCE:
        errors["granted_at"] = [_("Consent cannot be granted in the future.")]
    if expires_at is None:
        errors["expires_at"] = [_("Every consent needs an expiry date.")]
    elif granted_at is not None and "granted_at" not in errors:
        if expires_at <= granted_at:
            errors["expires_at"] = [_("The expiry must be after the date consent was given.")]
        elif expires_at - granted_at > timedelta(days=(limit := ConsentRule.effective(granted_at).max_days)):
            errors["expires_at"] = [
                _("A consent can last at most %(days)d days; ask the person again after that.")
                % {"days": limit}
            ]
    return errors


def do_record_consent(
    *,
    actor: User,
    person: Person,
    purpose: str,
    receiving_agency: Agency,
    granted_at: datetime,
    expires_at: datetime,
    notes: str = "",
) -> Consent:
    """Record a person's written consent to disclose their data to `receiving_agency` for `purpose`.

    The expiry is required and at most as long after the grant as the ConsentRule in force on the day of
    the grant allows; the grant is not in the future. The actor needs `people.consent` on the person.
    Audited as "consent.record".
    Raises ValidationError (field messages) on bad input, PermissionDenied when the actor may not.
    """
    if not Person.objects.visible_to(actor, "consent").filter(pk=person.pk).exists():
        raise PermissionDenied
    errors = _validate_period(granted_at, expires_at)
    if purpose not in ConsentPurpose.values:
        errors["purpose"] = [_("Choose a purpose from the list.")]
    if receiving_agency is None:
        errors["receiving_agency"] = [_("Choose the agency that receives the data.")]
    elif not receiving_agency.is_active:
        errors["receiving_agency"] = [_("This agency no longer works in Qorgau.")]
    if actor.agency_id is None:
        errors["__all__"] = [_("Your account belongs to no agency, so it cannot record consent.")]
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        consent = Consent.objects.create(
            person=person,
            purpose=purpose,
            receiving_agency=receiving_agency,
            granted_at=granted_at,
            expires_at=expires_at,
            notes=notes.strip(),
            recording_agency_id=cast(int, actor.agency_id),
            recorded_by=actor,
        )
        # Notes stay out of the audit row: they are free text about the person.
        record(
            actor=actor,
            action="consent.record",
            obj=consent,
            changes=diff(
                {},
                {
                    "person": person.pk,
                    "purpose": purpose,
                    "receiving_agency": receiving_agency.pk,
                    "granted_at": granted_at.isoformat(),
                    "expires_at": expires_at.isoformat(),
                },
            ),
        )
        if not Consent.objects.visible_to(actor, "consent").filter(pk=consent.pk).exists():
            raise PermissionDenied
    return consent


def do_withdraw_consent(*, actor: User, consent: Consent, reason: str) -> Consent:
    """Withdraw a consent from now on, with the reason the person gave. Audited as "consent.withdraw".

    A consent is withdrawn once; withdrawing it again is a ValidationError. The actor needs
    `people.consent` on the consent (PermissionDenied otherwise).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Enter the reason for the withdrawal.")]})
    with transaction.atomic():
        locked = (
            Consent.objects.visible_to(actor, "consent")
            .select_for_update(of=("self",))
            .filter(pk=consent.pk)
            .first()
        )
        if locked is None:
            raise PermissionDenied
        if locked.withdrawn_at is not None:
            raise ValidationError({"__all__": [_("This consent has already been withdrawn.")]})
        old = {"withdrawn_at": None, "withdrawal_reason": locked.withdrawal_reason}
        locked.withdrawn_at = timezone.now()
        locked.withdrawal_reason = reason
        locked.save(update_fields=["withdrawn_at", "withdrawal_reason"])
        record(
            actor=actor,
            action="consent.withdraw",
            obj=locked,
            changes=diff(old, {"withdrawn_at": locked.withdrawn_at.isoformat(), "withdrawal_reason": reason}),
            reason=reason,
        )
        if not Consent.objects.visible_to(actor, "consent").filter(pk=locked.pk).exists():
            raise PermissionDenied
    consent.withdrawn_at = locked.withdrawn_at
    consent.withdrawal_reason = locked.withdrawal_reason
    return consent


def check_consent_rule_version(
    *, max_days: Any, effective_from: Any, lock: bool = False
) -> ConsentRule | None:
    """Validate a new version of the longest consent (every error at once); the version it follows."""
    errors: dict[str, Any] = {}
    if type(max_days) is not int or not 1 <= max_days <= 3650:
        errors["max_days"] = _("A whole number of days from 1 to 3650.")
    current = latest_version(ConsentRule, {}, lock=lock)
    check_start(errors, current, effective_from)
    if errors:
        raise ValidationError(errors)
    return current


@transaction.atomic
def do_add_consent_rule_version(
    *,
    actor: User,
    max_days: int,
    effective_from: date,
    source: str = "",
    notes: str = "",
    confirmed: bool = False,
) -> ConsentRule:
    """A new longest consent from `effective_from` (core.effective: after the version in force, which ends
    that day; system administrators only). Consents already given keep the limit of their day."""
    require_rules_admin(actor)
    current = check_consent_rule_version(max_days=max_days, effective_from=effective_from, lock=True)
    rule = ConsentRule(
        max_days=max_days,
        effective_from=effective_from,
        source=source.strip()[:300],
        notes=notes.strip(),
        confirmed=confirmed,
    )
    return add_version(actor=actor, version=rule, current=current, changes={"max_days": max_days})
