"""Helpers of the intake page tests: logging in, the registration form's data, keys and times."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from qorgau.core.testing import otp_login

from .factories import World


@pytest.fixture(autouse=True)
def english_pages(settings) -> None:
    # Pages are asserted in English; the UI default is Russian (LocaleMiddleware activates it per request).
    settings.LANGUAGE_CODE = "en"


def key_of(html: str) -> str:
    match = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', html)
    assert match is not None
    return match.group(1)


def fmt(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def login(client: Client, user) -> Client:
    return otp_login(client, user)


def form_data(world: World, **overrides) -> dict:
    data = {
        "action": "save",
        "channel": "call_102",
        "received_at": fmt(timezone.now() - dt.timedelta(minutes=30)),
        "region": world.p.astana.pk,
        "district": world.astana_district.pk,
        "address": "Abay 10, flat 5",
        "victims": [world.victim.pk],
        "offenders": [world.offender.pk],
        "relationship": "spouse",
        "violence_forms": ["physical"],
        "children_present": "on",
        "account": "Neighbours heard shouting.",
        "idempotency_key": "k-123",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
