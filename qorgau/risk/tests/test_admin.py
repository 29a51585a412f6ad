"""The instrument administration: a draft is edited and published through the services; a published
version's page is read-only; the referral rule is added as a version."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from qorgau.core.testing import Personas, otp_login

from ..models import InstrumentVersion, VersionStatus
from .factories import dash

pytestmark = pytest.mark.django_db


def test_draft_edit_and_publish_in_the_admin(personas: Personas) -> None:
    client = otp_login(Client(), personas.sysadmin)
    response = client.post(
        "/admin/risk/instrument/",
        {"action": "draft_version", "_selected_action": [dash().instrument_id]},
    )
    assert response.status_code == 302
    draft = InstrumentVersion.objects.get(status=VersionStatus.DRAFT)
    assert client.get(f"/admin/risk/instrumentversion/{draft.pk}/change/").status_code == 200
    assert client.get(f"/admin/risk/instrumentversion/{dash().pk}/change/").status_code == 200  # read-only
    assert client.post(f"/admin/risk/instrumentversion/{dash().pk}/change/", {}).status_code == 403
    page = client.get(f"/admin/risk/instrumentversion/{draft.pk}/publish/")
    assert page.status_code == 200
    done = client.post(
        f"/admin/risk/instrumentversion/{draft.pk}/publish/",
        {"effective_from": timezone.localdate().isoformat()},
    )
    assert done.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published and draft.effective_from == timezone.localdate()


def test_agency_administrators_cannot_publish(personas: Personas) -> None:
    client = otp_login(Client(), personas.astana_chair)
    assert client.get("/admin/risk/instrumentversion/").status_code in (302, 403)
