import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from qorgau.people.iin import (
    check_digit,
    decrypt_iin,
    encrypt_iin,
    hash_iin,
    iin_birth_date,
    iin_sex,
    is_valid_iin,
    make_iin,
    mask_iin,
    validate_iin,
)


@pytest.mark.parametrize("iin", ["900101300017", "061211600012", " 9001 0130 0017 "])
def test_valid_vectors_pass(iin: str) -> None:
    validate_iin(iin)


def test_second_pass_of_the_check_digit_is_used() -> None:
    first = sum(int(d) * w for d, w in zip("06121160001", range(1, 12), strict=True)) % 11
    assert first == 10
    assert check_digit("06121160001") == 2


@pytest.mark.parametrize(
    ("iin", "code"),
    [
        ("900101300018", "iin_check"),
        ("90010130001", "iin_format"),
        ("9001013000171", "iin_format"),
        ("90010130001a", "iin_format"),
        ("900101700017", "iin_century"),
        ("900101000017", "iin_century"),
        ("901301300017", "iin_date"),
        ("900230300017", "iin_date"),
        ("990101600017", "iin_date"),  # 2099: in the future
    ],
)
def test_invalid_iins_say_what_is_wrong(iin: str, code: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_iin(iin)
    assert exc.value.code == code
    assert exc.value.messages[0]


def test_birth_date_and_sex_are_read_from_the_iin() -> None:
    assert iin_birth_date("900101300017") == datetime.date(1990, 1, 1)
    assert iin_sex("900101300017") == "M"
    assert iin_birth_date("061211600012") == datetime.date(2006, 12, 11)
    assert iin_sex("061211600012") == "F"


def test_hash_is_keyed_and_stable(settings) -> None:
    h = hash_iin("900101300017")
    assert h == hash_iin("900101300017") and len(h) == 64 and "900101300017" not in h
    settings.IIN_HASH_KEY = "another key"
    assert hash_iin("900101300017") != h


def test_encryption_round_trips_without_the_iin_in_the_ciphertext() -> None:
    token = encrypt_iin("900101300017")
    assert "900101300017" not in token
    assert decrypt_iin(token) == "900101300017"


def test_mask_shows_only_the_last_four_digits() -> None:
    assert mask_iin("900101300017") == "••••••••0017"
    assert mask_iin("") == ""


@given(
    birth_date=st.dates(min_value=datetime.date(1800, 1, 1), max_value=timezone.localdate()),
    sex=st.sampled_from(["M", "F"]),
    serial=st.integers(min_value=0, max_value=9999),
)
def test_make_iin_always_validates_and_round_trips(birth_date: datetime.date, sex: str, serial: int) -> None:
    iin = make_iin(birth_date, sex, serial)
    assert is_valid_iin(iin)
    assert iin_birth_date(iin) == birth_date
    assert iin_sex(iin) == sex


@given(
    birth_date=st.dates(min_value=datetime.date(1800, 1, 1), max_value=timezone.localdate()),
    sex=st.sampled_from(["M", "F"]),
    serial=st.integers(min_value=0, max_value=9999),
    shift=st.integers(min_value=1, max_value=9),
)
def test_a_changed_check_digit_never_validates(
    birth_date: datetime.date, sex: str, serial: int, shift: int
) -> None:
    # Drawn from valid IINs (random 12-digit strings are valid about once in 500 draws).
    iin = make_iin(birth_date, sex, serial)
    wrong = str((int(iin[-1]) + shift) % 10)
    assert not is_valid_iin(iin[:-1] + wrong)
