"""The scope of every cases model: the owner's region and agency, the assigned worker, nobody else.

There are no pages or API yet: the scope matrix (core.testing.ScopeMatrix) joins when they exist. Until
then this checks `visible_to` directly for every model, and that writes out of scope are refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from qorgau.core.models import Role
from qorgau.core.permissions import Scope
from qorgau.core.roles import default_roles
from qorgau.core.testing import role

from ..models import (
    Case,
    CaseChild,
    CaseClosure,
    CaseGoal,
    CaseService,
    CaseTransfer,
    Qualification,
    Referral,
    SafetyPlan,
    ServiceSession,
    Specialist,
)
from ..services import (
    do_add_child,
    do_add_goal,
    do_assign_service,
    do_close_case,
    do_record_safety_plan,
    do_record_session,
    do_refer_case,
    do_reopen_case,
    do_request_transfer,
)
from .factories import CaseWorld, new_user

MODELS: list[type[Any]] = [
    Case,
    CaseChild,
    CaseClosure,
    CaseGoal,
    CaseService,
    CaseTransfer,
    Qualification,
    Referral,
    SafetyPlan,
    ServiceSession,
    Specialist,
]


def populate(world: CaseWorld) -> Case:
    """One row of every model, all belonging to the Astana crisis centre."""
    case = world.open()
    day = timezone.localdate()
    do_record_safety_plan(
        actor=world.worker, case=case, review_due=day + dt.timedelta(days=7), safe_place="x"
    )
    do_add_child(actor=world.worker, case=case, person=world.person("Seitkali", "Arman"))
    goal = do_add_goal(actor=world.worker, case=case, description="Safe housing")
    specialist = world.specialist(valid_until=day + dt.timedelta(days=7))
    service = do_assign_service(actor=world.worker, case=case, type="legal", specialist=specialist, goal=goal)
    do_record_session(actor=world.worker, service=service, held_on=day, duration_minutes=30, outcome="ok")
    do_refer_case(actor=world.worker, case=case, to_agency=world.third, purpose="consultation")
    do_request_transfer(actor=world.worker, case=case, to_agency=world.third, reason="Moved")
    do_close_case(actor=world.worker, case=case, outcome="safe", reason="Safe")
    return do_reopen_case(actor=world.worker, case=case, reason="New incident")


def test_the_owner_sees_every_row_another_region_and_a_stranger_none(world: CaseWorld) -> None:
    populate(world)
    regional = new_user(
        username="ruslan",
        agency=world.p.shymkent_crisis,
        role=role("case_worker"),
        scope=Scope.REGIONS,
        regions=[world.p.shymkent],
    )
    for model in MODELS:
        assert model.objects.visible_to(world.worker).exists(), model.__name__
        assert model.objects.visible_to(world.colleague).exists(), model.__name__
        for outsider in (world.shymkent_worker, regional, world.p.outsider, world.p.astana_officer):
            assert not model.objects.visible_to(outsider).exists(), (model.__name__, outsider.username)


def test_an_astana_regional_user_sees_the_cases_of_the_region(world: CaseWorld) -> None:
    case = populate(world)
    regional = new_user(
        username="gaukhar",
        agency=world.centre,
        role=role("case_worker"),
        scope=Scope.REGIONS,
        regions=[world.p.astana],
    )
    assert Case.objects.visible_to(regional).get() == case


def test_own_scope_sees_only_what_is_assigned(world: CaseWorld) -> None:
    case = populate(world)
    assert not Case.objects.visible_to(world.lawyer).exists()
    mine = new_user(username="erlan", agency=world.centre, role=role("case_worker"), scope=Scope.OWN)
    assert not Case.objects.visible_to(mine).exists()
    Case.objects.filter(pk=case.pk).update(assigned_to=mine)
    assert Case.objects.visible_to(mine).get() == case


def test_another_region_cannot_act_on_the_case(world: CaseWorld) -> None:
    case = populate(world)
    day = timezone.localdate()
    other = world.shymkent_worker
    attempts = [
        lambda: do_record_safety_plan(
            actor=other, case=case, review_due=day + dt.timedelta(days=3), safe_place="y"
        ),
        lambda: do_add_goal(actor=other, case=case, description="x"),
        lambda: do_close_case(actor=other, case=case, outcome="safe", reason="x"),
        lambda: do_record_session(
            actor=other, service=CaseService.objects.get(), held_on=day, duration_minutes=10, outcome="x"
        ),
        lambda: do_refer_case(
            actor=other, case=case, to_agency=world.p.shymkent_crisis, purpose="consultation"
        ),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()


def test_the_default_roles_hold_the_cases_actions_in_the_database(db: None) -> None:
    # The frozen grants of migrations/0003_role_grants.py are the declared ones (core test_reference_data
    # checks every role; this names the cases ones).
    for slug, role_spec in default_roles().items():
        cases_actions = {a for a in role_spec.actions if a.startswith("cases.")}
        assert cases_actions <= set(Role.objects.get(slug=slug).actions), slug
    assert "cases.close" in Role.objects.get(slug="case_worker").actions
