"""Transfers of a case's ownership to another agency: requested by the owner, effective when accepted.

The transfer rows are the history (who handed the case over, to whom, when and why). The receiving
agency's worker who accepts becomes the assigned worker; the sending agency loses the case at once.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.audit import diff, record
from qorgau.core.models import Agency, User
from qorgau.core.permissions import may_work_in

from ..models import Case, CaseTransfer, TransferStatus
from ._common import ensure_still_visible, locked_visible, owns_case, raise_if, require, text


def do_request_transfer(*, actor: User, case: Case, to_agency: Agency, reason: str) -> CaseTransfer:
    """Ask `to_agency` to take the case over (the victim moved, another centre fits better)."""
    require(actor, "cases.refer")
    reason = text(reason)
    errors: dict[str, Any] = {}
    if to_agency is None or not to_agency.is_active or to_agency.region_id is None:
        errors["to_agency"] = _("Choose a regional agency that works in Qorgau.")
    elif to_agency.pk == case.agency_id:
        errors["to_agency"] = _("The case is already at this agency.")
    if not reason:
        errors["reason"] = _("Say why the case is handed over.")
    raise_if(errors)
    with transaction.atomic():
        if not owns_case(actor, case):
            raise PermissionDenied("Not found.")
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.is_closed:
            raise ValidationError({"__all__": _("A closed case is not transferred; reopen it first.")})
        if CaseTransfer.objects.filter(case=case, status=TransferStatus.REQUESTED).exists():
            raise ValidationError({"__all__": _("A transfer of this case is already waiting for an answer.")})
        transfer = CaseTransfer.objects.create(
            case=case, from_agency_id=case.agency_id, to_agency=to_agency, reason=reason, requested_by=actor
        )
        record(
            actor=actor,
            action="case_transfer.request",
            obj=transfer,
            subject=case,
            changes=diff({}, {"case": case.pk, "from_agency": case.agency_id, "to_agency": to_agency.pk}),
            reason=reason,
        )
    return transfer


def _receiving(actor: User, transfer: CaseTransfer) -> CaseTransfer:
    require(actor, "cases.add")
    if actor.agency_id is None or actor.agency_id != transfer.to_agency_id:
        raise PermissionDenied("Not found.")
    locked = locked_visible(CaseTransfer, transfer, actor, "view")
    if locked.status != TransferStatus.REQUESTED:
        raise ValidationError({"__all__": _("This transfer was already answered.")})
    return locked


def do_accept_transfer(*, actor: User, transfer: CaseTransfer) -> Case:
    """The receiving agency takes the case over: it owns it from now on, the actor works it."""
    with transaction.atomic():
        transfer = _receiving(actor, transfer)
        to_agency = transfer.to_agency
        if to_agency.region is None or not may_work_in(actor, to_agency.region_id):
            raise PermissionDenied("Not found.")
        case = Case.objects.select_for_update().get(pk=transfer.case_id)
        if case.agency_id != transfer.from_agency_id or case.is_closed:
            raise ValidationError(
                {"__all__": _("The case changed since the transfer was requested; ask again.")}
            )
        old = {
            "agency": case.agency_id,
            "region": case.region_id,
            "district": case.district_id,
            "assigned_to": case.assigned_to_id,
        }
        case.agency, case.district, case.assigned_to = to_agency, to_agency.district, actor
        case.region = to_agency.region
        case.save(update_fields=["agency", "region", "district", "assigned_to"])
        transfer.status, transfer.decided_by, transfer.decided_at = (
            TransferStatus.ACCEPTED,
            actor,
            timezone.now(),
        )
        transfer.save(update_fields=["status", "decided_by", "decided_at"])
        new = {
            "agency": case.agency_id,
            "region": case.region_id,
            "district": case.district_id,
            "assigned_to": actor.pk,
        }
        # Two rows: the sender's auditors see the hand-over (about the transfer), the receiver's the case.
        record(actor=actor, action="case_transfer.accept", obj=transfer, changes=diff(old, new))
        record(actor=actor, action="case.transfer", obj=case, changes=diff(old, new), reason=transfer.reason)
        ensure_still_visible(Case, case, actor)
    return case


def do_decline_transfer(*, actor: User, transfer: CaseTransfer, reason: str) -> CaseTransfer:
    """The receiving agency declines the case (the reason is required); the owner keeps it."""
    reason = text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the transfer is declined.")})
    with transaction.atomic():
        transfer = _receiving(actor, transfer)
        transfer.status, transfer.decided_by, transfer.decided_at = (
            TransferStatus.DECLINED,
            actor,
            timezone.now(),
        )
        transfer.decline_reason = reason
        transfer.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
        record(
            actor=actor,
            action="case_transfer.decline",
            obj=transfer,
            changes=diff({"status": TransferStatus.REQUESTED}, {"status": transfer.status}),
            reason=reason,
        )
    return transfer
