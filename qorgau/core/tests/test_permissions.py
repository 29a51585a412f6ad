from qorgau.core.permissions import Scope, ScopePaths, scope_q
from qorgau.core.testing import Personas, UserFactory


def test_user_without_scope_is_denied_everything(personas: Personas) -> None:
    paths = ScopePaths(domain="people", region="region", agency="agency")
    assert scope_q(paths, personas.outsider) is None


def test_own_assignments_are_visible_in_every_scope(personas: Personas) -> None:
    paths = ScopePaths(domain="people", region="region", agency="agency", own=("created_by",))
    q = scope_q(paths, personas.astana_officer)
    assert q is not None
    assert ("created_by", personas.astana_officer.pk) in q.children


def test_region_scope_without_regions_sees_only_own(personas: Personas) -> None:
    user = UserFactory.create(scope=Scope.REGIONS, agency=personas.astana_police)
    paths = ScopePaths(domain="people", region="region", agency="agency")
    assert scope_q(paths, user) is None
