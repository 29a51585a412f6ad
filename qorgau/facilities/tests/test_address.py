"""The secret address (DOMAIN.md 8.11): the facility's staff and a case worker with an accepted placement
see it; nobody else, nowhere else (audit values, search results; pages and exports in test_views.py)."""

from __future__ import annotations

import pytest

from qorgau.core.models import AuditEvent

from ..queries import may_see_address, reveal_address
from ..services import do_accept_request, do_admit, do_decline_request, do_discharge, do_withdraw_request
from .factories import ADDRESS, FacilityWorld

pytestmark = pytest.mark.django_db


def test_the_facility_staff_see_it_and_the_administrator_only_writes_it(fw: FacilityWorld) -> None:
    assert reveal_address(fw.manager, fw.shelter) == ADDRESS
    assert reveal_address(fw.shelter_worker, fw.shelter) is None  # staff, but not keeping the facility
    assert reveal_address(fw.sysadmin, fw.shelter) is None
    assert reveal_address(fw.shymkent_manager, fw.shelter) is None
    event = AuditEvent.objects.filter(action="facility.address_view").latest("pk")
    assert event.changes == {} and ADDRESS not in event.object_repr


def test_a_requester_learns_it_only_once_accepted_and_loses_it_at_discharge(fw: FacilityWorld) -> None:
    request = fw.request()
    assert reveal_address(fw.worker, fw.shelter) is None
    do_accept_request(actor=fw.manager, request=request)
    assert reveal_address(fw.worker, fw.shelter) == ADDRESS
    assert reveal_address(fw.cw.colleague, fw.shelter) is None  # another worker of the centre
    assert reveal_address(fw.shymkent_manager, fw.shelter) is None
    placement = do_admit(actor=fw.manager, facility=fw.shelter, case=request.case, request=request)
    assert may_see_address(fw.worker, fw.shelter)
    do_discharge(actor=fw.manager, placement=placement, destination="relatives", outcome="completed")
    assert not may_see_address(fw.worker, fw.shelter)


def test_a_declined_or_withdrawn_request_shows_nothing(fw: FacilityWorld) -> None:
    declined = fw.request()
    do_decline_request(actor=fw.manager, request=declined, reason="no_capacity")
    assert not may_see_address(fw.worker, fw.shelter)
    withdrawn = fw.request()
    do_accept_request(actor=fw.manager, request=withdrawn)
    do_withdraw_request(actor=fw.worker, request=withdrawn, reason="She is safe with her sister")
    assert not may_see_address(fw.worker, fw.shelter)


def test_no_audit_row_ever_holds_the_address(fw: FacilityWorld) -> None:
    request = fw.request()
    do_accept_request(actor=fw.manager, request=request)
    reveal_address(fw.worker, fw.shelter)
    for row in AuditEvent.objects.all():
        assert ADDRESS not in f"{row.changes} {row.object_repr} {row.reason}"
