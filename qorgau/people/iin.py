"""The IIN (individual identification number): validation, the facts it encodes, and how it is stored.

Layout (DOMAIN.md section 3): `YYMMDD` birth date, one digit for century and sex (1/2 = 1800s, 3/4 = 1900s,
5/6 = 2000s; odd male, even female), a 4-digit serial and a check digit.

An IIN is personal data. It is stored only as a keyed hash (exact matching, unique) and as Fernet
ciphertext (shown in full on the detail page to roles with `people.view_iin`); lists show `mask_iin`.
Never log it, never put it in a URL or an audit row.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

IIN_RE = re.compile(r"\d{12}")
FIRST_WEIGHTS = tuple(range(1, 12))
SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
# Century-and-sex digit -> (first year of the century, sex). Sex uses people.models.Sex values.
CENTURY_SEX = {1: (1800, "M"), 2: (1800, "F"), 3: (1900, "M"), 4: (1900, "F"), 5: (2000, "M"), 6: (2000, "F")}


def normalize_iin(value: str | None) -> str:
    """The IIN as typed, without spaces or dashes people put between digit groups."""
    return re.sub(r"[\s-]", "", value or "")


def check_digit(first11: str) -> int | None:
    """The check digit for the first 11 digits, or None when no IIN can have this prefix."""
    digits = [int(c) for c in first11]
    for weights in (FIRST_WEIGHTS, SECOND_WEIGHTS):
        s = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if s != 10:
            return s
    return None


def _birth_date(iin: str) -> datetime.date | None:
    century_sex = CENTURY_SEX.get(int(iin[6]))
    if century_sex is None:
        return None
    try:
        return datetime.date(century_sex[0] + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        return None


def validate_iin(value: str) -> None:
    """Django validator: raises ValidationError with a message saying which part of the IIN is wrong."""
    iin = normalize_iin(value)
    if not IIN_RE.fullmatch(iin):
        raise ValidationError(_("An IIN is exactly 12 digits."), code="iin_format")
    if int(iin[6]) not in CENTURY_SEX:
        raise ValidationError(
            _("The 7th digit of an IIN (century and sex) must be from 1 to 6."), code="iin_century"
        )
    born = _birth_date(iin)
    if born is None:
        raise ValidationError(
            _("The first six digits of this IIN are not a real birth date."), code="iin_date"
        )
    if born > timezone.localdate():
        raise ValidationError(_("The birth date in this IIN is in the future."), code="iin_date")
    if check_digit(iin[:11]) != int(iin[11]):
        raise ValidationError(
            _("The check digit of this IIN is wrong: please check the number for a typo."), code="iin_check"
        )


def is_valid_iin(value: str) -> bool:
    try:
        validate_iin(value)
    except ValidationError:
        return False
    return True


def iin_birth_date(iin: str) -> datetime.date:
    """The birth date encoded in a valid IIN."""
    born = _birth_date(normalize_iin(iin))
    if born is None:
        raise ValueError("not a valid IIN")
    return born


def iin_sex(iin: str) -> str:
    """'M' or 'F' (people.models.Sex values) from the 7th digit of a valid IIN."""
    return CENTURY_SEX[int(normalize_iin(iin)[6])][1]


def make_iin(birth_date: datetime.date, sex: str, serial: int = 0) -> str:
    """A valid IIN for this birth date and sex ('M' or 'F'): the first serial from `serial` onwards
    (wrapping at 10000) whose prefix has a check digit. Used by the demo data and test factories."""
    if sex not in ("M", "F"):
        raise ValueError("sex must be 'M' or 'F'")
    century = birth_date.year // 100 * 100
    digit = next(
        (d for d, (c, s) in CENTURY_SEX.items() if c == century and s == sex),
        None,
    )
    if digit is None:
        raise ValueError("an IIN encodes birth years 1800-2099 only")
    prefix = f"{birth_date:%y%m%d}{digit}"
    for step in range(10000):
        first11 = f"{prefix}{(serial + step) % 10000:04d}"
        check = check_digit(first11)
        if check is not None:
            return f"{first11}{check}"
    raise ValueError("no valid serial for this prefix")  # pragma: no cover - never happens with 10000 serials


def hash_iin(iin: str) -> str:
    """The keyed hash (HMAC-SHA256 with IIN_HASH_KEY, hex) that matches an IIN exactly."""
    key = settings.IIN_HASH_KEY.encode()
    return hmac.new(key, normalize_iin(iin).encode(), hashlib.sha256).hexdigest()


def _fernet() -> Fernet:
    return Fernet(settings.IIN_ENCRYPTION_KEY.encode())


def encrypt_iin(iin: str) -> str:
    return _fernet().encrypt(normalize_iin(iin).encode()).decode()


def decrypt_iin(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def mask_iin(iin: str) -> str:
    """The form lists and most pages show: only the last four digits."""
    iin = normalize_iin(iin)
    return f"••••••••{iin[-4:]}" if iin else ""
