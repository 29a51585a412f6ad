"""The data migrations are frozen copies: the database they build must still match the shipped data."""

import pytest

from qorgau.core.models import Region, Role
from qorgau.core.reference import read_regions
from qorgau.core.roles import default_roles


@pytest.mark.django_db
def test_the_migrated_roles_are_the_shipped_default_roles() -> None:
    # The default roles are what the installed apps declare (core/roles.py and each app's registry.py,
    # collected by core.domains). A change to them needs a data migration of its own
    # (docs/adding-a-domain.md, step 2).
    migrated = {role.slug: sorted(role.actions) for role in Role.objects.all()}
    assert migrated == {slug: sorted(role.actions) for slug, role in default_roles().items()}


@pytest.mark.django_db
def test_the_migrated_regions_are_the_shipped_regions() -> None:
    assert sorted(Region.objects.values_list("code", flat=True)) == sorted(r["code"] for r in read_regions())
