"""The XLSX export of the filtered signal list: scope, permission, audit, and no identifying data."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from qorgau.core.models import AuditEvent
from qorgau.core.testing import otp_login

from ..views import export
from .factories import World, make_person


@pytest.fixture(autouse=True)
def _english_pages(settings) -> None:
    settings.LANGUAGE_CODE = "en"


def rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_export_holds_the_filtered_signals_in_scope_without_names(client: Client, world: World) -> None:
    mine = world.register(channel="line_111", address="Abay 10", account="He hit her.")
    world.register(channel="call_102")
    shymkent_victim = make_person(world.shymkent_police, "Omarova", "Dana")
    other = world.register(
        actor=world.shymkent_officer,
        region=world.p.shymkent,
        victims=[shymkent_victim],
        offenders=[],
        relationship="",
    )
    response = otp_login(client, world.inspector).get("/signals/export/?channel=line_111")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    table = rows(response)
    text = repr(table)
    assert "Non-identifying data only" in text
    assert mine.registration_number in text
    assert other.registration_number not in text
    assert text.count("KZ-71-") == 1
    for secret in ("Seitkali", "Aigerim", "Bolat", "Abay 10", "He hit her."):
        assert secret not in text
    event = AuditEvent.objects.get(action="signal.export")
    assert event.changes["filters"] == {"channel": "line_111"}
    assert event.changes["rows"] == 1
    assert event.actor == world.inspector


def test_export_needs_the_export_action(client: Client, world: World) -> None:
    world.register()
    assert otp_login(client, world.officer).get("/signals/export/").status_code == 403
    assert not AuditEvent.objects.filter(action="signal.export").exists()


def test_anonymous_export_goes_to_login(client: Client, world: World) -> None:
    response = client.get("/signals/export/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_too_large_an_export_is_refused_with_a_message(client: Client, world: World, monkeypatch) -> None:
    monkeypatch.setattr(export, "EXPORT_MAX_ROWS", 1)
    world.register()
    world.register(received_at=timezone.now() - dt.timedelta(days=2))
    response = otp_login(client, world.inspector).get("/signals/export/?status=registered", follow=True)
    assert response.redirect_chain[-1][0] == "/signals/?status=registered"
    assert "an export holds at most 1" in response.content.decode()
    assert not AuditEvent.objects.filter(action="signal.export").exists()


def test_the_list_offers_the_export_with_the_same_filters(client: Client, world: World) -> None:
    world.register()
    body = otp_login(client, world.inspector).get("/signals/?channel=call_102").content.decode()
    assert 'href="/signals/export/?channel=call_102"' in body
