"""The public help page: no cookie, no external address, no crisis-centre address, the quick exit on
every page, the three languages complete, the no-trace headers."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from qorgau.core.testing import Personas
from qorgau.facilities.models import Facility
from qorgau.facilities.queries import PUBLIC_FIELDS, public_directory
from qorgau.facilities.secret import decrypt_address

from ..models import PageSlug
from .factories import SECRET_ADDRESSES, centres, load_pages

LANGS = ("kk", "ru", "en")
EXTERNAL = re.compile(r"""(?:src|href|action|content|url)\s*[=(]\s*["']?\s*(?:https?:)?//""", re.I)


def public_paths(lang: str) -> list[str]:
    return [
        f"/help/{lang}/",
        *(f"/help/{lang}/page/{slug}/" for slug in PageSlug.values),
        f"/help/{lang}/regions/",
        f"/help/{lang}/regions/KZ-71/",
        f"/help/{lang}/regions/KZ-79/",
        f"/help/{lang}/write/",
        f"/help/{lang}/write/add/",
    ]


@pytest.fixture
def site(personas: Personas) -> list[Facility]:
    load_pages()
    return centres(personas)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGS)
def test_every_public_page_is_safe(site: list[Facility], lang: str) -> None:
    client = Client()
    addresses = [decrypt_address(f.address_encrypted) for f in site]
    assert sorted(addresses) == sorted(SECRET_ADDRESSES)
    for path in public_paths(lang):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert not response.cookies, (path, response.cookies)
        assert "Set-Cookie" not in response.headers, path
        assert not EXTERNAL.findall(html), (path, EXTERNAL.findall(html))
        # The quick exit: a plain link (works without JavaScript) to our own exit route, on every page.
        assert '<a class="exit" href="/help/away/" data-exit' in html, path
        assert "no-store" in response["Cache-Control"], path
        assert response["Referrer-Policy"] == "no-referrer"
        assert f'<html lang="{lang}">' in html
        for address in addresses:
            assert address not in html, path
            assert address.split(",")[0] not in html, path
        assert "<title>Qorgau</title>" in html  # neutral in the browser's history
    assert not client.cookies


@pytest.mark.django_db
def test_the_region_page_lists_centres_by_name_hours_and_phone(site: list[Facility]) -> None:
    html = Client().get("/help/en/regions/KZ-71/").content.decode()
    assert "Astana Hope Crisis Centre" in html
    assert "+7 717 200 11 22" in html
    assert "round the clock" in html
    assert "Shymkent Family Support Centre" not in html
    other = Client().get("/help/ru/regions/KZ-79/").content.decode()
    assert "+7 725 300 44 55" in other and "Astana Hope" not in other
    assert Client().get("/help/en/regions/KZ-00/").status_code == 404


@pytest.mark.django_db
def test_the_public_directory_cannot_carry_an_address(site: list[Facility]) -> None:
    # The contract: the query reads only the listed columns, and none of them is the address.
    assert not any("address" in name for name in PUBLIC_FIELDS)
    rows = public_directory()
    assert {r.name for r in rows} == {"Astana Hope Crisis Centre", "Shymkent Family Support Centre"}
    for row in rows:
        assert not hasattr(row, "address_encrypted") and not hasattr(row, "address")
        assert all(address not in repr(row) for address in SECRET_ADDRESSES)


@pytest.mark.django_db
def test_the_quick_exit_leaves_for_a_neutral_site_and_clears_the_cache(settings) -> None:
    settings.PORTAL_EXIT_URL = "https://weather.example/"
    response = Client().get("/help/away/")
    assert response.status_code == 302
    assert response["Location"] == "https://weather.example/"
    assert response["Clear-Site-Data"] == '"cache"'
    assert not response.cookies


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "lang"), [("kk-KZ,kk;q=0.9", "kk"), ("en-GB,en;q=0.8", "en"), ("de", "ru"), ("ru", "ru")]
)
def test_the_first_page_follows_the_browser_language(accept: str, lang: str) -> None:
    response = Client().get("/help/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == f"/help/{lang}/"
    assert "Accept-Language" in response["Vary"]
    assert not response.cookies


@pytest.mark.django_db
def test_the_three_languages_are_complete(site: list[Facility]) -> None:
    client = Client()
    pages = {lang: client.get(f"/help/{lang}/page/what-is-violence/").content.decode() for lang in LANGS}
    assert "Тұрмыстық зорлық-зомбылық дегеніміз не" in pages["kk"]
    assert "Что такое домашнее насилие" in pages["ru"]
    assert "What domestic violence is" in pages["en"]
    homes = {lang: client.get(f"/help/{lang}/").content.decode() for lang in LANGS}
    assert "Exit this page" in homes["en"]
    assert "Exit this page" not in homes["kk"] and "Exit this page" not in homes["ru"]
    for lang in LANGS:
        for number in ("102", "111", "150"):
            assert f'href="tel:{number}"' in homes[lang]


@pytest.mark.django_db
def test_an_unknown_language_or_page_is_404_without_a_cookie(site: list[Facility]) -> None:
    for path in ("/help/de/", "/help/en/page/nothing/", "/help/kk/regions/KZ-00/"):
        response = Client().get(path)
        assert response.status_code == 404, path
        assert not response.cookies, path
        assert '<a class="exit" href="/help/away/"' in response.content.decode()
        assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_page_not_yet_published_is_not_shown(personas: Personas) -> None:
    import datetime as dt

    from django.utils import timezone

    from ..services import do_publish_page

    texts = dict.fromkeys(LANGS, "Later")
    do_publish_page(
        actor=None,
        slug="your-rights",
        titles=texts,
        bodies=texts,
        published_at=timezone.now() + dt.timedelta(days=1),
    )
    assert Client().get("/help/en/page/your-rights/").status_code == 404
