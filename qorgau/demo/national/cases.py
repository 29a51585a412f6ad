"""The victim cases of a national demo year (issue 9): cases, plans, services, referrals with consent.

`generate_cases` runs after `generate_year` and writes, in bulk like the year itself (preassigned
primary keys, no per-row service calls, one `demo.generate` audit event for the run):

Which signals become cases, and why that share. DOMAIN.md 7 gives the one published figure: 4,386
applicants to crisis centres in 2023 (Astana 510, Almaty 410, Shymkent 358, Kyzylorda region 331). The
demo opens that many crisis-centre cases a year at --scale 1 (the four regions exactly, the rest in
proportion to their signals), and half as many at family support centres (no published figure; an
assumption). 80% (family support: 70%) come from a police signal, which the police shared with the
centre (a grant on the signal, as `do_open_case` needs a signal the worker sees); the rest are
self-referrals of persons police had registered: the centre registers them by IIN and gets records of
its own linked to the identity (`Person.linked_to`, what `do_create_person` does), never a duplicate.
A signal is eligible when it
records physical violence or children present and the victim did not decline; signals that police
referred to that centre (outcome "referred") are taken first. That is about 5% of all signals, or one in
eleven eligible ones: the victims who come to a centre, not every household police attend.

How a case runs (cases_calibration.py): opened hours to days after the signal, assessed (needs are
service types), a safety plan reviewed every two to four weeks, goals, services by specialists of the
owning agency qualified for the type on the day the service starts, sessions, children of the victim's
family with their own needs, referrals for needs the agency does not serve itself (medical to the
hospital, legal to the NGO, shelter from a family support centre to the crisis centre) and closure
after 20-180 days with an outcome and reason. 12% run longer and are still open; their current safety
plan was reviewed recently, and 35% of those reviews are overdue. 2% of closed cases were reopened.
A year in the past therefore has mostly closed cases and a caseload of long-running open ones.

Referrals in every status, with the consent records (`people.Consent`) the services require:
requested (waiting from an hour to three weeks), accepted (with the access grant `do_accept_referral`
writes: same purpose, sections, actions, granted by the referring worker, until the purpose's longest
access or the consent's expiry), declined with a reason, completed and revoked (grant revoked at the
same moment by the worker the services would use), revoked because the consent was withdrawn (what the
sweep `do_end_referrals_without_consent` does), and some under a legal mandate instead of consent;
consultations without identifying data need no consent. A few open cases were transferred to another
region's crisis centre (accepted, declined, waiting).

The demo region (Astana): its crisis centre's first worker is demo.case_worker, who has at least
HOME_OPEN_CASES open cases, some safety-plan reviews overdue, and referrals waiting from the family
support centre at varied times; demo.psychologist (crisis centre) and demo.lawyer (the NGO, which works
HOME_NGO_CASES cases there) deliver services in them; demo.doctor is the hospital's specialist.

Invariants the cases services keep and this bulk path keeps too (qorgau/demo/tests/test_cases_demo.py):
the opener saw the victim and the children when the case opened (shared signal or own records);
`Case.state == compute_state(case)`; one open case per victim's identity per agency; a closed case has
its outcome, reason and a `CaseClosure`; every service's specialist is of the owning agency and qualified
for its type on its start; sessions lie between the service's start and today; safety-plan versions are
1..n and no review date lies before its recording; a referral that discloses identity relies on a consent
of the victim for its purpose and agency in force when requested and when accepted, or a legal mandate
with a reason; grants exist exactly for the referrals that were accepted, active exactly while accepted;
no accepted referral relies on a withdrawn consent; no time lies in the future.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone

from ..foundation import HOME_REGION, Foundation
from .bulk import Ids, Row, factory, insert_rows
from .calibration import STAFF_PREFIX, Progress, apportion
from .cases_build import CaseBuilder, Spec
from .cases_calibration import (
    CASE_DAYS,
    CRISIS_APPLICANTS,
    CRISIS_APPLICANTS_KNOWN,
    FAMILY_SUPPORT_RATIO,
    HOME_NGO_CASES,
    HOME_OPEN_CASES,
    HOME_OVERDUE,
    HOME_WAITING,
    HOME_WORKER_SHARE,
    LONG_RUNNING_SHARE,
    REOPENED_SHARE,
    SELF_REFERRAL_SHARE,
    TRANSFER_DECLINED_SHARE,
    TRANSFER_PENDING_SHARE,
    TRANSFER_SHARE,
)
from .cases_staff import CaseStaff, ensure_case_staff, ensure_specialists

HOME_MIN = {"crisis_centre": 2 * HOME_OPEN_CASES, "family_support": len(HOME_WAITING) + 4}
DEMO_PREFIXES = (STAFF_PREFIX, "demo.")


@dataclass
class CaseStats:
    year: int
    cases: int = 0
    from_signals: int = 0
    self_referrals: int = 0
    open: int = 0
    reopened: int = 0
    safety_plans: int = 0
    overdue_reviews: int = 0
    goals: int = 0
    services: int = 0
    sessions: int = 0
    children: int = 0
    persons: int = 0  # records the centres registered (linked to the identity police registered)
    shared_signals: int = 0  # signals police shared with a centre (grants), whose victims got a case
    consents: int = 0
    referrals: dict[str, int] = field(default_factory=dict)
    grants: int = 0
    transfers: dict[str, int] = field(default_factory=dict)
    specialists: int = 0
    expired_qualifications: int = 0
    skipped: bool = False
    seconds: float = 0.0
    placements: dict[str, Any] = field(default_factory=dict)  # the year's stays (placements.py)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def summary(self) -> str:
        referrals = ", ".join(f"{k} {n}" for k, n in sorted(self.referrals.items()))
        transfers = ", ".join(f"{k} {n}" for k, n in sorted(self.transfers.items()))
        return (
            f"Cases {self.year}: {self.cases} ({self.from_signals} from signals, {self.self_referrals} "
            f"self-referrals; {self.open} open, {self.reopened} reopened) in {self.seconds:.1f} s; "
            f"{self.safety_plans} safety plans ({self.overdue_reviews} open cases' reviews overdue), "
            f"{self.goals} goals, {self.services} services with {self.sessions} sessions, "
            f"{self.children} children, {self.persons} person records of self-referrals, "
            f"{self.shared_signals} signals shared by police; referrals: {referrals} "
            f"({self.consents} consents, "
            f"{self.grants} grants); transfers: {transfers or 'none'}; {self.specialists} specialists "
            f"({self.expired_qualifications} qualifications expired)."
        )


def region_targets(signals: dict[str, int], scale: float) -> dict[tuple[str, str], int]:
    """Cases a year per (region code, agency type): crisis centres from the 2023 applicants, family
    support centres half of that; the demo region at least HOME_MIN (its demo users' day) and
    HOME_NGO_CASES at its NGO (planned separately)."""
    others = [c for c in signals if c not in CRISIS_APPLICANTS_KNOWN]
    rest = CRISIS_APPLICANTS - sum(CRISIS_APPLICANTS_KNOWN.values())
    national = dict(zip(others, apportion(rest, [signals[c] for c in others]), strict=True))
    national |= {c: n for c, n in CRISIS_APPLICANTS_KNOWN.items() if c in signals}
    out: dict[tuple[str, str], int] = {}
    for code in signals:
        crisis = round(national[code] * scale)
        out[(code, "crisis_centre")] = crisis
        out[(code, "family_support")] = round(national[code] * FAMILY_SUPPORT_RATIO * scale)
    for type_, least in HOME_MIN.items():
        if (HOME_REGION, type_) in out:
            out[(HOME_REGION, type_)] = max(out[(HOME_REGION, type_)], least)
    return out


def cases_already_generated(year: int) -> bool:
    from qorgau.cases.models import Case

    return (
        Case.objects.filter(
            signal__registration_number__contains=f"-{year}-", opened_by__username__startswith=STAFF_PREFIX
        ).exists()
        or Case.objects.filter(
            signal__registration_number__contains=f"-{year}-", opened_by__username__startswith="demo."
        ).exists()
    )


class _RegionData:
    """A region's demo signals of the year, their victims (family heads) and the heads' children."""

    def __init__(self, code: str, year: int) -> None:
        from qorgau.intake.models import Signal, SignalParty
        from qorgau.people.models import FamilyMember, Person

        prefix = f"{code}-{year}-"
        demo_rows = Signal.objects.filter(registration_number__startswith=prefix).filter(
            registered_by__username__startswith=STAFF_PREFIX
        ) | Signal.objects.filter(registration_number__startswith=prefix).filter(
            registered_by__username__startswith="demo."
        )
        self.signals = list(
            demo_rows.order_by("registration_number").values_list(
                "id",
                "district_id",
                "received_at",
                "form_physical",
                "children_present",
                "victim_declined",
                "outcome__kind",
                "outcome__referred_agency_id",
                "outcome__decided_at",
                "assigned_to_id",
                "registered_by_id",
            )
        )
        members = list(
            FamilyMember.objects.filter(family__region__code=code).values_list(
                "family_id", "person_id", "relationship"
            )
        )
        self.head_of: dict[int, int] = {}  # family -> head
        family_of: dict[int, int] = {}
        for family, person, relationship in members:
            if relationship == "head":
                self.head_of[family] = person
                family_of[person] = family
        heads = set(self.head_of.values())
        self.children: dict[int, list[int]] = {}
        for family, person, relationship in members:
            if relationship == "child" and family in self.head_of:
                self.children.setdefault(self.head_of[family], []).append(person)
        self.victim: dict[int, int] = {}  # signal -> the head among its victims
        self.signal_children: dict[int, list[int]] = {}  # signal -> its other victims (a child)
        for signal, person in SignalParty.objects.filter(
            signal__registration_number__startswith=prefix, role="victim"
        ).values_list("signal_id", "person_id"):
            if person in heads:
                self.victim[signal] = person
            else:
                self.signal_children.setdefault(signal, []).append(person)
        persons = Person.objects.filter(region__code=code).values_list("id", "birth_date", "district_id")
        self.person = {pk: (birth, district) for pk, birth, district in persons}
        self.first_seen: dict[int, dt.datetime] = {}
        for row in self.signals:
            victim = self.victim.get(row[0])
            if victim is not None and victim not in self.first_seen:
                self.first_seen[victim] = row[2]


class _Planner:
    """Which cases a region opens at its crisis and family support centres, and how each one runs."""

    def __init__(self, gen: _Generation, code: str, data: _RegionData) -> None:
        self.gen, self.code, self.data = gen, code, data
        self.rng = random.Random(f"{gen.seed}:{gen.year}:cases:{code}")

    def plan(self, type_: str, target: int) -> list[Spec]:
        rng, data, now = self.rng, self.data, self.gen.now
        agency = self.gen.staff.agencies[(self.code, type_)]
        workers = self.gen.staff.workers[(self.code, type_)]
        n_self = round(target * SELF_REFERRAL_SHARE[type_])
        eligible = [
            s
            for s in data.signals
            if (s[3] or s[4]) and not s[5] and s[0] in data.victim and s[2] < now - dt.timedelta(hours=3)
        ]
        rng.shuffle(eligible)
        referred = [s for s in eligible if s[6] == "referred" and s[7] == agency.pk]
        rest = [s for s in eligible if not (s[6] == "referred" and s[7] == agency.pk)]
        if type_ == "family_support":
            rest.sort(key=lambda s: not s[4])  # children present first (stable: shuffled within)
        used: set[int] = set()
        specs: list[Spec] = []
        for s in referred + rest:
            if len(specs) >= target - n_self:
                break
            victim = data.victim[s[0]]
            if victim in used:
                continue
            used.add(victim)
            base = s[8] if s[6] == "referred" and s[8] is not None else s[2]
            opened = min(base + dt.timedelta(hours=rng.uniform(3, 120)), now - dt.timedelta(hours=2))
            spec = self.spec(type_, agency, workers, victim, s[0], s[1], opened, bool(s[4]))
            # The police shared the signal with the centre (a grant), which opened the case from it.
            spec.shared_by = s[9] or s[10]
            spec.shared_at = base + (opened - base) * rng.uniform(0.1, 0.8)
            specs.append(spec)
        pool = [p for p in data.first_seen if p not in used]
        rng.shuffle(pool)
        for victim in pool:
            if len(specs) >= target:
                break
            used.add(victim)
            opened = data.first_seen[victim] + dt.timedelta(days=rng.uniform(7, 90), hours=rng.uniform(0, 8))
            opened = min(opened, now - dt.timedelta(hours=2))
            district = data.person[victim][1]
            specs.append(self.spec(type_, agency, workers, victim, None, district, opened, True))
        return specs

    def spec(
        self,
        type_: str,
        agency: Any,
        workers: list[Any],
        victim: int,
        signal: int | None,
        district: int | None,
        opened: dt.datetime,
        with_children: bool,
    ) -> Spec:
        rng, now = self.rng, self.gen.now
        if self.code == HOME_REGION and type_ == "crisis_centre":  # workers[0] is demo.case_worker
            worker = workers[0] if rng.random() < HOME_WORKER_SHARE else rng.choice(workers[1:] or workers)
        else:
            worker = rng.choice(workers)
        close_at: dt.datetime | None = opened + dt.timedelta(days=rng.uniform(*CASE_DAYS))
        long_running = rng.random() < LONG_RUNNING_SHARE
        reopen = rng.random() < REOPENED_SHARE
        reopen_at = now - dt.timedelta(days=rng.uniform(5, 120))
        assert close_at is not None
        if close_at > now - dt.timedelta(hours=1) or long_running:
            close_at = None
        children: list[int] = []
        if with_children:
            birth_cut = (opened - dt.timedelta(days=18 * 365)).date()
            # From a signal: the children who were its victims too (the centre sees them through it);
            # on a self-referral: the family's children, registered by the centre with their mother.
            pool = self.data.signal_children.get(signal, []) if signal else self.data.children.get(victim, [])
            children = [c for c in pool if (self.data.person[c][0] or dt.date.min) > birth_cut]
        spec = Spec(
            type_=type_,
            agency=agency,
            worker=worker,
            victim=victim,
            signal=signal,
            district=district,
            opened_at=opened,
            close_at=close_at,
            children=children,
        )
        if close_at is not None and reopen and reopen_at > close_at + dt.timedelta(days=1):
            spec.reopen_at = reopen_at
        if close_at is None and type_ == "crisis_centre":
            draw = rng.random()
            if draw < TRANSFER_SHARE:
                spec.transfer = "accepted"
            elif draw < TRANSFER_SHARE + TRANSFER_DECLINED_SHARE:
                spec.transfer = "declined"
            elif draw < TRANSFER_SHARE + TRANSFER_DECLINED_SHARE + TRANSFER_PENDING_SHARE:
                spec.transfer = "requested"
        return spec

    def home(self, crisis: list[Spec], family: list[Spec]) -> None:
        """The demo case worker's day: open cases, overdue reviews, referrals waiting at the centre."""
        workers = self.gen.staff.workers[(self.code, "crisis_centre")]
        demo = workers[0]
        latest = sorted(crisis, key=lambda s: s.opened_at, reverse=True)
        mine = [s for s in latest if s.worker is demo]
        open_mine = [s for s in mine if s.is_open]
        for s in latest:
            if len(open_mine) >= HOME_OPEN_CASES:
                break
            if s in open_mine:
                continue
            s.worker, s.close_at, s.reopen_at = demo, None, None
            open_mine.append(s)
        for s in open_mine:
            s.transfer = None  # stays the demo worker's
        for s in open_mine[:HOME_OVERDUE]:
            s.force_plan = s.force_overdue = True
        waiting = sorted(family, key=lambda s: s.opened_at, reverse=True)
        for s, hours in zip(waiting, HOME_WAITING, strict=False):
            s.close_at, s.reopen_at, s.force_plan = None, None, True
            s.home_wait = hours


class _Generation:
    """One year's case generation: the shared context (time, staff, ids, purposes) and the rows."""

    def __init__(self, f: Foundation, staff: CaseStaff, *, year: int, seed: int, ids: Ids) -> None:
        from django.contrib.contenttypes.models import ContentType

        from qorgau.cases.models import Case, ReferralPurpose
        from qorgau.intake.models import Signal

        self.f, self.staff, self.year, self.seed, self.ids = f, staff, year, seed, ids
        self.signal_type = ContentType.objects.get_for_model(Signal).pk
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.rows: dict[type, list[Row]] = {}
        self.purposes = {p.code: p for p in ReferralPurpose.objects.filter(is_active=True)}
        self.case_type = ContentType.objects.get_for_model(Case).pk
        self.consents: dict[tuple[int, str, int], list[Row]] = {}
        self.stats = CaseStats(year=year)

    def add(self, label: str, **values: Any) -> Row:
        row = factory(label)(**values)
        row.id = self.ids.next(row.model)
        self.rows.setdefault(row.model, []).append(row)
        return row

    def flush(self) -> None:
        from qorgau.cases.models import (
            Case,
            CaseChild,
            CaseClosure,
            CaseGoal,
            CaseService,
            CaseTransfer,
            Referral,
            SafetyPlan,
            ServiceSession,
        )
        from qorgau.core.models import Grant
        from qorgau.people.models import Consent, Person

        for model in (
            Person,
            Case,
            CaseClosure,
            SafetyPlan,
            CaseChild,
            CaseGoal,
            CaseService,
            ServiceSession,
            Consent,
            Grant,
            Referral,
            CaseTransfer,
        ):
            insert_rows(model, self.rows.pop(model, []))


def generate_cases(
    f: Foundation, *, year: int, scale: float, seed: int, progress: Progress, force: bool = False
) -> CaseStats:
    """The cases of the demo year `year` (after its signals). Skipped when they exist already."""
    stats = CaseStats(year=year)
    if not force and cases_already_generated(year):
        stats.skipped = True
        progress(f"Cases {year}: already present, skipped.")
        return stats
    started = time.perf_counter()
    staff = ensure_case_staff(f, seed=seed, progress=progress)
    if not staff.workers:
        stats.skipped = True
        progress("Cases: no case_worker role (run `manage.py load_reference`), skipped.")
        return stats
    ids = Ids()
    ensure_specialists(f, staff, seed=seed, ids=ids)
    gen = _Generation(f, staff, year=year, seed=seed, ids=ids)
    data = {code: _RegionData(code, year) for code in f.regions}
    targets = region_targets({code: len(d.signals) for code, d in data.items()}, scale)
    builder = CaseBuilder(gen)
    for code in f.regions:
        planner = _Planner(gen, code, data[code])
        crisis = planner.plan("crisis_centre", targets[(code, "crisis_centre")])
        family = planner.plan("family_support", targets[(code, "family_support")])
        ngo: list[Spec] = []
        if code == HOME_REGION:
            planner.home(crisis, family)
            ngo = planner.plan("ngo", HOME_NGO_CASES)
        for spec in crisis + family + ngo:
            builder.build(spec, random.Random(f"{seed}:{year}:case:{code}:{spec.type_}:{spec.victim}"))
    gen.flush()
    _reset_sequences(ids)
    out = gen.stats
    out.specialists = sum(len(s) for s in staff.specialists.values())
    out.expired_qualifications = staff.expired
    out.seconds = time.perf_counter() - started
    progress(
        f"Case staff: {sum(len(w) for w in staff.workers.values())} case workers at crisis and family "
        f"support centres, hospitals and NGOs ({staff.new_users} new); {out.specialists} specialists "
        f"({staff.new_specialists} new)."
    )
    progress(out.summary())
    return out


def _reset_sequences(ids: Ids) -> None:
    """PostgreSQL sequences after inserts with explicit keys (SQLite's AUTOINCREMENT follows itself)."""
    from django.core.management.color import no_style

    sql = connection.ops.sequence_reset_sql(no_style(), list(ids.last))
    if sql:
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)


def json_text(value: Any) -> str:
    """JSONField values for insert_rows (it binds values as they are: SQLite and COPY take text)."""
    return json.dumps(value)


__all__ = ["CaseStats", "generate_cases", "json_text", "region_targets"]
