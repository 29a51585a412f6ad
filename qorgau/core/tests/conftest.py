"""Fixtures of the core tests."""

from __future__ import annotations

from typing import cast

import pytest

from qorgau.core.models import User
from qorgau.core.permissions import Scope
from qorgau.core.testing import Personas, UserFactory, role


@pytest.fixture
def no_throttle(settings):
    # django-otp slows down retries after a wrong code (1 s, 2 s, ...); the tests type faster than that.
    # Tests that count failures need it: a code typed during the back-off is not checked, so not counted.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def long_throttle(settings):
    # A wrong code makes the device wait 60 s (factor x 2^(failures-1)): long enough that the next request
    # of the test always falls inside it, however slow the machine.
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    settings.OTP_STATIC_THROTTLE_FACTOR = 60


@pytest.fixture
def agency_admin(personas: Personas) -> User:
    return cast(
        User,
        UserFactory(
            username="asel_admin",
            agency=personas.astana_police,
            role=role("agency_admin"),
            scope=Scope.AGENCY,
            is_staff=True,
        ),
    )
