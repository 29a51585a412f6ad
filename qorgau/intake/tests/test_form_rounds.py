"""The registration form in one round: every error at once, every required field marked, the form's key in
its URL (Back after saving names the signal), and what screen readers are told after a search or a pick.
The browser side (focus, scrolling) is in qorgau/browser_tests/test_signal_form.py."""

from __future__ import annotations

import pytest
from django.test import Client

from qorgau.core.models import AgencyType
from qorgau.core.testing import otp_login

from ..models import Signal
from .factories import World, new_agency, new_user
from .test_views import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    return Client(headers={"accept-language": "en"})  # the messages asserted are English


def test_one_save_reports_the_channel_the_forms_of_violence_and_the_victims_together(
    client: Client, world: World
) -> None:
    otp_login(client, world.officer)
    data = form_data(world, channel="", violence_forms=None, victims=None)
    body = client.post("/signals/new/", data).content.decode()
    assert not Signal.objects.exists()
    assert "Channel: This field is required." in body
    assert "Forms of violence: Choose at least one form of violence." in body
    assert "Name at least one victim." in body


def test_the_party_rules_are_reported_with_the_fields(client: Client, world: World) -> None:
    otp_login(client, world.officer)
    data = form_data(world, channel="", relationship="")
    body = client.post("/signals/new/", data).content.decode()
    assert "Channel: This field is required." in body
    assert "Say what Seitkali B. is to Seitkali A." in body


def test_forms_of_violence_is_marked_required(client: Client, world: World) -> None:
    body = otp_login(client, world.officer).get("/signals/new/", follow=True).content.decode()
    legend = body.split('<legend class="form-label fs-6">Forms of violence', 1)[1].split("</legend>", 1)[0]
    assert 'class="required-mark"' in legend


def test_the_form_key_is_in_the_url_and_only_the_first_load_takes_focus(client: Client, world: World) -> None:
    otp_login(client, world.officer)
    response = client.get("/signals/new/")
    assert response.status_code == 302
    url = response["Location"]
    key = url.split("?key=", 1)[1]
    body = client.get(url).content.decode()
    assert f'name="idempotency_key" value="{key}"' in body
    assert "autofocus" in body
    swapped = client.post("/signals/new/", form_data(world, action="refresh"), headers={"HX-Request": "true"})
    assert "autofocus" not in swapped.content.decode()


def test_back_after_saving_names_the_signal_instead_of_an_empty_form(client: Client, world: World) -> None:
    otp_login(client, world.officer)
    client.post("/signals/new/", form_data(world, idempotency_key="k-back"))
    signal = Signal.objects.get()
    body = client.get("/signals/new/?key=k-back").content.decode()
    assert f"This form was already saved: signal {signal.registration_number} is registered." in body
    assert f'href="/signals/{signal.pk}/"' in body
    assert 'id="signal-form"' not in body


def test_another_agencys_key_reveals_nothing(client: Client, world: World) -> None:
    otp_login(client, world.officer)
    client.post("/signals/new/", form_data(world, idempotency_key="k-theirs"))
    other = new_user(
        username="timur",
        agency=new_agency(name="Other Police", type=AgencyType.POLICE, region=world.p.astana),
        role=world.officer.role,
        scope=world.officer.scope,
    )
    body = (
        otp_login(Client(headers={"accept-language": "en"}), other)
        .get("/signals/new/?key=k-theirs")
        .content.decode()
    )
    assert "already saved" not in body
    assert Signal.objects.get().registration_number not in body
    assert 'id="signal-form"' in body


def test_a_search_and_a_pick_are_announced(client: Client, world: World) -> None:
    otp_login(client, world.officer)
    htmx = {"HX-Request": "true"}
    found = client.post("/signals/new/", {"action": "search", "find-name": "Seitkali"}, headers=htmx)
    assert 'data-announce="2 persons found."' in found.content.decode()
    picked = client.post("/signals/new/", {"action": f"pick:victim:{world.victim.pk}"}, headers=htmx)
    assert 'data-announce="Seitkali A. is added as victim."' in picked.content.decode()
