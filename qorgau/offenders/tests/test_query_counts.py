"""Query-count baselines of the offenders pages and list APIs (the shape of core/tests/
test_query_counts.py, whose `measure` and `problems` this reuses): each page with N rows of every kind
and again with 2N; it fails when a count exceeds the baseline in query_counts.json here, or grows with
the rows (an N+1).

    UPDATE_QUERY_COUNTS=1 .venv/bin/pytest qorgau/offenders/tests/test_query_counts.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from qorgau.core.testing import Personas
from qorgau.core.tests.test_query_counts import N, measure, problems

from ..services import (
    do_assess,
    do_end_programme,
    do_record_session,
    do_refer_to_programme,
    do_start_treatment_referral,
)
from .factories import OffenderWorld, make_intake_person, make_offender_world

BASELINE = Path(__file__).with_name("query_counts.json")


class Data:
    def __init__(self, p: Personas) -> None:
        self.p = p
        self.ow: OffenderWorld = make_offender_world(p)
        self.inspector, self.narcologist = self.ow.inspector, self.ow.narcologist
        self.provider, self.case_worker, self.analyst = (
            self.ow.provider_user,
            self.ow.case_worker,
            self.ow.analyst,
        )
        self.count = 0

    def add(self, n: int) -> None:
        ow = self.ow
        for _ in range(n):
            self.count += 1
            person = make_intake_person(ow, self.count)
            signal = ow.iw.register(offenders=[person], alcohol_or_drugs=True)
            from qorgau.cases.models import Case

            Case.objects.filter(pk=ow.case.pk).update(signal=signal)
            treatment = do_start_treatment_referral(
                actor=ow.inspector, signal=signal, offender=person, dependence="both", grounds="Grounds."
            )
            treatment = ow.advance_to(treatment, "conclusion" if self.count % 2 else "ended")
            if not self.count % 2:
                self.treatment = treatment  # an ended one: its page also counts re-offending
            referral = do_refer_to_programme(
                actor=ow.inspector, programme=ow.programme, offender=person, basis="police", signal=signal
            )
            do_assess(actor=ow.provider_user, referral=referral, items=["threat_to_harm"], suitable=True)
            do_record_session(
                actor=ow.provider_user, referral=referral, held_on=timezone.localdate(), attendance="attended"
            )
            do_record_session(
                actor=ow.provider_user,
                referral=referral,
                held_on=timezone.localdate(),
                attendance="unacceptable",
            )
            if self.count % 2:
                do_end_programme(
                    actor=ow.provider_user, referral=referral, completed=False, dropout_reason="stopped"
                )
        self.referral = referral


TARGETS: list[Any] = [
    ("treatment list", lambda d: "/offenders/treatment/", ("inspector", "narcologist"), False),
    ("treatment detail", lambda d: f"/offenders/treatment/{d.treatment.pk}/", ("inspector",), False),
    ("programme referral list", lambda d: "/offenders/programmes/", ("inspector", "provider"), False),
    ("programme referral detail", lambda d: f"/offenders/programmes/{d.referral.pk}/", ("provider",), False),
    ("partner contacts", lambda d: "/offenders/partner-contacts/", ("case_worker",), False),
    ("reoffending", lambda d: "/offenders/reoffending/", ("analyst",), False),
    ("home", lambda d: "/", ("inspector", "provider", "case_worker"), False),
    ("API treatment referrals", lambda d: "/api/offenders/treatment-referrals/", ("inspector",), True),
    ("API programme referrals", lambda d: "/api/offenders/programme-referrals/", ("provider",), True),
    ("API requirements", lambda d: "/api/offenders/requirements/", ("inspector",), True),
    ("API partner contacts", lambda d: "/api/offenders/partner-contacts/", ("case_worker",), True),
]


@pytest.mark.django_db
def test_offender_pages_stay_within_the_baseline_and_do_not_grow_with_rows(personas: Personas) -> None:
    data = Data(personas)
    data.add(N)
    small = measure(data, TARGETS)  # type: ignore[arg-type]  # this module's Data
    data.add(N)
    large = measure(data, TARGETS)  # type: ignore[arg-type]
    if os.environ.get("UPDATE_QUERY_COUNTS"):
        BASELINE.write_text(json.dumps(dict(sorted(large.items())), indent=2, ensure_ascii=False) + "\n")
    assert problems(small, large, json.loads(BASELINE.read_text())) == []
