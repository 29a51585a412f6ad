"""Content is edited in the administration: a save is a new published version, audited."""

from __future__ import annotations

import pytest
from django.test import Client

from qorgau.core.models import AuditEvent
from qorgau.core.testing import Personas, otp_login

from ..models import HelpPage
from .factories import load_pages


@pytest.mark.django_db
def test_a_system_administrator_publishes_a_new_version(personas: Personas) -> None:
    load_pages()
    client = otp_login(Client(HTTP_ACCEPT_LANGUAGE="en"), personas.sysadmin)
    form = client.get("/admin/portal/helppage/add/?slug=your-rights")
    assert form.status_code == 200
    assert "Your rights" in form.content.decode()  # a copy of the latest version to start from
    data = {
        "slug": "your-rights",
        "order": 3,
        "published_at_0": "2020-01-01",
        "published_at_1": "00:00:00",
        **{f"title_{lang}": f"Rights {lang}" for lang in ("kk", "ru", "en")},
        **{f"body_{lang}": f"New text {lang}" for lang in ("kk", "ru", "en")},
    }
    response = client.post("/admin/portal/helppage/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert HelpPage.objects.filter(slug="your-rights").count() == 2
    assert AuditEvent.objects.filter(action="helppage.publish", actor=personas.sysadmin.pk).count() == 1
    page = Client().get("/help/en/page/your-rights/").content.decode()
    assert "New text en" in page
    # A version is never edited.
    version = HelpPage.objects.filter(slug="your-rights").first()
    assert version is not None
    assert client.post(f"/admin/portal/helppage/{version.pk}/change/", data).status_code == 403
