"""Under DEBUG (`make run`) an unknown URL or a failing view shows the product's pages, not Django's
technical pages with the URL map and the settings; DEBUG_TECHNICAL_PAGES=1 brings those back."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from qorgau.core.testing import Personas, otp_login

pytestmark = pytest.mark.urls("qorgau.core.tests.error_urls")

TECHNICAL_404 = "Using the URLconf defined in"


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    settings.DEBUG_TECHNICAL_PAGES = False
    return settings


@pytest.fixture
def english() -> Client:
    return Client(headers={"accept-language": "en"})


def test_an_unknown_url_under_debug_shows_the_product_404(debug, english: Client, db: None) -> None:
    response = english.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "This page does not exist, or it is not available to you." in body
    assert TECHNICAL_404 not in body
    assert "signals/" not in body  # nothing of the URL map


def test_a_signed_in_user_gets_it_with_the_menu(debug, english: Client, personas: Personas) -> None:
    body = otp_login(english, personas.astana_officer).get("/signals/999999/").content.decode()
    assert "This page does not exist, or it is not available to you." in body
    assert 'data-nav="signals"' in body
    assert "Http404" not in body and TECHNICAL_404 not in body


def test_an_unslashed_url_is_still_redirected(debug, english: Client, db: None) -> None:
    response = english.get("/accounts/login")
    assert response.status_code == 301
    assert response["Location"] == "/accounts/login/"


def test_a_failing_view_under_debug_shows_the_product_500_and_is_logged(
    debug, db: None, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client(raise_request_exception=False, headers={"accept-language": "en"})
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/fail/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    assert "a bug in a view" not in body and "Traceback" not in body and "SECRET_KEY" not in body
    assert any("a bug in a view" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


def test_the_developer_setting_brings_back_the_technical_pages(debug, english: Client, db: None) -> None:
    debug.DEBUG_TECHNICAL_PAGES = True
    assert TECHNICAL_404 in english.get("/no-such-page/").content.decode()
    client = Client(raise_request_exception=False)
    assert "a bug in a view" in client.get("/fail/").content.decode()
