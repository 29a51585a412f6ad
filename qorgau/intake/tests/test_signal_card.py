"""The printable signal card: what it shows, who may print it (as the signal's page), the audit, languages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from qorgau.core.models import AuditEvent
from qorgau.core.testing import otp_login

from .. import flows
from ..models import ChildInvolvement, OutcomeKind
from .factories import World, make_person

pytestmark = pytest.mark.django_db


def card_url(signal) -> str:
    return f"/signals/{signal.pk}/card/"


@pytest.fixture
def signal(world: World):
    kid = make_person(world.p.astana_police, "Seitkali", "Dana", birth_date=dt.date(2016, 4, 2), sex="F")
    signal = world.register(
        received_at=timezone.now() - dt.timedelta(hours=5),
        forms=["physical", "psychological"],
        children=[(kid, ChildInvolvement.WITNESS)],
        address="Abay 10, flat 5",
    )
    flows.issue_protective_order(
        actor=world.inspector,
        signal=signal,
        offender=world.offender,
        served_at=timezone.now() - dt.timedelta(hours=2),
        number="PO-7",
    )
    flows.record_measure(
        actor=world.inspector, signal=signal, kind=OutcomeKind.ADMIN_PROTOCOL, article="73", part="1"
    )
    return signal


def test_the_card_shows_the_signal_on_one_page_without_navigation(
    client: Client, world: World, signal
) -> None:
    response = otp_login(client, world.officer).get(card_url(signal), headers={"accept-language": "en"})
    assert response.status_code == 200
    body = response.content.decode()
    assert f"Signal card {signal.registration_number}" in body
    for text in (
        "102 police call",
        "physical, psychological",
        "Seitkali Aigerim",
        "alleged offender",
        "to Seitkali Aigerim: spouse",
        "child (witnessed the violence)",
        "administrative protocol",
        "article 73, part 1",
        "protective order issued",
        "PO-7",
        "First contact with the victim",
        "Compliance checks",
        "Abay 10, flat 5",
    ):
        assert text in body, text
    assert 'class="navbar' not in body and "Skip to main content" not in body
    assert "intake/card.css" in body and "@media print" in open_static("intake/card.css")


def open_static(path: str) -> str:
    from django.contrib.staticfiles import finders

    found = finders.find(path)
    assert found, path
    with open(found, encoding="utf-8") as css:
        return css.read()


def test_printing_is_an_audited_read(client: Client, world: World, signal) -> None:
    otp_login(client, world.officer).get(card_url(signal))
    event = AuditEvent.objects.get(action="signal.print")
    assert (event.actor, event.object_id) == (world.officer, str(signal.pk))


def test_the_card_answers_as_the_signal_page_outside_scope(client: Client, world: World, signal) -> None:
    assert otp_login(client, world.shymkent_officer).get(card_url(signal)).status_code == 404
    assert AuditEvent.objects.filter(action="signal.denied").exists()
    assert not AuditEvent.objects.filter(action="signal.print").exists()


def test_the_card_is_in_the_users_language(client: Client, world: World, signal) -> None:
    otp_login(client, world.officer)
    russian = client.get(card_url(signal), headers={"accept-language": "ru"}).content.decode()
    kazakh = client.get(card_url(signal), headers={"accept-language": "kk"}).content.decode()
    assert '<html lang="ru">' in russian and "Карточка сигнала" in russian
    assert '<html lang="kk">' in kazakh and "Сигнал карточкасы" in kazakh


def test_the_signal_page_links_its_card(client: Client, world: World, signal) -> None:
    body = otp_login(client, world.officer).get(f"/signals/{signal.pk}/").content.decode()
    assert f'href="{card_url(signal)}"' in body
