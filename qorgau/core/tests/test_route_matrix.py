"""The route matrix: every route and method of the site has a scope case (testing_matrix.py), and each case
passes its four dimensions (anonymous, no role, other region, permitted) with the shipped default roles."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.test import override_settings

from qorgau.core.testing import Personas
from qorgau.core.testing_matrix import (
    Case,
    World,
    declaration_errors,
    enumerate_routes,
    load_registry,
    missing_cases,
    registry_problems,
    run_case,
)

CASES, EXEMPT = load_registry()
ROUTES = enumerate_routes()


def test_every_route_and_method_has_a_case_or_an_exemption_with_a_reason() -> None:
    assert registry_problems() == []


def test_the_enumeration_sees_pages_api_actions_and_their_methods() -> None:
    # The walk finds what the urlconf serves, with the methods each view answers.
    assert ROUTES["family-add-member"].methods == {"POST"} and ROUTES["family-add-member"].api
    assert ROUTES["person-detail"].methods == {"GET", "PATCH"}
    assert ROUTES["intake:reconciliation_request"].methods == {"GET", "POST"}
    assert ROUTES["people:family_member_remove"].methods == {"POST"}  # require_POST
    assert ROUTES["intake:signal_list"].lists and ROUTES["signal-list"].lists
    assert ROUTES["intake:signal_detail"].has_kwargs and not ROUTES["intake:signal_list"].has_kwargs


def test_a_new_route_without_a_case_fails_the_enumeration() -> None:
    problems = registry_problems("qorgau.core.tests.urls_with_extra_route")
    assert [p for p in problems if "archive_signal" in p] == [
        "no case: archive_signal GET (signals/<int:pk>/archive/)",
        "no case: archive_signal POST (signals/<int:pk>/archive/)",
    ]
    with (
        override_settings(ROOT_URLCONF="qorgau.core.tests.urls_with_extra_route"),
        pytest.raises(AssertionError),
    ):
        test_every_route_and_method_has_a_case_or_an_exemption_with_a_reason()


def test_an_empty_or_partial_declaration_fails() -> None:
    without_post = [c for c in CASES if c.id != "intake:first_contact POST"]
    assert missing_cases(ROUTES, without_post, EXEMPT) == [
        "intake:first_contact POST (signals/<int:pk>/first-contact/)"
    ]
    assert "no case: intake:signal_detail GET (signals/<int:pk>/)" in [
        f"no case: {m}" for m in missing_cases(ROUTES, [], EXEMPT)
    ]
    bare = Case("intake:first_contact", "GET", "astana_officer", 200)
    errors = declaration_errors(ROUTES, [bare], {})
    assert "intake:first_contact GET: the route takes arguments but the case builds none (kwargs)" in errors
    unexplained = [
        Case("intake:signal_list", "GET", "astana_officer", 200),  # a list without `shows`
        Case("people:person_create", "GET", "astana_officer", 200, other_region=None),
        Case("core:home", "GET", "astana_officer", 200, no_role=200, other_region=None, why="x"),
        Case("intake:signal_list", "DELETE", "astana_officer", 200, shows=str),
        Case("intake:no_such_page", "GET", "astana_officer", 200),
    ]
    assert declaration_errors(ROUTES, unexplained, {"core:login": " "}) == [
        "exemption of core:login without a reason",
        "intake:signal_list GET: a list: declare `shows` (a row of Astana the twin must not see)",
        "people:person_create GET: no other-region dimension: say why",
        "intake:signal_list DELETE: the view does not answer DELETE (['GET'])",
        "intake:no_such_page GET: no such route",
    ]


@pytest.mark.django_db
def test_a_wrong_case_fails_when_it_runs(personas: Personas) -> None:
    # The runner checks what the case claims: a twin that would see the Astana signal, an outsider let in.
    case = next(c for c in CASES if c.id == "intake:signal_detail GET")
    with pytest.raises(AssertionError, match="other region: 404, expected 200"):
        run_case(
            replace(case, other_region=200, shows=lambda w: "x", why="wrong"),
            ROUTES[case.route],
            World(personas),
        )
    case = next(c for c in CASES if c.id == "intake:signal_list GET")
    with pytest.raises(AssertionError, match="no role: 403, expected 200"):
        run_case(replace(case, no_role=200, why="wrong"), ROUTES[case.route], World(personas))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case, personas: Personas) -> None:
    run_case(case, ROUTES[case.route], World(personas))


def test_a_scope_matrix_that_declares_nothing_fails() -> None:
    from qorgau.core.testing import ScopeMatrix

    with pytest.raises(TypeError, match="declares no URL"):
        type("TestNothing", (ScopeMatrix,), {})
