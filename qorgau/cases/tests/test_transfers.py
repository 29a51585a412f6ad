"""Transfers: ownership moves when the receiving agency accepts; the history stays with both sides."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qorgau.core.models import AuditEvent

from ..models import Case, CaseTransfer, TransferStatus
from ..services import do_accept_transfer, do_decline_transfer, do_record_assessment, do_request_transfer
from .factories import CaseWorld


def sees(user, case: Case) -> bool:
    return Case.objects.visible_to(user).filter(pk=case.pk).exists()


def test_an_accepted_transfer_changes_the_owner_and_keeps_the_history(world: CaseWorld) -> None:
    case = world.open()
    with pytest.raises(ValidationError):
        do_request_transfer(actor=world.worker, case=case, to_agency=world.third, reason="")
    transfer = do_request_transfer(
        actor=world.worker, case=case, to_agency=world.third, reason="Moved to Yesil"
    )
    assert sees(world.worker, case) and not sees(world.third_worker, case)  # not yet
    with pytest.raises(ValidationError):  # one pending transfer at a time
        do_request_transfer(actor=world.worker, case=case, to_agency=world.support, reason="x")
    with pytest.raises(PermissionDenied):  # only the receiving agency accepts
        do_accept_transfer(actor=world.support_worker, transfer=transfer)

    case = do_accept_transfer(actor=world.third_worker, transfer=transfer)
    assert (case.agency, case.assigned_to) == (world.third, world.third_worker)
    assert sees(world.third_worker, case) and not sees(world.worker, case)
    with pytest.raises(PermissionDenied):  # the former owner no longer works the case
        do_record_assessment(actor=world.worker, case=case, needs=["legal"])
    history = CaseTransfer.objects.visible_to(world.worker).get()  # the sender keeps its history
    assert (history.status, history.from_agency, history.decided_by) == (
        TransferStatus.ACCEPTED,
        world.centre,
        world.third_worker,
    )
    row = AuditEvent.objects.get(action="case.transfer")
    assert row.changes["agency"] == {"old": world.centre.pk, "new": world.third.pk}


def test_a_declined_transfer_leaves_the_case_with_its_owner(world: CaseWorld) -> None:
    case = world.open()
    transfer = do_request_transfer(actor=world.worker, case=case, to_agency=world.third, reason="Moved")
    with pytest.raises(ValidationError):
        do_decline_transfer(actor=world.third_worker, transfer=transfer, reason="")
    do_decline_transfer(actor=world.third_worker, transfer=transfer, reason="Outside our district")
    assert Case.objects.get(pk=case.pk).agency == world.centre
    with pytest.raises(ValidationError):
        do_accept_transfer(actor=world.third_worker, transfer=transfer)


def test_another_region_cannot_hand_over_or_take_a_case(world: CaseWorld) -> None:
    case = world.open()
    with pytest.raises(PermissionDenied):
        do_request_transfer(
            actor=world.shymkent_worker, case=case, to_agency=world.p.shymkent_crisis, reason="x"
        )
    transfer = do_request_transfer(actor=world.worker, case=case, to_agency=world.third, reason="Moved")
    with pytest.raises(PermissionDenied):
        do_accept_transfer(actor=world.shymkent_worker, transfer=transfer)
