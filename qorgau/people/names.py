# ruff: noqa: RUF001, RUF002, RUF003  (Cyrillic and Kazakh Latin letters are the subject here)
"""One ASCII search key for every spelling of a name (DOMAIN.md section 3a).

The same person is written Нұрсұлтан Әлібеков (Kazakh Cyrillic), Нурсултан Алибеков (Russified),
Nūrsūltan Älıbekov (2021 Kazakh Latin) and NURSULTAN ALIBEKOV (passport, ICAO 9303). `fold` maps all of
them to `nursultan alibekov`. The key is deliberately lossy: letters that the alphabets and
transliterations confuse are merged (Ж/J/ZH, Х/Һ/KH/H, Ш/Щ/Ş/SH, И/Й/І/Ы/I/Y ...), and doubled letters
collapse, so that a search in one script finds the other. A wider match is the right error to make here:
the search is always narrowed by birth year or checked by a person on the detail page.

How it works:
1. lower-case; the Latin letters that decompose wrongly are mapped first (Ş -> sh, not s; ı -> i);
2. Unicode decomposition drops accents (Ä Ğ Ñ Ö Ū Ü İ -> a g n o u u i);
3. Cyrillic letters go to passport-style Latin (Ж -> zh, Х -> kh, Ц -> ts, Ю -> iu ...);
4. ASCII rewrites merge what the transliterations still spell differently (kh -> h, y -> i, io -> e ...),
   repeated until nothing changes, so that folding a key gives the same key.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Latin letters with a meaning of their own, mapped before decomposition would strip them to a base letter.
LATIN_SPECIAL = {
    "ş": "sh",  # 2021 Kazakh Latin Ш
    "ç": "ch",
    "ı": "i",  # dotless i: 2021 Kazakh Latin І
    "ý": "u",  # 2018 Kazakh Latin У
    "j": "zh",  # 2021 Kazakh Latin Ж (ICAO ZH)
    "q": "k",  # Kazakh Latin Қ
    "ß": "ss",
    "æ": "ae",
    "ø": "o",
    "đ": "d",
    "ł": "l",
}

# Cyrillic (Kazakh and Russian) to passport-style Latin. Й and Ё arrive here as И and Е plus a combining
# mark that decomposition already removed.
CYRILLIC = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "і": "i", "к": "k", "қ": "k", "л": "l", "м": "m", "н": "n", "ң": "n",
    "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u", "ф": "f",
    "х": "kh", "һ": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "iu", "я": "ia", "ў": "u",
}  # fmt: skip

# Applied in order, all of them, until the text stops changing.
REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"shch"), "sh"),  # Щ: ICAO SHCH, merged with Ш
    (re.compile(r"kh"), "h"),  # Х/Һ: ICAO KH, Kazakh Latin H
    (re.compile(r"x"), "ks"),  # Alexandr = Александр
    (re.compile(r"w"), "v"),
    (re.compile(r"c(?!h)"), "k"),  # Victor = Виктор; CH stays Ч
    (re.compile(r"y"), "i"),  # Ы/Й/Y/I; YA/YU become IA/IU like ICAO
    (re.compile(r"([a-z])\1+"), r"\1"),  # Анна/Ana, Мария/MARIIA/Maria, typos
    (re.compile(r"ie"), "e"),  # YERLAN/Ерлан, Валериевич/Валерьевич
    (re.compile(r"(?<=[bdfgklmnprstvz])io"), "e"),  # Ё as YO/IO after a consonant: Artyom/Артём, Fiodorov
    (re.compile(r"shsh"), "sh"),  # Щ as ŞŞ (2021 Kazakh Latin) or SHSH
)

_NOT_LETTER = re.compile(r"[^a-z]+")


def _to_ascii(text: str) -> str:
    text = "".join(LATIN_SPECIAL.get(c, c) for c in text.lower())
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    # Decomposition removed the marks of й and ё; special letters survive it (ә ғ қ ң ө ұ ү һ і).
    text = "".join(CYRILLIC.get(c, c) for c in text)
    text = "".join(LATIN_SPECIAL.get(c, c) for c in text)  # a j/q that was not lower-case before
    return text


def fold_token(token: str) -> str:
    previous = None
    while token != previous:
        previous = token
        for pattern, replacement in REWRITES:
            token = pattern.sub(replacement, token)
    return token


def fold(text: str | None) -> str:
    """The ASCII search key of `text`: lower-case words of a-z separated by single spaces."""
    if not text:
        return ""
    # Apostrophes (2017 Kazakh Latin a', O'Brien) and hyphens inside a word do not split it in two.
    words = _NOT_LETTER.split(re.sub(r"['’ʼ`]", "", _to_ascii(text)))
    return " ".join(t for t in (fold_token(w) for w in words) if t)


def fold_tokens(text: str | None) -> list[str]:
    return fold(text).split()


def name_key(*parts: str | None, max_length: int = 400) -> str:
    """The key stored on a person: folded words of every name field, each word once, in order."""
    seen: dict[str, None] = {}
    for part in parts:
        for token in fold_tokens(part):
            seen.setdefault(token, None)
    key = ""
    for token in seen:
        candidate = f"{key} {token}" if key else token
        if len(candidate) > max_length:
            break
        key = candidate
    return key


def names_match(a: str, b: str) -> bool:
    """True when two spellings fold to the same key (e.g. for a reconciliation hint)."""
    return fold(a) == fold(b)


def initials(names: Iterable[str]) -> str:
    return " ".join(f"{n[0]}." for n in names if n)
