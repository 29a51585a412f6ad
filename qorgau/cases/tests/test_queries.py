"""The shared reads: lists by scope and grant, queues of the owner's work, sections per user."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ..models import SafetyPlan
from ..queries import (
    case_list,
    case_sections,
    current_safety_plan,
    my_cases,
    referrals_waiting,
    safety_reviews_overdue,
)
from ..services import do_accept_referral, do_close_case, do_record_safety_plan, do_refer_case
from .factories import CaseWorld


def test_lists_and_queues_follow_scope_grants_and_assignment(world: CaseWorld) -> None:
    case = world.open()
    other = world.open(victim=world.person("Ospanova", "Saule"))
    do_close_case(actor=world.worker, case=other, outcome="safe", reason="Safe")
    assert list(my_cases(world.worker)) == [case]
    assert list(my_cases(world.colleague)) == []  # same agency, not assigned
    referral = do_refer_case(actor=world.worker, case=case, to_agency=world.support, purpose="consultation")
    assert list(referrals_waiting(world.support_worker)) == [referral]
    assert list(referrals_waiting(world.worker)) == []
    assert list(case_list(world.support_worker)) == []
    do_accept_referral(actor=world.support_worker, referral=referral)
    assert list(referrals_waiting(world.support_worker)) == []
    assert list(case_list(world.support_worker)) == [case]  # shared: listed
    assert list(my_cases(world.support_worker)) == []  # but not the receiving agency's work
    assert list(case_list(world.shymkent_worker)) == []


def test_sections_are_all_for_the_owner_and_the_purposes_for_the_receiver(world: CaseWorld) -> None:
    case = world.open()
    referral = do_refer_case(actor=world.worker, case=case, to_agency=world.support, purpose="consultation")
    do_accept_referral(actor=world.support_worker, referral=referral)
    assert all(case_sections(world.worker, case).values())
    shown = {code for code, show in case_sections(world.support_worker, case).items() if show}
    assert shown == {"summary", "assessment"}
    assert not any(case_sections(world.third_worker, case).values())


def test_overdue_reviews_take_the_current_plan_of_open_cases_only(world: CaseWorld) -> None:
    case = world.open()
    today = timezone.localdate()
    old = do_record_safety_plan(actor=world.worker, case=case, review_due=today, safe_place="x")
    SafetyPlan.objects.filter(pk=old.pk).update(review_due=today - dt.timedelta(days=3))
    assert list(safety_reviews_overdue(world.worker, today)) == [old]
    assert list(safety_reviews_overdue(world.shymkent_worker, today)) == []
    new = do_record_safety_plan(
        actor=world.worker, case=case, review_due=today + dt.timedelta(days=7), safe_place="y"
    )
    assert current_safety_plan(case) == new
    assert list(safety_reviews_overdue(world.worker, today)) == []  # the new version is not overdue
    SafetyPlan.objects.filter(pk=new.pk).update(review_due=today - dt.timedelta(days=1))
    assert list(safety_reviews_overdue(world.worker, today)) == [new]
    do_close_case(actor=world.worker, case=case, outcome="safe", reason="Safe")
    assert list(safety_reviews_overdue(world.worker, today)) == []
