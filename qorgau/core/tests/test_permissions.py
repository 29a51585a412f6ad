"""The permission engine's five scopes (none, own, agency, regions, national) on real rows.

Persons (`people.Person`: a region, an agency and an own path, `created_by`) for `visible_to`; users,
agencies and regions for `in_scope`, the matching that the administration, the home page and the list
filters use. Grants, the sixth path, are tested on signals (intake/tests/test_grants.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import pytest
from django.contrib.auth.models import AnonymousUser

from qorgau.core.models import Agency, AgencyType, Region, User
from qorgau.core.permissions import Scope, in_scope
from qorgau.core.testing import AgencyFactory, Personas, UserFactory, role
from qorgau.people.models import Person
from qorgau.people.tests.factories import PersonFactory


@dataclass
class Rows:
    """Persons in four places, and the Astana officer whose scope the tests vary."""

    officer: User
    own_agency: Person  # registered by the officer's agency (Astana police), by a colleague
    same_region: Person  # another Astana agency
    other_region: Person  # the Shymkent crisis centre
    assigned: Person  # a Shymkent record the officer registered: theirs in every scope but none


@pytest.fixture
def rows(personas: Personas) -> Rows:
    astana_health = AgencyFactory.create(name="Astana Clinic", type=AgencyType.HEALTH, region=personas.astana)
    officer = personas.astana_officer
    return Rows(
        officer=officer,
        own_agency=PersonFactory.create(agency=personas.astana_police, created_by=personas.astana_inspector),
        same_region=PersonFactory.create(agency=astana_health),
        other_region=PersonFactory.create(agency=personas.shymkent_crisis),
        assigned=PersonFactory.create(agency=personas.shymkent_crisis, created_by=officer),
    )


def with_scope(user: User, scope: str, regions: list[Region] | None = None) -> User:
    user.scope = scope
    user.save(update_fields=["scope"])
    user.scope_regions.set(regions or [])
    return User.objects.get(pk=user.pk)  # fresh: `actions` and `region_ids` are cached


def seen(rows: Rows, user: Any, action: str = "view") -> set[str]:
    names = {"own_agency", "same_region", "other_region", "assigned"}
    by_pk = {getattr(rows, name).pk: name for name in names}
    return {by_pk[pk] for pk in Person.objects.visible_to(user, action).values_list("pk", flat=True)}


@pytest.mark.parametrize(
    ("scope", "regions", "expected"),
    [
        (Scope.NONE, [], set()),
        (Scope.OWN, [], {"assigned"}),
        (Scope.AGENCY, [], {"own_agency", "assigned"}),
        (Scope.REGIONS, ["KZ-71"], {"own_agency", "same_region", "assigned"}),
        (Scope.REGIONS, ["KZ-79"], {"other_region", "assigned"}),
        (Scope.REGIONS, [], {"assigned"}),  # a regional scope with no region chosen: only what is theirs
        (Scope.NATIONAL, [], {"own_agency", "same_region", "other_region", "assigned"}),
    ],
)
def test_each_scope_sees_its_rows(rows: Rows, scope: str, regions: list[str], expected: set[str]) -> None:
    user = with_scope(rows.officer, scope, [Region.objects.get(code=code) for code in regions])
    assert seen(rows, user) == expected


@pytest.mark.parametrize("scope", [Scope.OWN, Scope.AGENCY, Scope.REGIONS, Scope.NATIONAL])
def test_no_role_action_no_rows_whatever_the_scope(rows: Rows, personas: Personas, scope: str) -> None:
    user = with_scope(rows.officer, scope, [personas.astana])
    assert seen(rows, user, "export") == set()  # the duty officer's role has no people.export
    user.role = role("analyst")  # no people.* action at all
    user.save(update_fields=["role"])
    assert seen(rows, User.objects.get(pk=user.pk)) == set()


def test_inactive_and_anonymous_users_see_nothing(rows: Rows) -> None:
    user = with_scope(rows.officer, Scope.NATIONAL)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert seen(rows, User.objects.get(pk=user.pk)) == set()
    assert seen(rows, AnonymousUser()) == set()


# --- in_scope: users, agencies and regions matched by the same rule -----------------------------------


def names(queryset: Any, field: str = "username") -> set[str]:
    return set(queryset.values_list(field, flat=True))


def test_users_in_scope_follow_their_agency(personas: Personas) -> None:
    officer = personas.astana_officer
    users = User.objects.exclude(username__in=["outsider"])
    astana_users = {"aigerim", "daniyar", "yerlan", "marat"}  # the Astana police's staff
    assert names(in_scope(users, User.scope_paths, with_scope(officer, Scope.NONE))) == set()
    assert names(in_scope(users, User.scope_paths, with_scope(officer, Scope.OWN))) == set()
    assert names(in_scope(users, User.scope_paths, with_scope(officer, Scope.AGENCY))) == astana_users
    regional = with_scope(officer, Scope.REGIONS, [personas.shymkent])
    assert names(in_scope(users, User.scope_paths, regional)) == {"saule"}
    national = with_scope(officer, Scope.NATIONAL)
    assert names(in_scope(users, User.scope_paths, national)) == names(users)
    # A scope given for one check (the administration's reach) replaces the user's own.
    assert names(in_scope(users, User.scope_paths, national, Scope.AGENCY)) == astana_users
    assert names(in_scope(users, User.scope_paths, AnonymousUser())) == set()


def test_agencies_and_regions_in_scope(personas: Personas) -> None:
    officer = personas.astana_officer
    agency = with_scope(officer, Scope.AGENCY)
    assert names(in_scope(Agency.objects.all(), Agency.scope_paths, agency), "name") == {
        "Astana City Police Department"
    }
    assert names(in_scope(Region.objects.all(), Region.scope_paths, agency), "code") == {"KZ-71"}
    regional = with_scope(officer, Scope.REGIONS, [personas.shymkent])
    assert names(in_scope(Agency.objects.all(), Agency.scope_paths, regional), "name") == {
        "Shymkent Crisis Centre"
    }
    assert names(in_scope(Region.objects.all(), Region.scope_paths, regional), "code") == {"KZ-79"}
    national = with_scope(officer, Scope.NATIONAL)
    assert in_scope(Region.objects.all(), Region.scope_paths, national).count() == Region.objects.count()


def test_a_national_body_without_a_region_reaches_no_region_by_its_agency(personas: Personas) -> None:
    ministry_officer = cast(
        User,
        UserFactory(agency=personas.national_auditor.agency, role=role("duty_officer"), scope=Scope.AGENCY),
    )
    assert not in_scope(Region.objects.all(), Region.scope_paths, ministry_officer).exists()
