"""Cases rows for the query-count baselines (core/tests/test_query_counts.py): N (then 2N) cases of an
Astana crisis centre, and one case that gains a goal, a service with a session, a child, a safety-plan
version and a referral per round, so that its page grows with the rows as the lists do."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from qorgau.core.models import User
from qorgau.people.services import do_create_person

from ..services import (
    do_add_child,
    do_add_goal,
    do_add_qualification,
    do_add_specialist,
    do_assign_service,
    do_open_case,
    do_record_safety_plan,
    do_record_session,
    do_refer_case,
)


def setup(data: Any) -> None:
    """A qualified specialist of the measured case worker's centre (`data.case_worker`, made by the
    query-count data with `data.support_worker` at an NGO)."""
    data.case_worker = User.objects.get(pk=data.case_worker.pk)
    data.cases_ngo = data.support_worker.agency
    data.case_specialist = do_add_specialist(actor=data.case_worker, full_name="Aliya Serikova")
    do_add_qualification(
        actor=data.case_worker,
        specialist=data.case_specialist,
        kind="psychological",
        document_number="PSY-1",
        issuer="Ministry of Health",
        valid_until=timezone.localdate() + dt.timedelta(days=365),
    )
    data.case = None


def add(data: Any, i: int) -> None:
    worker = data.case_worker
    victim, _ = do_create_person(actor=worker, surname="Bekova", given_name=f"Saltanat{i}", sex="F")
    case = do_open_case(actor=worker, victim=victim)
    data.case = data.case or case
    main = data.case
    child, _ = do_create_person(actor=worker, surname="Bekov", given_name=f"Ayan{i}", sex="M")
    do_add_child(actor=worker, case=main, person=child, needs=["education"])
    goal = do_add_goal(actor=worker, case=main, description=f"Goal {i}")
    service = do_assign_service(
        actor=worker, case=main, type="psychological", specialist=data.case_specialist, goal=goal
    )
    do_record_session(
        actor=worker, service=service, held_on=timezone.localdate(), duration_minutes=45, outcome="Talked"
    )
    do_record_safety_plan(
        actor=worker, case=main, review_due=timezone.localdate() + dt.timedelta(days=7), safe_place="x"
    )
    do_refer_case(actor=worker, case=case, to_agency=data.cases_ngo, purpose="consultation")
