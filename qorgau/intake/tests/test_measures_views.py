"""The outcome page records several legal measures: an order and a protocol; corrections keep the earlier."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from qorgau.core.models import Agency, AgencyType

from ..models import Outcome, OutcomeKind, SignalStatus
from ..services import do_record_outcome
from .factories import World
from .test_views import fmt, login


@pytest.fixture(autouse=True)
def _english_pages(settings) -> None:
    settings.LANGUAGE_CODE = "en"


def test_an_order_then_a_protocol_on_the_pages(client: Client, world: World) -> None:
    signal = world.register()
    login(client, world.inspector)
    order = {
        "kind": "protective_order",
        "decided_at": fmt(timezone.now()),
        "served_at": fmt(timezone.now()),
        "offender": world.offender.pk,
    }
    body = client.post(f"/signals/{signal.pk}/outcome/", order, follow=True).content.decode()
    assert "The signal stays open until its outcome is recorded." in body
    signal.refresh_from_db()
    assert signal.status != SignalStatus.CLOSED
    protocol = {"kind": "admin_protocol", "decided_at": fmt(timezone.now()), "article": "73", "part": "1"}
    body = client.post(f"/signals/{signal.pk}/outcome/", protocol, follow=True).content.decode()
    assert "The signal is closed." in body
    signal.refresh_from_db()
    assert signal.outcome is not None and signal.outcome.kind == OutcomeKind.ADMIN_PROTOCOL
    assert 'data-outcome="protective_order"' in body and 'data-outcome="admin_protocol"' in body


def test_a_protective_measure_is_corrected_on_the_page_keeping_the_earlier(
    client: Client, world: World
) -> None:
    signal = world.register()
    court = Agency.objects.create(name="Astana court", type=AgencyType.COURT, region=world.p.astana)
    first = do_record_outcome(
        actor=world.inspector,
        signal=signal,
        kind=OutcomeKind.SPECIAL_REQUIREMENTS,
        details="no contact",
        referred_agency=court,
    )
    login(client, world.inspector)
    data = {
        "kind": "special_requirements",
        "decided_at": fmt(timezone.now()),
        "details": "no contact, no visits",
        "referred_agency": court.pk,
        "corrects": first.pk,
    }
    body = client.post(f"/signals/{signal.pk}/outcome/", data).content.decode()
    assert "Give the reason for correcting the earlier measure." in body
    client.post(f"/signals/{signal.pk}/outcome/", {**data, "correction_reason": "The court's wording."})
    first.refresh_from_db()
    assert first.superseded_at is not None and first.details == "no contact"
    current = Outcome.objects.get(signal=signal, superseded_at__isnull=True)
    assert current.corrects == first and current.details == "no contact, no visits"
