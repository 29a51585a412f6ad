"""Referrals of a case to another agency, built on core's grants.

A referral that discloses identifying data needs, at the moment of disclosure, a consent in force of the
victim for that purpose and agency (`people` `consent_allows`), or a recorded legal mandate with its
reason; otherwise it is refused with a message and the refusal is audited ("referral.refused"). Consent is
never required to receive services from the owning agency (nothing here is called for those).

Accepting a referral grants the receiving agency `view` on the case with the purpose's sections, until the
purpose's longest access or the consent's expiry, whichever is first. The grant is made in the name of the
worker who referred (the person who decided to share, `Grant.granted_by`); the acceptance is audited with
the acceptor. Completing or revoking ends the grant at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.audit import diff, record
from qorgau.core.grants import do_grant_access, do_revoke_grant
from qorgau.core.idempotency import fingerprint, remember, replay
from qorgau.core.models import Agency, User
from qorgau.people.models import Consent
from qorgau.people.services.consent import consent_in_force as people_consent_in_force

from ..models import ACTIVE_REFERRAL, Case, Referral, ReferralPurpose, ReferralRefusal, ReferralStatus
from ._common import locked_visible, owns_case, raise_if, require, text

NO_BASIS = _(
    "The referral was refused: it discloses who the victim is, and the person has given no consent in force "
    "for this purpose and this agency, nor a recorded legal mandate. Record the person's consent, or the "
    "legal mandate and its reason."
)
REFER = "cases.refer_case"  # the operation of do_refer_case's idempotency keys
CONSENT_ENDED = _(
    "The referral cannot be accepted: the consent it relied on is no longer in force (expired or "
    "withdrawn). The owning agency must record a new consent or a legal mandate."
)


def _snapshot(referral: Referral) -> dict[str, Any]:
    return {
        "case": referral.case_id,
        "to_agency": referral.to_agency_id,
        "purpose": referral.purpose_id,
        "status": referral.status,
        "consent": referral.consent_id,
        "legal_mandate": "changed" if referral.legal_mandate else "",
    }


def consent_in_force(case: Case, purpose: ReferralPurpose, agency: Agency, at: dt.datetime) -> Consent | None:
    """The victim's consent in force at `at` for the purpose and agency (the one lasting longest), or None."""
    return people_consent_in_force(person=case.victim, purpose=purpose.consent_purpose, agency=agency, at=at)


def _refuse(
    actor: User, case: Case, to_agency: Agency, purpose: ReferralPurpose, why: str, message: Any
) -> None:
    """Audit a refused disclosure (its own savepoint, kept although the service raises) and raise."""
    with transaction.atomic():
        record(
            actor=actor,
            action="referral.refused",
            obj=case,
            changes={"to_agency": to_agency.pk, "purpose": purpose.code, "refusal": str(why)},
        )
    raise ValidationError({"__all__": message})


def _purpose(value: ReferralPurpose | str) -> ReferralPurpose:
    code = value.code if isinstance(value, ReferralPurpose) else value
    found = ReferralPurpose.objects.filter(code=code, is_active=True).first()
    if found is None:
        raise ValidationError({"purpose": _("Choose the purpose of the referral.")})
    return found


def do_refer_case(
    *,
    actor: User,
    case: Case,
    to_agency: Agency,
    purpose: ReferralPurpose | str,
    note: str = "",
    legal_mandate: str = "",
    mandate_reason: str = "",
    idempotency_key: str | None = None,
) -> Referral:
    """Refer the case to `to_agency` for `purpose` (status requested; nothing is shared until accepted).

    With `idempotency_key` (qorgau/core/idempotency.py): a retry of the same request returns the referral
    it made, with `idempotent_replay` set; the key with another request raises `IdempotencyConflict`; a
    retry by a user who cannot see the referral raises Http404. A refused referral remembers no key.
    """
    require(actor, "cases.refer")
    legal_mandate, mandate_reason = text(legal_mandate), text(mandate_reason)
    request = fingerprint(
        {
            "case": case.pk,
            "to_agency": getattr(to_agency, "pk", None),
            "purpose": purpose.code if isinstance(purpose, ReferralPurpose) else purpose,
            "note": text(note),
            "legal_mandate": legal_mandate,
            "mandate_reason": mandate_reason,
        }
    )
    earlier = replay(actor=actor, operation=REFER, key=idempotency_key, fingerprint=request, model=Referral)
    if earlier is not None:
        earlier.idempotent_replay = True
        return earlier
    purpose = _purpose(purpose)
    errors: dict[str, Any] = {}
    if to_agency is None or not to_agency.is_active:
        errors["to_agency"] = _("Choose an agency that works in Qorgau.")
    elif to_agency.pk == case.agency_id:
        errors["to_agency"] = _("The case is already at this agency.")
    if legal_mandate and not mandate_reason:
        errors["mandate_reason"] = _("Say why the legal mandate applies to this referral.")
    if mandate_reason and not legal_mandate:
        errors["legal_mandate"] = _("Name the legal mandate the referral relies on.")
    raise_if(errors)
    with transaction.atomic():
        if not owns_case(actor, case):
            raise PermissionDenied("Not found.")
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.is_closed:
            raise ValidationError({"__all__": _("The case is closed; reopen it before referring it.")})
        duplicate = Referral.objects.filter(
            case=case, to_agency=to_agency, purpose=purpose, status__in=ACTIVE_REFERRAL
        ).exists()
        if duplicate:
            raise ValidationError(
                {"to_agency": _("The case is already referred to this agency for this purpose.")}
            )
    consent = None
    if purpose.discloses_identity:
        consent = consent_in_force(case, purpose, to_agency, timezone.now())
        if consent is None and not legal_mandate:
            _refuse(actor, case, to_agency, purpose, ReferralRefusal.NO_CONSENT, NO_BASIS)
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                case=case,
                to_agency=to_agency,
                purpose=purpose,
                note=text(note),
                consent=consent,
                legal_mandate=legal_mandate if consent is None else "",
                mandate_reason=mandate_reason if consent is None else "",
                requested_by=actor,
            )
            record(
                actor=actor,
                action="referral.request",
                obj=referral,
                changes=diff({}, _snapshot(referral)),
                reason=referral.mandate_reason,
            )
            remember(actor=actor, operation=REFER, key=idempotency_key, fingerprint=request, obj=referral)
    except IntegrityError:
        # A concurrent request with the same key committed first: answer as its retry.
        earlier = replay(
            actor=actor, operation=REFER, key=idempotency_key, fingerprint=request, model=Referral
        )
        if earlier is None:
            raise
        earlier.idempotent_replay = True
        return earlier
    return referral


def _receiving(actor: User, referral: Referral) -> Referral:
    """The referral locked for its receiving agency's staff (accept, decline), still requested."""
    require(actor, "cases.change")
    if actor.agency_id is None or actor.agency_id != referral.to_agency_id:
        raise PermissionDenied("Not found.")
    locked = locked_visible(Referral, referral, actor, "change")
    if locked.status != ReferralStatus.REQUESTED:
        raise ValidationError({"__all__": _("This referral was already answered or withdrawn.")})
    return locked


def do_accept_referral(*, actor: User, referral: Referral) -> Referral:
    """Accept a referral to the actor's agency: the case opens to it with the purpose's sections."""
    with transaction.atomic():
        referral = _receiving(actor, referral)
        case, purpose, now = referral.case, referral.purpose, timezone.now()
        expires_at = now + dt.timedelta(days=purpose.access_days)
        if purpose.discloses_identity and not referral.legal_mandate:
            consent = consent_in_force(case, purpose, referral.to_agency, now)
            if consent is None:
                refused = True
            else:
                refused = False
                referral.consent = consent
                expires_at = min(expires_at, consent.expires_at)
        else:
            refused = False
    if refused:
        _refuse(actor, case, referral.to_agency, purpose, ReferralRefusal.CONSENT_ENDED, CONSENT_ENDED)
    with transaction.atomic():
        referral = _receiving(actor, referral)
        try:
            grant = do_grant_access(
                actor=referral.requested_by,
                obj=case,
                agency=referral.to_agency,
                purpose=purpose.code,
                sections=list(purpose.sections),
                actions=["view"],
                expires_at=expires_at,
                reason=f"{referral.code} ({purpose.code})",
            )
        except PermissionDenied as exc:
            raise ValidationError(
                {
                    "__all__": _(
                        "The worker who made this referral can no longer share the case; ask the owning "
                        "agency to refer it again."
                    )
                }
            ) from exc
        old = _snapshot(referral)
        referral.status = ReferralStatus.ACCEPTED
        referral.decided_by, referral.decided_at, referral.grant = actor, timezone.now(), grant
        referral.consent = consent_in_force(case, purpose, referral.to_agency, now) or referral.consent
        referral.save(update_fields=["status", "decided_by", "decided_at", "grant", "consent"])
        new = _snapshot(referral) | {"grant": grant.pk, "expires_at": expires_at.isoformat()}
        record(actor=actor, action="referral.accept", obj=referral, changes=diff(old, new))
    return referral


def do_decline_referral(*, actor: User, referral: Referral, reason: str) -> Referral:
    """Decline a referral to the actor's agency, with the reason (required). Nothing was shared."""
    reason = text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the referral is declined.")})
    with transaction.atomic():
        referral = _receiving(actor, referral)
        old = _snapshot(referral)
        referral.status = ReferralStatus.DECLINED
        referral.decided_by, referral.decided_at, referral.decline_reason = actor, timezone.now(), reason
        referral.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
        record(
            actor=actor,
            action="referral.decline",
            obj=referral,
            changes=diff(old, _snapshot(referral)),
            reason=reason,
        )
    return referral


def _end(actor: User | None, referral: Referral, status: str, reason: str, *, revoker: User) -> Referral:
    if referral.grant_id is not None:
        do_revoke_grant(actor=revoker, grant=referral.grant, reason=reason)  # type: ignore[arg-type]
    old = _snapshot(referral)
    referral.status = status
    referral.ended_by, referral.ended_at, referral.end_reason = actor, timezone.now(), reason
    referral.save(update_fields=["status", "ended_by", "ended_at", "end_reason"])
    action = "referral.complete" if status == ReferralStatus.COMPLETED else "referral.revoke"
    record(actor=actor, action=action, obj=referral, changes=diff(old, _snapshot(referral)), reason=reason)
    return referral


def do_revoke_referral(*, actor: User, referral: Referral, reason: str) -> Referral:
    """The owning agency withdraws a referral; the receiving agency's access ends at once."""
    require(actor, "cases.refer")
    reason = text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the referral is revoked.")})
    with transaction.atomic():
        if not owns_case(actor, referral.case):
            raise PermissionDenied("Not found.")
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if referral.status not in ACTIVE_REFERRAL:
            raise ValidationError({"__all__": _("This referral has already ended.")})
        return _end(actor, referral, ReferralStatus.REVOKED, reason, revoker=actor)


def do_complete_referral(*, actor: User, referral: Referral, note: str = "") -> Referral:
    """Either side records that the referral's work is done; the receiving agency's access ends at once."""
    note = text(note) or "completed"
    with transaction.atomic():
        owner = actor.can("cases.refer") and owns_case(actor, referral.case)
        receiving = (
            actor.can("cases.change")
            and actor.agency_id == referral.to_agency_id
            and Referral.objects.visible_to(actor, "change").filter(pk=referral.pk).exists()
        )
        if not (owner or receiving):
            raise PermissionDenied("Not found.")
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if referral.status != ReferralStatus.ACCEPTED:
            raise ValidationError({"__all__": _("Only an accepted referral can be completed.")})
        # The receiving agency cannot revoke a grant by itself (core.grants): the referring worker's name
        # ends it, as it began it.
        revoker = actor if owner else referral.requested_by
        try:
            return _end(actor, referral, ReferralStatus.COMPLETED, note, revoker=revoker)
        except PermissionDenied as exc:
            raise ValidationError(
                {
                    "__all__": _(
                        "Ask the owning agency to complete the referral: its worker can no longer be reached."
                    )
                }
            ) from exc


WITHDRAWN = "The consent the referral relied on was withdrawn."


def do_end_referrals_without_consent(*, at: dt.datetime | None = None) -> list[Referral]:
    """Revoke the accepted referrals whose consent was withdrawn (run by a scheduled task, no actor).

    An expired consent needs nothing: the grant never outlives it (`do_accept_referral`). A withdrawal
    is recorded in `people`, which does not know cases, so this sweep ends the access on its next run.
    The grant is revoked in the name of the worker who referred (as it was granted), else the case's
    assigned worker; a referral neither can end any more is left for the owning agency and returned
    unchanged (its status stays accepted), so that the caller can report it.
    """
    at = at or timezone.now()
    ended: list[Referral] = []
    candidates = Referral.objects.filter(
        status=ReferralStatus.ACCEPTED,
        legal_mandate="",
        consent__withdrawn_at__isnull=False,
        consent__withdrawn_at__lte=at,
    ).select_related("case", "grant", "requested_by")
    for referral in candidates:
        if consent_in_force(referral.case, referral.purpose, referral.to_agency, at):
            continue  # another consent of the person covers the referral
        for revoker in filter(None, (referral.requested_by, referral.case.assigned_to)):
            try:
                with transaction.atomic():
                    locked = Referral.objects.select_for_update().get(pk=referral.pk)
                    if locked.status != ReferralStatus.ACCEPTED:
                        break
                    ended.append(_end(None, locked, ReferralStatus.REVOKED, WITHDRAWN, revoker=revoker))
                break
            except PermissionDenied:
                continue
    return ended
