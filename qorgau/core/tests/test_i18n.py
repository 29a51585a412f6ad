"""The UI is translated: Kazakh and Russian catalogues are complete, and pages render in Kazakh.

These tests fail while the catalogues are missing or incomplete: `make makemessages`, translate every
entry in qorgau/locale/{kk,ru}/LC_MESSAGES/django.po, then `make messages` compiles the .mo files.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client

from qorgau.core.testing import Personas, otp_login

LOCALE = Path(settings.LOCALE_PATHS[0])
TRANSLATED = ["kk", "ru"]  # English is the source language: its catalogue may leave msgstr empty.

# Strings of the shell that must be in every catalogue: proof that makemessages ran over it.
SHELL_STRINGS = [
    "People",
    "Audit log",
    "My work",
    "Your account has no role or scope yet; ask your agency administrator.",
    "Persons you register will appear here for 14 days.",
    "There is a problem with what you entered",
    "Page not found",
]


def catalogue(lang: str) -> Catalog:
    path = LOCALE / lang / "LC_MESSAGES" / "django.po"
    assert path.is_file(), f"{path} is missing: run `make makemessages` and translate it"
    with path.open("rb") as po:
        return read_po(po, locale=lang.replace("-", "_"))


@pytest.mark.parametrize("lang", [code for code, _name in settings.LANGUAGES])
def test_catalogue_exists_and_compiles(lang: str) -> None:
    catalog = catalogue(lang)
    write_mo(io.BytesIO(), catalog)
    mo = LOCALE / lang / "LC_MESSAGES" / "django.mo"
    assert mo.is_file(), f"{mo} is missing: `make messages` compiles it from the .po"
    ids = {message.id if isinstance(message.id, str) else message.id[0] for message in catalog}
    missing = [text for text in SHELL_STRINGS if text not in ids]
    assert not missing, f"{lang}: not in the catalogue (run makemessages): {missing}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_string_is_translated(lang: str) -> None:
    untranslated, fuzzy = [], []
    for message in catalogue(lang):
        if not message.id:
            continue  # the header
        string = message.string
        strings = list(string) if isinstance(string, list | tuple) else [string or ""]
        if not all(s.strip() for s in strings):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert not untranslated, f"{lang}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{lang}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


def translation_of(lang: str, msgid: str) -> str:
    message = catalogue(lang).get(msgid)
    assert message is not None and message.string, f"{msgid!r} has no {lang} translation"
    return str(message.string)


@pytest.mark.django_db
def test_home_page_renders_in_kazakh(client: Client, personas: Personas) -> None:
    people = translation_of("kk", "People")
    no_role = translation_of("kk", "Your account has no role or scope yet; ask your agency administrator.")
    assert people != "People"
    # Kazakh, not Russian: letters that only Kazakh has appear in the shell's strings.
    kazakh_letters = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
    assert kazakh_letters.search(people + no_role + translation_of("kk", "My work"))

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    html = otp_login(client, personas.astana_officer).get("/").content.decode()
    assert '<html lang="kk">' in html
    assert f">{people}<" in html

    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    html = otp_login(client, personas.outsider).get("/").content.decode()
    assert no_role in html
