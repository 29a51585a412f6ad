"""The cases reference data in the administration: referral purposes changed only through the service
(system administrators, audited, validated), specialists and qualifications read-only within scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from qorgau.core.models import AuditEvent, User
from qorgau.core.permissions import Scope
from qorgau.core.testing import UserFactory, otp_login, role

from ..models import ReferralPurpose
from .factories import CaseWorld, purpose

pytestmark = pytest.mark.django_db


def admin_client(user: User) -> Client:
    client = otp_login(Client(), user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def form(p: ReferralPurpose, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "sections": p.sections,
        "discloses_identity": "on" if p.discloses_identity else "",
        "consent_purpose": p.consent_purpose,
        "access_days": p.access_days,
        "is_active": "on" if p.is_active else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_a_system_administrator_changes_a_purpose_through_the_service(world: CaseWorld) -> None:
    legal = purpose("legal")
    client = admin_client(User.objects.get(pk=world.p.sysadmin.pk))
    url = f"/admin/cases/referralpurpose/{legal.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(url, form(legal, sections=["summary", "identity"], access_days=30))
    assert response.status_code == 302, response.content.decode()[:2000]
    legal.refresh_from_db()
    assert legal.sections == ["identity", "summary"] and legal.access_days == 30
    event = AuditEvent.objects.get(action="referral_purpose.change")
    assert event.changes["access_days"] == {"old": 90, "new": 30}


def test_an_invalid_purpose_is_refused_with_the_services_message(world: CaseWorld) -> None:
    consultation = purpose("consultation")
    client = admin_client(User.objects.get(pk=world.p.sysadmin.pk))
    response = client.post(
        f"/admin/cases/referralpurpose/{consultation.pk}/change/",
        form(consultation, sections=["summary", "identity"]),  # identity, but discloses nothing
    )
    assert response.status_code == 200
    assert "discloses identifying data" in response.content.decode()
    assert not AuditEvent.objects.filter(action="referral_purpose.change").exists()


def test_an_agency_administrator_reads_purposes_and_only_their_agencys_specialists(world: CaseWorld) -> None:
    world.specialist(kind="legal", valid_until=timezone.localdate() + dt.timedelta(days=30))
    other = UserFactory.create(
        username="other_admin",
        agency=world.third,
        role=role("agency_admin"),
        scope=Scope.AGENCY,
        is_staff=True,
    )
    mine = UserFactory.create(
        username="centre_admin",
        agency=world.centre,
        role=role("agency_admin"),
        scope=Scope.AGENCY,
        is_staff=True,
    )
    legal = purpose("legal")
    client = admin_client(User.objects.get(pk=mine.pk))
    assert client.get(f"/admin/cases/referralpurpose/{legal.pk}/change/").status_code == 200
    response = client.post(f"/admin/cases/referralpurpose/{legal.pk}/change/", form(legal, access_days=5))
    assert response.status_code == 403
    assert "Aliya Serikova" in client.get("/admin/cases/specialist/").content.decode()
    assert (
        "Aliya Serikova"
        not in admin_client(User.objects.get(pk=other.pk)).get("/admin/cases/specialist/").content.decode()
    )
    assert client.get("/admin/cases/qualification/").status_code == 200
