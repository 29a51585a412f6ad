"""Helpers of the portal's tests: a signed form moment in the past, the centres of a region, activities."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import signing
from django.utils import timezone

from qorgau.core.models import AgencyType, User
from qorgau.core.permissions import Scope
from qorgau.core.testing import AgencyFactory, Personas, UserFactory, role
from qorgau.demo.national.portal.content import PAGES
from qorgau.facilities.models import Facility
from qorgau.facilities.services import do_register_facility
from qorgau.facilities.tests.factories import settlement

from ..forms import TOKEN_SALT
from ..models import Activity
from ..services import do_publish_page, do_record_activity

SECRET_ADDRESSES = ("Kenesary street 41, flat 7", "Tauke Khan avenue 12")


def token(seconds_ago: int = 30) -> str:
    return signing.dumps(int(timezone.now().timestamp()) - seconds_ago, salt=TOKEN_SALT)


def load_pages() -> None:
    for page in PAGES:
        do_publish_page(
            actor=None,
            slug=str(page["slug"]),
            titles=page["title"],  # type: ignore[arg-type]
            bodies=page["body"],  # type: ignore[arg-type]
            order=int(page["order"]),  # type: ignore[call-overload]
        )


def centres(p: Personas) -> list[Facility]:
    """An Astana crisis centre and a Shymkent family support centre, each with a secret address."""
    admin = User.objects.get(pk=p.sysadmin.pk)
    astana = settlement(p.astana, "Astana", "51.18011", "71.44598")
    shymkent = settlement(p.shymkent, "Shymkent", "42.31750", "69.59500")
    return [
        do_register_facility(
            actor=admin,
            name="Astana Hope Crisis Centre",
            settlement=astana,
            type="crisis_centre",
            operator="ngo",
            address=SECRET_ADDRESSES[0],
            places={"women": 2},
            public_phone="+7 717 200 11 22",
            opening_mode="24h",
        ),
        do_register_facility(
            actor=admin,
            name="Shymkent Family Support Centre",
            settlement=shymkent,
            type="family_support",
            operator="state",
            address=SECRET_ADDRESSES[1],
            places={"women": 1},
            public_phone="+7 725 300 44 55",
            opening_mode="day",
        ),
    ]


def prevention_worker(p: Personas, username: str = "zhanar", region: Any = None) -> User:
    """A district social worker of an akimat (agency scope), who records activities."""
    akimat = AgencyFactory.create(type=AgencyType.AKIMAT, region=region or p.astana)
    return UserFactory.create(
        username=username, agency=akimat, role=role("district_social_worker"), scope=Scope.AGENCY
    )


def activity_values(p: Personas, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "kind": "school_hour",
        "title": "Respect in the family",
        "region": p.astana,
        "district": None,
        "starts_on": dt.date(2026, 3, 2),
        "ends_on": dt.date(2026, 3, 2),
        "organiser": "School 12",
        "audience": "pupils",
        "reach": 240,
        "reach_unit": "pupils",
        "materials": "Lesson plan",
    }
    return values | overrides


def activity(actor: User, p: Personas, **overrides: Any) -> Activity:
    return do_record_activity(actor=actor, **activity_values(p, **overrides))
