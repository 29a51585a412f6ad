"""The signal list's region choices come from the permission engine (`in_scope`, `Region.scope_paths`)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from qorgau.core.permissions import Scope

from ..filters import regions_for
from .factories import World, new_user


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (Scope.AGENCY, {"KZ-79"}),
        (Scope.OWN, {"KZ-79"}),  # their own assignments are in their agency's region
        (Scope.REGIONS, {"KZ-71"}),
        (Scope.NONE, set()),
    ],
)
def test_the_region_choices_of_the_signal_list_follow_the_scope(
    world: World, scope: str, expected: set
) -> None:
    user = new_user(agency=world.p.shymkent_crisis, role=world.shymkent_worker.role, scope=scope)
    user.scope_regions.set([world.p.astana])
    request = RequestFactory().get("/signals/")
    request.user = user
    assert set(regions_for(request).values_list("code", flat=True)) == expected
