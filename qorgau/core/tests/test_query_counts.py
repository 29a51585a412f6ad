"""Query-count baselines (NetBox's query_counts.json): list, detail and home pages and list APIs per role.

Each target is rendered with N rows of every kind and again with 2N; it fails when its count exceeds the
baseline in query_counts.json, or when it grows with the rows (an N+1). A target or role missing from the
baseline fails too. After a deliberate change, update the baseline and commit the diff with the reason:

    UPDATE_QUERY_COUNTS=1 .venv/bin/pytest qorgau/core/tests/test_query_counts.py

Counts are of a second, warm request (the first fills per-process caches: content types, the role).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qorgau.cases.services import (
    do_accept_referral,
    do_add_goal,
    do_add_qualification,
    do_add_specialist,
    do_assign_service,
    do_open_case,
    do_refer_case,
    do_request_transfer,
)
from qorgau.cases.tests import query_data as cases_data
from qorgau.core.models import AgencyType, User
from qorgau.core.permissions import Scope
from qorgau.core.testing import (
    AgencyFactory,
    DistrictFactory,
    Personas,
    UserFactory,
    api_client,
    otp_login,
    role,
)
from qorgau.intake.models import Signal
from qorgau.intake.services import do_assign_signal, do_issue_protective_order, do_register_signal
from qorgau.people.iin import make_iin
from qorgau.people.models import ConsentPurpose, Family, Person
from qorgau.people.services import do_create_family, do_create_person, do_record_consent

BASELINE = Path(__file__).with_name("query_counts.json")
N = 3
OFFICER, INSPECTOR, CHAIR, AUDITOR = "astana_officer", "astana_inspector", "astana_chair", "astana_auditor"
ADMIN = "agency_admin"


class Data:
    """N (then 2N) rows of each kind in Astana; the shared victim and offender are in every signal, so
    the detail pages' histories grow with N as the lists do."""

    signal: Signal  # the newest, set by add()
    family: Family
    case: Any  # the case whose page grows with the rows (cases/tests/query_data.py)

    def __init__(self, p: Personas) -> None:
        self.p = p
        self.officer = User.objects.get(pk=p.astana_officer.pk)
        self.inspector = User.objects.get(pk=p.astana_inspector.pk)
        self.district = DistrictFactory.create(region=p.astana, code="KZ71-QC", name_en="Yesil")
        self.victim = self.person("Seitkali", "Aigerim", "F", 1)
        self.offender = self.person("Seitkali", "Bolat", "M", 2)
        self.count = 0
        self.agency_admin = UserFactory.create(
            username="asel_admin", agency=p.astana_police, role=role("agency_admin"), scope=Scope.AGENCY
        )
        # cases: an Astana crisis centre's case worker, and the NGO and family centre cases go to
        self.case_worker, self.support_worker, self.third_worker = (
            UserFactory.create(
                username=name,
                agency=AgencyFactory.create(name=name, type=kind, region=p.astana),
                role=role("case_worker"),
                scope=Scope.AGENCY,
            )
            for name, kind in (
                ("qc_centre", AgencyType.CRISIS_CENTRE),
                ("qc_ngo", AgencyType.NGO),
                ("qc_family", AgencyType.FAMILY_SUPPORT),
            )
        )
        cases_data.setup(self)

    def person(self, surname: str, given: str, sex: str, serial: int) -> Person:
        iin = make_iin(dt.date(1980, 1, 1) + dt.timedelta(days=serial), sex, serial=serial)
        person, _ = do_create_person(
            actor=self.officer, surname=surname, given_name=given, sex=sex, iin=iin, region=self.p.astana
        )
        return person

    def add(self, n: int) -> None:
        for _ in range(n):
            self.count += 1
            i = self.count
            witness = self.person("Omarova", f"Zhanar{i}", "F", 100 + i)
            signal = do_register_signal(
                actor=self.officer,
                channel="call_102",
                received_at=timezone.now() - dt.timedelta(hours=200 - i),
                region=self.p.astana,
                district=self.district,
                victims=[self.victim],
                offenders=[self.offender],
                witnesses=[witness],
                relationship="spouse",
                forms=["psychological"],
            )
            do_assign_signal(actor=self.officer, signal=signal, assignee=self.inspector)
            if i % 2:
                do_issue_protective_order(
                    actor=self.inspector,
                    signal=signal,
                    offender=self.offender,
                    served_at=timezone.now() - dt.timedelta(hours=100 - i),
                )
            self.family = do_create_family(
                actor=self.officer,
                region=self.p.astana,
                address=f"Abay {i}",
                members=[(witness, "head"), (self.victim, "sibling")],
            )
            do_record_consent(
                actor=self.officer,
                person=self.victim,
                purpose=ConsentPurpose.REFERRAL,
                receiving_agency=self.p.shymkent_crisis,
                granted_at=timezone.now() - dt.timedelta(days=1),
                expires_at=timezone.now() + dt.timedelta(days=30 + i),
            )
            UserFactory.create(agency=self.p.astana_police, role=role("duty_officer"), scope=Scope.AGENCY)
            self.signal = signal
            self.add_case(i)
            cases_data.add(self, i)
            self.risk(signal, i)

    def risk(self, signal: Signal, i: int) -> None:
        """An assessment of the signal's victim (high, so referred), a conference of the district every
        third signal (its agenda lists every waiting referral, some keep waiting) and overdue actions."""
        from qorgau.risk.services import (
            do_add_action,
            do_build_agenda,
            do_save_assessment,
            do_schedule_conference,
            do_start_assessment,
        )
        from qorgau.risk.tests.factories import answers

        draft = do_start_assessment(actor=self.inspector, victim=self.victim, signal=signal)
        self.assessment = do_save_assessment(
            actor=self.inspector, assessment=draft, answers=answers(draft.version, 20), complete=True
        )
        if i % 3 == 1:
            chair = User.objects.get(pk=self.p.astana_chair.pk)
            day = timezone.localdate() - dt.timedelta(days=i)
            self.conference = do_schedule_conference(
                actor=chair, district=self.district, date=day, legal_mandate="Law No. 214-IV"
            )
            for referral in do_build_agenda(actor=chair, conference=self.conference):
                do_add_action(
                    actor=chair,
                    conference=self.conference,
                    referral=referral,
                    agency=self.p.astana_police,
                    owner=self.inspector,
                    description="Visit the family.",
                    due_date=day,  # overdue from the next day
                )

    def add_case(self, i: int) -> None:
        """A case with a plan and a service, referred (accepted) and offered for transfer; a specialist."""
        worker = self.case_worker
        victim, _ = do_create_person(actor=worker, surname="Bekova", given_name=f"Aru{i}")
        case = do_open_case(actor=worker, victim=victim)
        specialist = do_add_specialist(actor=worker, full_name=f"Specialist {i}")
        do_add_qualification(
            actor=worker,
            specialist=specialist,
            kind="legal",
            document_number=f"L-{i}",
            issuer="Ministry of Justice",
            valid_until=timezone.localdate() + dt.timedelta(days=30),
        )
        do_add_goal(actor=worker, case=case, description="Housing")
        do_assign_service(actor=worker, case=case, type="legal", specialist=specialist)
        referral = do_refer_case(
            actor=worker, case=case, to_agency=self.support_worker.agency, purpose="consultation"
        )
        do_accept_referral(actor=self.support_worker, referral=referral)
        do_request_transfer(actor=worker, case=case, to_agency=self.third_worker.agency, reason="Moved")


Target = tuple[str, Callable[[Data], str], tuple[str, ...], bool]  # name, url, roles, api

TARGETS: list[Target] = [
    ("home", lambda d: "/", (OFFICER, INSPECTOR, CHAIR, AUDITOR, "case_worker"), False),
    ("signal list", lambda d: "/signals/", (OFFICER, INSPECTOR, CHAIR), False),
    ("signal detail", lambda d: f"/signals/{d.signal.pk}/", (OFFICER, INSPECTOR, CHAIR), False),
    ("inspector queue", lambda d: "/signals/queue/", (INSPECTOR,), False),
    ("order list", lambda d: "/signals/orders/", (OFFICER, INSPECTOR, CHAIR), False),
    ("person list", lambda d: "/people/", (OFFICER, INSPECTOR, CHAIR), False),
    ("person detail", lambda d: f"/people/{d.victim.pk}/", (OFFICER, INSPECTOR, CHAIR), False),
    ("family list", lambda d: "/people/families/", (OFFICER, CHAIR), False),
    ("family detail", lambda d: f"/people/families/{d.family.pk}/", (OFFICER, CHAIR), False),
    ("consent list", lambda d: f"/people/{d.victim.pk}/consents/", (OFFICER,), False),
    ("audit log", lambda d: "/audit/", (AUDITOR,), False),
    ("agency users", lambda d: "/agency/users/", (ADMIN,), False),
    ("risk assessment list", lambda d: "/risk/", (INSPECTOR, CHAIR), False),
    ("risk assessment detail", lambda d: f"/risk/assessments/{d.assessment.pk}/", (INSPECTOR, CHAIR), False),
    ("risk referral list", lambda d: "/risk/referrals/", (CHAIR,), False),
    ("risk conference list", lambda d: "/risk/conferences/", (CHAIR,), False),
    ("risk conference detail", lambda d: f"/risk/conferences/{d.conference.pk}/", (CHAIR,), False),
    ("risk action list", lambda d: "/risk/actions/", (INSPECTOR, CHAIR), False),
    ("API signals", lambda d: "/api/intake/signals/", (OFFICER, INSPECTOR, CHAIR), True),
    ("API risk assessments", lambda d: "/api/risk/assessments/", (INSPECTOR, CHAIR), True),
    ("API risk conferences", lambda d: "/api/risk/conferences/", (CHAIR,), True),
    ("API risk actions", lambda d: "/api/risk/actions/", (INSPECTOR,), True),
    ("API orders", lambda d: "/api/intake/protective-orders/", (OFFICER, INSPECTOR), True),
    ("API persons", lambda d: "/api/people/persons/", (OFFICER, CHAIR), True),
    ("API families", lambda d: "/api/people/families/", (OFFICER,), True),
    ("API consents", lambda d: "/api/people/consents/", (OFFICER,), True),
    ("case list", lambda d: "/cases/", ("case_worker", "support_worker"), False),
    ("case detail", lambda d: f"/cases/{d.case.pk}/", ("case_worker",), False),
    ("referral list", lambda d: "/cases/referrals/", ("case_worker", "support_worker"), False),
    ("specialist list", lambda d: "/cases/specialists/", ("case_worker",), False),
    ("API cases", lambda d: "/api/cases/cases/", ("case_worker", "support_worker"), True),
    ("API referrals", lambda d: "/api/cases/referrals/", ("case_worker", "support_worker"), True),
    ("API case transfers", lambda d: "/api/cases/transfers/", ("case_worker", "third_worker"), True),
    ("API specialists", lambda d: "/api/cases/specialists/", ("case_worker",), True),
]


def measure(data: Data, targets: list[Target] = TARGETS) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name, url_of, roles, api in targets:
        url = url_of(data)
        for persona in roles:
            user = User.objects.get(pk=(getattr(data.p, persona, None) or getattr(data, persona)).pk)
            client: Any = api_client(user) if api else otp_login(Client(), user)
            assert client.get(url).status_code == 200, (name, persona)  # warm
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, (name, persona)
            counts[f"{name} / {persona}"] = len(queries)
    return counts


def problems(small: dict[str, int], large: dict[str, int], baseline: dict[str, int]) -> list[str]:
    """What fails: a count that grows from N to 2N rows, one over its baseline, a target without one."""
    found = [
        f"{k}: {small[k]} -> {large[k]} queries with {N} -> {2 * N} rows"
        for k in large
        if large[k] > small[k]
    ]
    found += [
        f"{k}: {large[k]} queries, baseline {baseline.get(k)}"
        for k in large
        if large[k] > baseline.get(k, -1)
    ]
    found += [f"{k}: in the baseline but not measured" for k in sorted(set(baseline) - set(large))]
    return found


def measure_both(
    personas: Personas, targets: list[Target] = TARGETS
) -> tuple[dict[str, int], dict[str, int]]:
    data = Data(personas)
    data.add(N)
    small = measure(data, targets)
    data.add(N)
    return small, measure(data, targets)


@pytest.mark.django_db
def test_query_counts_stay_within_the_baseline_and_do_not_grow_with_rows(personas: Personas) -> None:
    small, large = measure_both(personas)
    if os.environ.get("UPDATE_QUERY_COUNTS"):
        BASELINE.write_text(json.dumps(dict(sorted(large.items())), indent=2, ensure_ascii=False) + "\n")
    assert problems(small, large, json.loads(BASELINE.read_text())) == []


@pytest.mark.django_db
def test_a_page_that_grows_with_its_rows_fails(personas: Personas, monkeypatch: pytest.MonkeyPatch) -> None:
    # The signal list without its select_related: every row then fetches its region and district.
    from qorgau.intake.views import signals

    monkeypatch.setattr(signals, "signal_list", lambda user: Signal.objects.visible_to(user).order_by("-id"))
    small, large = measure_both(personas, [t for t in TARGETS if t[0] == "signal list"])
    found = problems(small, large, json.loads(BASELINE.read_text()))
    assert f"signal list / {OFFICER}: {small['signal list / ' + OFFICER]} -> " in "\n".join(found)
    assert any("baseline 13" in line for line in found)
