"""Changing a specialist (do_change_specialist and its page): the name corrected, a specialist stopped
from working with cases (no new service), staff of the specialist's agency only, audited without the name."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from qorgau.core.models import AuditEvent, User
from qorgau.core.testing import otp_login

from ..services import check_qualified, do_change_specialist
from .factories import CaseWorld

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = otp_login(Client(), user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_an_inactive_specialist_gets_no_new_service_and_the_change_is_audited(world: CaseWorld) -> None:
    specialist = world.specialist(kind="legal", valid_until=timezone.localdate() + dt.timedelta(days=30))
    do_change_specialist(
        actor=world.worker, specialist=specialist, full_name="Aliya Serikova", is_active=False
    )
    specialist.refresh_from_db()
    assert not specialist.is_active
    with pytest.raises(ValidationError, match="no longer works with cases"):
        check_qualified(specialist, "legal")
    event = AuditEvent.objects.get(action="specialist.change")
    assert event.changes == {"is_active": {"old": True, "new": False}}


def test_a_named_specialist_keeps_a_name_and_another_agency_cannot_change_them(world: CaseWorld) -> None:
    specialist = world.specialist()
    with pytest.raises(ValidationError):
        do_change_specialist(actor=world.worker, specialist=specialist, full_name=" ", is_active=True)
    with pytest.raises(PermissionDenied):
        do_change_specialist(actor=world.support_worker, specialist=specialist, full_name="X", is_active=True)
    with pytest.raises(PermissionDenied):
        do_change_specialist(
            actor=world.shymkent_worker, specialist=specialist, full_name="X", is_active=True
        )
    specialist.refresh_from_db()
    assert specialist.full_name == "Aliya Serikova"


def test_the_change_page_saves_through_the_service(world: CaseWorld) -> None:
    specialist = world.specialist()
    client = client_for(world.worker)
    url = f"/cases/specialists/{specialist.pk}/"
    assert "Aliya Serikova" in client.get(url).content.decode()
    page = client.post(url, {"full_name": "", "is_active": "on"}).content.decode()
    assert "Give the name of the specialist." in page
    assert client.post(url, {"full_name": "Aliya Serikova-Nur", "is_active": "on"}).status_code == 302
    specialist.refresh_from_db()
    assert specialist.full_name == "Aliya Serikova-Nur" and specialist.is_active
    assert client_for(world.support_worker).get(url).status_code == 404
    assert client_for(world.shymkent_worker).get(url).status_code == 404
