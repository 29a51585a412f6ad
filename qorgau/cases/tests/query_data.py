"""Cases rows for the query-count baselines (core/tests/test_query_counts.py): N (then 2N) cases of an
Astana crisis centre, and one case that gains a goal, a service with a session, a child, a safety-plan
version and a referral per round (accepted by the NGO), an offered transfer to a family centre per new
case, so that its page grows with the rows as the lists do."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from qorgau.core.models import AgencyType, User
from qorgau.core.permissions import Scope
from qorgau.core.testing import AgencyFactory, UserFactory, role
from qorgau.people.services import do_create_person

from ..services import (
    do_accept_referral,
    do_add_child,
    do_add_goal,
    do_add_qualification,
    do_add_specialist,
    do_assign_service,
    do_open_case,
    do_record_safety_plan,
    do_record_session,
    do_refer_case,
    do_request_transfer,
)


def setup(data: Any) -> None:
    """The centre, its case worker (`data.case_worker`), a qualified specialist, a receiving NGO."""
    p = data.p
    centre = AgencyFactory.create(name="Astana Crisis Centre", type=AgencyType.CRISIS_CENTRE, region=p.astana)
    data.cases_ngo = AgencyFactory.create(name="Astana Legal Aid", type=AgencyType.NGO, region=p.astana)
    family_centre = AgencyFactory.create(
        name="Astana Family Support Centre", type=AgencyType.FAMILY_SUPPORT, region=p.astana
    )
    # the receiving NGO's case worker (referrals accepted) and the family centre's (transfers offered)
    data.support_worker, data.third_worker = (
        User.objects.get(
            pk=UserFactory.create(
                username=name, agency=agency, role=role("case_worker"), scope=Scope.AGENCY
            ).pk
        )
        for name, agency in (("qc_dana", data.cases_ngo), ("qc_marat", family_centre))
    )
    data.family_centre = family_centre
    worker = UserFactory.create(
        username="zhanna", agency=centre, role=role("case_worker"), scope=Scope.AGENCY
    )
    data.case_worker = User.objects.get(pk=worker.pk)
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
    referral = do_refer_case(actor=worker, case=case, to_agency=data.cases_ngo, purpose="consultation")
    do_accept_referral(actor=data.support_worker, referral=referral)
    do_request_transfer(actor=worker, case=case, to_agency=data.family_centre, reason="Moved")
