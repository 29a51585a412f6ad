"""The register found by registration number, the duty officer's "Register a signal" on the home page,
Kazakh dates in the locale's format and Django's empty choice label translated."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django import forms
from django.test import Client
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from qorgau.core.testing import Personas, otp_login

from .factories import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    return Client(headers={"accept-language": "en"})


def rows(body: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'<tr data-signal="(\d+)">', body)}


def test_the_register_finds_a_signal_by_its_registration_number(client: Client, world: World) -> None:
    first, second = world.register(idempotency_key="a"), world.register(idempotency_key="b")
    otp_login(client, world.officer)
    assert rows(client.get("/signals/").content.decode()) == {first.pk, second.pk}
    tail = second.registration_number[-6:]
    assert rows(client.get("/signals/", {"number": f" {tail} "}).content.decode()) == {second.pk}
    assert rows(client.get("/signals/", {"number": first.registration_number.lower()}).content.decode()) == {
        first.pk
    }


def test_the_number_search_stays_in_scope(client: Client, world: World) -> None:
    theirs = world.register_elsewhere(world.shymkent_officer)
    otp_login(client, world.officer)
    assert rows(client.get("/signals/", {"number": theirs.registration_number}).content.decode()) == set()


def test_the_duty_officer_registers_a_signal_from_home(client: Client, personas: Personas) -> None:
    body = otp_login(client, personas.astana_officer).get("/").content.decode()
    assert 'data-home-action="intake-register"' in body
    assert 'href="/signals/new/"' in body


def test_who_cannot_register_has_no_such_button(client: Client, personas: Personas) -> None:
    body = otp_login(client, personas.national_auditor).get("/").content.decode()
    assert 'data-home-action="intake-register"' not in body


def test_kazakh_dates_use_the_locales_format() -> None:
    with translation.override("kk"):
        assert formats.date_format(dt.date(2022, 2, 18), "SHORT_DATE_FORMAT") == "18.02.2022"
        assert (
            formats.date_format(dt.datetime(2022, 2, 18, 14, 30, tzinfo=dt.UTC), "SHORT_DATETIME_FORMAT")
            == "18.02.2022 14:30"
        )
        assert forms.DateField().clean("18.02.2022") == dt.date(2022, 2, 18)


@pytest.mark.parametrize(
    ("language", "label"), [("kk", "- Нұсқаны таңдаңыз -"), ("ru", "- Выберите вариант -")]
)
def test_the_empty_choice_is_translated(language: str, label: str) -> None:
    with translation.override(language):
        assert gettext("- Select an option -") == label


def test_the_register_sorts_by_number_received_and_status_with_aria_sort(
    client: Client, world: World
) -> None:
    now = timezone.now()
    old = world.register(idempotency_key="old", received_at=now - dt.timedelta(days=3))
    new = world.register(idempotency_key="new", received_at=now - dt.timedelta(hours=1))
    otp_login(client, world.officer)

    def order(**query: str) -> list[int]:
        body = client.get("/signals/", query).content.decode()
        return [int(pk) for pk in re.findall(r'<tr data-signal="(\d+)">', body)]

    assert order() == [new.pk, old.pk]  # newest first by default
    assert order(sort="received") == [old.pk, new.pk]
    assert order(sort="number") == [old.pk, new.pk]  # registered first, numbered first
    assert order(sort="-number") == [new.pk, old.pk]
    assert order(sort="nonsense") == [new.pk, old.pk]
    body = client.get("/signals/", {"sort": "number", "channel": "call_102"}).content.decode()
    header = body.split('data-sort="number"', 1)[1].split("</th>", 1)[0]
    assert 'aria-sort="ascending"' in header
    assert "sort=-number" in header and "channel=call_102" in header  # the other way, filters kept
    received = body.split('data-sort="received"', 1)[1].split("</th>", 1)[0]
    assert "aria-sort" not in received
