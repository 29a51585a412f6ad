"""Scope cases of every people route, pages and API (see qorgau/core/testing_matrix.py).

Objects live in Astana, registered by the Astana duty officer (shipped default roles); the Shymkent twin
of the permitted user holds the same role in Shymkent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from qorgau.core.testing_matrix import Case, World, builds
from qorgau.people.iin import make_iin
from qorgau.people.models import Consent, ConsentPurpose, Family, FamilyMember, Person
from qorgau.people.services import do_create_family, do_create_person, do_record_consent

VICTIM_IIN = make_iin(dt.date(1990, 3, 1), "F", serial=101)
OFFENDER_IIN = make_iin(dt.date(1987, 7, 9), "M", serial=202)


@builds("person")
def _person(w: World) -> Person:
    person, _ = do_create_person(
        actor=w.user("astana_officer"),
        surname="Seitkali",
        given_name="Aigerim",
        iin=VICTIM_IIN,
        sex="F",
        region=w.p.astana,
    )
    return person


@builds("offender")
def _offender(w: World) -> Person:
    person, _ = do_create_person(
        actor=w.user("astana_officer"),
        surname="Seitkali",
        given_name="Bolat",
        iin=OFFENDER_IIN,
        sex="M",
        region=w.p.astana,
    )
    return person


@builds("family")
def _family(w: World) -> Family:
    return do_create_family(
        actor=w.user("astana_officer"), region=w.p.astana, address="Abay 10", members=[(w["person"], "head")]
    )


@builds("consent")
def _consent(w: World) -> Consent:
    now = timezone.now()
    return do_record_consent(
        actor=w.user("astana_officer"),
        person=w["person"],
        purpose=ConsentPurpose.REFERRAL,
        receiving_agency=w.p.shymkent_crisis,
        granted_at=now - dt.timedelta(days=1),
        expires_at=now + dt.timedelta(days=90),
    )


def pk(name: str) -> Any:
    return lambda w: {"pk": w[name].pk}


def row(name: str) -> Any:
    """A person or family row as the list pages mark it."""
    return lambda w: f"/people/{'families/' if name == 'family' else ''}{w[name].pk}/"


def api_row(name: str) -> Any:
    return lambda w: f'"id":{w[name].pk},'


def member_added(w: World, response: Any) -> None:
    assert FamilyMember.objects.filter(family=w["family"], person=w["offender"]).exists()


def member_removed(w: World, response: Any) -> None:
    assert not FamilyMember.objects.filter(family=w["family"], person=w["person"]).exists()


OFFICER = "astana_officer"
NEW_FORM = "a blank form of a new record: no object of Astana to hide"
CREATE = "a new record goes in the actor's own regions: Astana is refused with a form error, nothing written"
# ProcessFormView answers PUT as POST, but Django parses no PUT body: the form comes back with its errors.
PUT = "a FormView answers PUT as a POST without a body: the form with its errors, nothing written"

PERSON_FORM = {"surname": "Kim", "given_name": "Yelena", "sex": "F", "iin": ""}

CASES = [
    # --- pages ---
    Case("people:person_list", "GET", OFFICER, 200, shows=row("person")),
    Case(
        "people:person_list", "POST", OFFICER, 200, data=lambda w: {"name": "Seitkali"}, shows=row("person")
    ),
    Case("people:person_create", "GET", OFFICER, 200, other_region=None, why=NEW_FORM),
    Case(
        "people:person_create",
        "POST",
        OFFICER,
        302,
        data=lambda w: {**PERSON_FORM, "region": w.p.astana.pk},
        other_region=200,
        why=CREATE,
    ),
    Case("people:person_create", "PUT", OFFICER, 200, other_region=None, why=PUT),
    Case("people:person_detail", "GET", OFFICER, 200, kwargs=pk("person")),
    Case("people:person_update", "GET", OFFICER, 200, kwargs=pk("person")),
    Case(
        "people:person_update",
        "POST",
        OFFICER,
        302,
        kwargs=pk("person"),
        data=lambda w: {
            **PERSON_FORM,
            "surname": "Seitkali",
            "given_name": "Aigerim",
            "phone": "+77010000000",
        },
    ),
    Case("people:person_update", "PUT", OFFICER, 200, kwargs=pk("person"), why=PUT),
    Case("people:family_list", "GET", OFFICER, 200, shows=row("family")),
    Case("people:family_create", "GET", OFFICER, 200, other_region=None, why=NEW_FORM),
    Case(
        "people:family_create",
        "POST",
        OFFICER,
        302,
        data=lambda w: {"region": w.p.astana.pk, "address": "Abay 1"},
        other_region=200,
        why=CREATE,
    ),
    Case("people:family_create", "PUT", OFFICER, 200, other_region=None, why=PUT),
    Case("people:family_detail", "GET", OFFICER, 200, kwargs=pk("family")),
    Case(
        "people:family_candidates",
        "POST",
        OFFICER,
        200,
        kwargs=pk("family"),
        data=lambda w: {"name": "Seitkali"},
    ),
    Case(
        "people:family_member_add",
        "POST",
        OFFICER,
        302,
        kwargs=pk("family"),
        data=lambda w: {"person": w["offender"].pk, "relationship": "spouse"},
        check=member_added,
    ),
    Case(
        "people:family_member_remove",
        "POST",
        OFFICER,
        302,
        kwargs=lambda w: {"pk": w["family"].pk, "person_pk": w["person"].pk},
        check=member_removed,
    ),
    Case("people:consent_list", "GET", OFFICER, 200, kwargs=lambda w: {"person_pk": w["consent"].person_id}),
    Case("people:consent_create", "GET", OFFICER, 200, kwargs=lambda w: {"person_pk": w["person"].pk}),
    Case(
        "people:consent_create",
        "POST",
        OFFICER,
        302,
        kwargs=lambda w: {"person_pk": w["person"].pk},
        data=lambda w: {
            "purpose": ConsentPurpose.REFERRAL,
            "receiving_agency": w.p.shymkent_crisis.pk,
            "granted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "expires_at": (timezone.localtime() + dt.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
        },
    ),
    Case("people:consent_withdraw", "GET", OFFICER, 200, kwargs=pk("consent")),
    Case(
        "people:consent_withdraw",
        "POST",
        OFFICER,
        302,
        kwargs=pk("consent"),
        data=lambda w: {"reason": "The person withdrew it in writing."},
    ),
    # --- API ---
    Case("person-list", "GET", OFFICER, 200, shows=api_row("person")),
    Case(
        "person-list",
        "POST",
        OFFICER,
        201,
        data=lambda w: {**PERSON_FORM, "region": w.p.astana.pk},
        other_region=400,
        why=CREATE,
    ),
    Case(
        "person-search",
        "POST",
        OFFICER,
        200,
        data=lambda w: {"name": "Seitkali"},
        other_region=200,
        shows=api_row("person"),
        why="a search answers the caller's scope: the twin finds no Astana person",
    ),
    Case("person-detail", "GET", OFFICER, 200, kwargs=pk("person")),
    Case(
        "person-detail", "PATCH", OFFICER, 200, kwargs=pk("person"), data=lambda w: {"phone": "+77010000001"}
    ),
    Case("family-list", "GET", OFFICER, 200, shows=api_row("family")),
    Case(
        "family-list",
        "POST",
        OFFICER,
        201,
        data=lambda w: {"region": w.p.astana.pk, "address": "Abay 2"},
        other_region=400,
        why=CREATE,
    ),
    Case("family-detail", "GET", OFFICER, 200, kwargs=pk("family")),
    Case(
        "family-add-member",
        "POST",
        OFFICER,
        200,
        kwargs=pk("family"),
        data=lambda w: {"person": w["offender"].pk, "relationship": "spouse"},
        check=member_added,
    ),
    Case("consent-list", "GET", OFFICER, 200, shows=api_row("consent")),
    Case(
        "consent-list",
        "POST",
        OFFICER,
        201,
        data=lambda w: {
            "person": w["person"].pk,
            "purpose": ConsentPurpose.REFERRAL,
            "receiving_agency": w.p.shymkent_crisis.pk,
            "granted_at": timezone.now().isoformat(),
            "expires_at": (timezone.now() + dt.timedelta(days=30)).isoformat(),
        },
        other_region=400,
        why="the person is given in the body: out of scope it 'does not exist' (400), as a missing id",
    ),
    Case("consent-detail", "GET", OFFICER, 200, kwargs=pk("consent")),
    Case(
        "consent-withdraw",
        "POST",
        OFFICER,
        200,
        kwargs=pk("consent"),
        data=lambda w: {"reason": "In writing."},
    ),
]

EXEMPT: dict[str, str] = {}
