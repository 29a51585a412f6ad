"""Nothing a signed-in user saw, and no API answer, stays in a browser's or proxy's cache; page titles
hold no names."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from qorgau.core.api.tokens import do_issue_api_token
from qorgau.core.middleware import NoStoreMiddleware
from qorgau.core.testing import Personas, api_client, otp_login
from qorgau.intake.tests.factories import World, make_person, make_world


def assert_not_stored(response: Any) -> None:
    assert "no-store" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"


def title(response: Any) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    assert match is not None
    return match.group(1)


@pytest.fixture
def world(personas: Personas) -> World:
    return make_world(personas)


def test_a_person_page_is_not_stored_and_its_title_has_no_name(client: Client, personas: Personas) -> None:
    person = make_person(personas.astana_police, "Seitkali", "Aigerim")
    response = otp_login(client, personas.astana_officer).get(f"/people/{person.pk}/")
    assert response.status_code == 200
    assert_not_stored(response)
    assert "Seitkali" in response.content.decode()  # the page shows the name; the title does not
    assert "Seitkali" not in title(response)
    assert "Aigerim" not in title(response)
    assert str(person.pk) in title(response)


def test_a_signal_page_is_not_stored_and_its_title_has_no_name(client: Client, world: World) -> None:
    signal = world.register()
    response = otp_login(client, world.officer).get(f"/signals/{signal.pk}/")
    assert response.status_code == 200
    assert_not_stored(response)
    assert world.victim.surname not in title(response)
    assert signal.registration_number in title(response)


def test_a_person_api_answer_is_not_stored_with_a_session_or_a_token(personas: Personas) -> None:
    person = make_person(personas.astana_police)
    response = api_client(personas.astana_officer).get(f"/api/people/persons/{person.pk}/")
    assert response.status_code == 200
    assert_not_stored(response)

    _token, key = do_issue_api_token(actor=None, owner=personas.astana_officer, name="test client", days=30)
    by_token = APIClient()
    by_token.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = by_token.get(f"/api/people/persons/{person.pk}/")
    assert response.status_code == 200
    assert_not_stored(response)


@pytest.mark.django_db
def test_every_api_answer_is_not_stored_even_a_refusal(client: Client) -> None:
    response = client.get("/api/people/persons/")
    assert response.status_code == 401
    assert_not_stored(response)


def test_static_files_keep_their_caching(personas: Personas) -> None:
    def static_file(request: HttpRequest) -> HttpResponse:
        response = HttpResponse("body {}")
        response["Cache-Control"] = "max-age=315360000, public, immutable"
        return response

    request = RequestFactory().get("/static/css/qorgau.css")
    request.user = personas.astana_officer
    response = NoStoreMiddleware(static_file)(request)
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"

    request = RequestFactory().get("/people/")
    request.user = AnonymousUser()
    assert "no-store" not in NoStoreMiddleware(static_file)(request)["Cache-Control"]
    request.user = personas.astana_officer
    assert_not_stored(NoStoreMiddleware(static_file)(request))
