"""One demo case from its plan (`Spec`): the case row and everything recorded on it, as bulk rows that
keep the invariants of the cases services (see cases.py)."""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from .bulk import Row
from .calibration import weighted
from .cases_calibration import (
    ASSESSED_SHARE,
    ASSESSMENT_NOTES,
    CHILD_NEEDS,
    CHILD_NOTES,
    CHILD_SERVICE_SHARE,
    CHILDREN_PLANS,
    CLOSED_STATUSES,
    CLOSURES,
    CODE_WORDS,
    GOALS,
    GOALS_SHARE,
    HOTLINES,
    NEEDS,
    OPEN_STATUSES,
    OVERDUE_SHARE,
    REOPEN_REASONS,
    REVIEW_DAYS,
    SAFE_CONTACTS,
    SAFE_PLACES,
    SAFETY_PLAN_SHARE,
    SESSION_OUTCOMES,
    SESSIONS,
    SIGNAL_SHARED,
)
from .cases_referrals import CaseReferrals, _local

if TYPE_CHECKING:
    from .cases import _Generation

H = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


@dataclass
class Spec:
    """The plan of one case: whose, where, who works it, when it opened and how it runs."""

    type_: str
    agency: Any
    worker: Any
    victim: int
    signal: int | None
    district: int | None
    opened_at: dt.datetime
    close_at: dt.datetime | None  # None: still open
    children: list[int] = field(default_factory=list)
    reopen_at: dt.datetime | None = None
    transfer: str | None = None  # accepted, declined or requested
    force_plan: bool = False  # assessed and with a safety plan (the demo region's queues)
    force_overdue: bool = False
    home_wait: int | None = None  # hours a referral to the demo region's crisis centre has waited
    shared_by: int | None = None  # the police officer who shared the signal with the centre
    shared_at: dt.datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.close_at is None or self.reopen_at is not None


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone()).astimezone(dt.UTC)


class CaseBuilder(CaseReferrals):
    def __init__(self, gen: _Generation) -> None:
        self.gen = gen
        self.consent_rule_days: dict[dt.date, int] = {}
        self.closures, self.closure_weights = weighted([(o, w) for o, w, _r in CLOSURES])
        self.closure_reason = {o: r for o, _w, r in CLOSURES}
        self.closed_statuses = weighted(CLOSED_STATUSES)
        self.open_statuses = weighted(OPEN_STATUSES)

    # the case

    def build(self, spec: Spec, rng: random.Random) -> None:
        gen, stats = self.gen, self.gen.stats
        now = gen.now
        self.rng, self.spec = rng, spec
        transfer_at = None
        if spec.transfer == "accepted":
            transfer_at = now - DAY * rng.uniform(1, 30)
            if transfer_at < spec.opened_at + 2 * DAY:
                spec.transfer, transfer_at = None, None
        # the first period of the case ends at its (first) closure, its transfer, or now
        end = spec.close_at or transfer_at or now
        if spec.signal is not None:
            self.share_signal()
        else:
            self.register_persons()
        case = gen.add(
            "cases.Case",
            victim_id=spec.victim,
            signal_id=spec.signal,
            opened_via="signal" if spec.signal else "self_referral",
            agency_id=spec.agency.pk,
            region_id=spec.agency.region_id,
            district_id=spec.district,
            assigned_to_id=spec.worker.pk,
            opened_by_id=spec.worker.pk,
            opened_at=spec.opened_at,
            needs=json.dumps([]),
            assessment_notes="",
            assessed_at=None,
            assessed_by_id=None,
            closed_at=None,
            outcome="",
            closure_reason="",
            reopened_at=None,
        )
        self.case = case
        stats.cases += 1
        stats.from_signals += spec.signal is not None
        stats.self_referrals += spec.signal is None
        # what was recorded (times of each kind, for the derived state)
        self.plans: list[tuple[dt.datetime, dt.date]] = []
        self.goal_times: list[dt.datetime] = []
        self.service_times: list[tuple[dt.datetime, str]] = []
        self.case_children: list[tuple[Row, list[str]]] = []
        needs: list[str] = []
        assessed = None
        if spec.force_plan or rng.random() < ASSESSED_SHARE:
            at = spec.opened_at + H * rng.uniform(1, 72)
            if at < end or spec.force_plan:
                assessed = min(at, now - H * 0.5)
                needs = sorted({n for n, share in NEEDS if rng.random() < share} or {"psychological"})
                case.needs = json.dumps(needs)
                case.assessment_notes = rng.choice(ASSESSMENT_NOTES)
                case.assessed_at, case.assessed_by_id = assessed, spec.worker.pk
        if assessed is not None:
            if spec.force_plan or rng.random() < SAFETY_PLAN_SHARE:
                self.safety_plans(assessed, end, current=spec.close_at is None and transfer_at is None)
            self.children(end)
            goals = self.goals(needs, end) if self.plans and rng.random() < GOALS_SHARE else {}
            referred = self.referrals(
                needs, assessed, end, open_period=spec.close_at is None, transfer_at=transfer_at
            )
            if self.plans:
                self.services([n for n in needs if n not in referred], goals, end)
        if spec.close_at is not None:
            self.close(spec.close_at)
        if spec.reopen_at is not None:
            self.reopen(spec.reopen_at)
        if transfer_at is not None or spec.transfer in ("declined", "requested"):
            self.transfer(spec.transfer or "", transfer_at)
        case.state = self.state()
        stats.open += case.closed_at is None
        if case.closed_at is None and self.plans and self.plans[-1][1] < gen.today:
            stats.overdue_reviews += 1

    def share_signal(self) -> None:
        """The police officer's grant that let the centre see the signal and its victims (`do_open_case`
        opens a case only from a signal the worker sees): view, for 90 days, in the officer's name."""
        gen, spec = self.gen, self.spec
        assert spec.signal is not None and spec.shared_by is not None and spec.shared_at is not None
        gen.add(
            "core.Grant",
            content_type_id=gen.signal_type,
            object_id=spec.signal,
            agency_id=spec.agency.pk,
            user_id=None,
            purpose="referral",
            sections=json.dumps(["summary"]),
            actions=json.dumps({"view": True}),
            reason=SIGNAL_SHARED,
            granted_by_id=spec.shared_by,
            granted_at=spec.shared_at,
            expires_at=spec.shared_at + 90 * DAY,
            revoked_at=None,
            revoked_by_id=None,
            revoke_reason="",
        )
        gen.stats.shared_signals += 1

    def register_persons(self) -> None:
        """A self-referral: the centre registers the victim (and her children) by IIN and, as
        `do_create_person` does for an IIN held outside its scope, gets records of its own linked to
        the identity's: the victim is never duplicated, and the worker sees whom the case is about."""
        from qorgau.people.models import Person

        gen, spec, rng = self.gen, self.spec, self.rng
        ids = [spec.victim, *spec.children]
        fields = (
            *("id", "linked_to_id", "iin_hash", "iin_encrypted", "iin_last4", "surname", "given_name"),
            *("patronymic", "name_key", "birth_date", "sex", "region_id", "district_id"),
        )
        rows = {p["id"]: p for p in Person.objects.filter(pk__in=ids).values(*fields)}
        at = spec.opened_at - H * rng.uniform(0.1, 1)
        new = []
        for pk in ids:
            p = rows[pk]
            identity = p.pop("linked_to_id") or p.pop("id")
            p.pop("id", None)
            row = gen.add(
                "people.Person",
                **p,
                linked_to_id=identity,
                surname_latin="",
                given_name_latin="",
                patronymic_latin="",
                phone="",
                address="",
                agency_id=spec.agency.pk,
                created_by_id=spec.worker.pk,
                created_at=at,
                updated_at=at,
            )
            new.append(row.id)
            gen.stats.persons += 1
        spec.victim, spec.children = new[0], new[1:]

    def state(self) -> str:
        """What cases.services.compute_state derives from the same records."""
        case = self.case
        if case.closed_at is not None:
            return "closed"
        since = case.reopened_at

        def after(times: list[dt.datetime]) -> bool:
            return any(t > since for t in times) if since else bool(times)

        if after([t for t, status in self.service_times if status != "cancelled"]):
            return "services"
        if after(self.goal_times):
            return "case_plan"
        if after([t for t, _due in self.plans]):
            return "safety_plan"
        if case.assessed_at is not None and (since is None or case.assessed_at > since):
            return "assessment"
        return "reopened" if since is not None else "open"

    def safety_plans(self, assessed: dt.datetime, end: dt.datetime, *, current: bool) -> None:
        rng, gen, spec = self.rng, self.gen, self.spec
        rec = assessed + H * rng.uniform(0.5, 48)
        if rec >= end and not spec.force_plan:
            return
        rec = min(rec, gen.now - H * 0.25)
        plans: list[tuple[dt.datetime, dt.date]] = []
        while True:
            due = _local(rec) + DAY * rng.randint(*REVIEW_DAYS)
            plans.append((rec, due))
            nxt = _noon(due) + DAY * rng.uniform(-2, 4)
            if nxt >= end or nxt >= gen.now or len(plans) >= 3:
                break
            rec = max(nxt, rec + H)
        if current:
            last_rec, last_due = plans[-1]
            overdue = spec.force_overdue or rng.random() < OVERDUE_SHARE
            if last_due < gen.today - 30 * DAY:
                # A long-running case: its plan was reviewed since, most recently a few weeks ago.
                if overdue:
                    due = gen.today - DAY * rng.randint(1, 25)
                else:
                    due = gen.today + DAY * rng.randint(1, 30)
                rec = min(_noon(due - DAY * rng.randint(*REVIEW_DAYS)), gen.now - H)
                if rec > last_rec:
                    plans.append((rec, max(due, _local(rec))))
            elif spec.force_overdue and last_due >= gen.today and _local(last_rec) < gen.today - DAY:
                plans[-1] = (last_rec, gen.today - DAY)
        self._write_plans(plans, 1)

    def _write_plans(self, plans: list[tuple[dt.datetime, dt.date]], first_version: int) -> None:
        rng, spec = self.rng, self.spec
        for version, (rec, due) in enumerate(plans, start=first_version):
            self.gen.add(
                "cases.SafetyPlan",
                case_id=self.case.id,
                version=version,
                safe_contacts=f"{rng.choice(SAFE_CONTACTS)}, +7 70{rng.randint(0, 9)} 555 "
                f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
                safe_place=rng.choice(SAFE_PLACES),
                documents_ready=rng.random() < 0.6 + 0.1 * version,
                keys_ready=rng.random() < 0.5,
                children_plan=rng.choice(CHILDREN_PLANS) if spec.children else "",
                code_word=rng.choice(CODE_WORDS),
                hotline_numbers=HOTLINES,
                review_due=due,
                recorded_by_id=spec.worker.pk,
                recorded_at=rec,
            )
            self.plans.append((rec, due))
            self.gen.stats.safety_plans += 1

    def children(self, end: dt.datetime) -> None:
        rng, gen, spec = self.rng, self.gen, self.spec
        for person in spec.children:
            at = spec.opened_at + H * rng.uniform(1, 72)
            if at >= end or at >= gen.now:
                continue
            needs = sorted({n for n, share in CHILD_NEEDS if rng.random() < share})
            row = gen.add(
                "cases.CaseChild",
                case_id=self.case.id,
                person_id=person,
                needs=json.dumps(needs),
                notes=rng.choice(CHILD_NOTES),
                added_by_id=spec.worker.pk,
                added_at=at,
            )
            self.case_children.append((row, needs))
            gen.stats.children += 1

    def goals(self, needs: list[str], end: dt.datetime) -> dict[str, Row]:
        rng, gen, spec = self.rng, self.gen, self.spec
        at = self.plans[0][0] + H * rng.uniform(2, 72)
        if at >= end or at >= gen.now:
            return {}
        out = {}
        for need in needs[:3]:
            created = at + H * rng.uniform(0, 1)
            if created >= gen.now:
                break
            achieved = None
            if spec.close_at is not None and rng.random() < 0.7:
                achieved = created + (spec.close_at - created) * rng.uniform(0.5, 0.99)
            elif rng.random() < 0.3:
                candidate = created + DAY * rng.uniform(14, 90)
                achieved = candidate if candidate < min(end, gen.now) else None
            out[need] = gen.add(
                "cases.CaseGoal",
                case_id=self.case.id,
                description=GOALS[need],
                due_on=_local(created) + DAY * rng.randint(30, 120),
                achieved_at=achieved,
                created_by_id=spec.worker.pk,
                created_at=created,
            )
            self.goal_times.append(created)
            gen.stats.goals += 1
        return out

    # services, sessions

    def services(self, needs: list[str], goals: dict[str, Row], end: dt.datetime) -> None:
        rng = self.rng
        base = max([self.plans[0][0], *self.goal_times]) if self.goal_times else self.plans[0][0]
        for need in needs:
            self.service(need, goals.get(need), None, base + H * rng.uniform(1, 120), end)
        for child, child_needs in self.case_children:
            if "psychological" in child_needs and rng.random() < CHILD_SERVICE_SHARE:
                self.service("psychological", None, child, base + H * rng.uniform(1, 168), end)

    def specialist(self, kind: str, day: dt.date) -> Any:
        """A specialist of the owning agency qualified for `kind` on `day` (a demo user first at home)."""
        qualified = [
            s for s in self.gen.staff.specialists.get(self.spec.agency.pk, []) if s.valid_on(kind, day)
        ]
        if not qualified:
            return None
        with_user = [s for s in qualified if s.user_id is not None]
        if with_user and self.rng.random() < 0.5:
            return with_user[0]
        return self.rng.choice(qualified)

    def service(
        self, kind: str, goal: Row | None, child: Row | None, at: dt.datetime, end: dt.datetime
    ) -> None:
        rng, gen, spec = self.rng, self.gen, self.spec
        if at >= end or at >= gen.now:
            return
        starts = min(_local(at) + DAY * rng.randint(0, 3), gen.today)
        specialist = self.specialist(kind, starts)
        if specialist is None:
            return
        if spec.close_at is not None:
            status = "completed" if rng.random() < 0.85 else "cancelled"
        else:
            status = "active" if rng.random() < 0.75 else "completed"
        service = gen.add(
            "cases.CaseService",
            case_id=self.case.id,
            goal_id=goal.id if goal is not None else None,
            child_id=child.id if child is not None else None,
            type=kind,
            specialist_id=specialist.id,
            status=status,
            starts_on=starts,
            created_by_id=spec.worker.pk,
            created_at=at,
        )
        self.service_times.append((at, status))
        gen.stats.services += 1
        (fewest, most), minutes = SESSIONS[kind]
        count = 1 if status == "cancelled" else rng.randint(fewest, most)
        last = min(_local(end), gen.today)
        held = starts
        for _ in range(count):
            if held > last:
                break
            recorded = min(_noon(held) + H * rng.uniform(0, 5), gen.now)
            gen.add(
                "cases.ServiceSession",
                service_id=service.id,
                held_on=held,
                duration_minutes=rng.randint(*minutes),
                outcome=rng.choice(SESSION_OUTCOMES[kind]),
                recorded_by_id=specialist.user_id or spec.worker.pk,
                recorded_at=recorded,
            )
            gen.stats.sessions += 1
            held += DAY * rng.randint(5, 14)

    # closing, reopening, transfer

    def close(self, at: dt.datetime) -> None:
        rng, gen, spec = self.rng, self.gen, self.spec
        outcome = rng.choices(self.closures, self.closure_weights)[0]
        reason = self.closure_reason[outcome]
        case = self.case
        case.closed_at, case.outcome, case.closure_reason = at, outcome, reason
        values: dict[str, Any] = {}
        if spec.reopen_at is not None:
            values = {
                "reopened_at": spec.reopen_at,
                "reopened_by_id": spec.worker.pk,
                "reopen_reason": rng.choice(REOPEN_REASONS),
            }
        gen.add(
            "cases.CaseClosure",
            case_id=case.id,
            closed_at=at,
            closed_by_id=spec.worker.pk,
            outcome=outcome,
            reason=reason,
            **values,
        )

    def reopen(self, at: dt.datetime) -> None:
        rng, gen = self.rng, self.gen
        case = self.case
        case.closed_at, case.outcome, case.closure_reason, case.reopened_at = None, "", "", at
        gen.stats.reopened += 1
        if rng.random() < 0.6:
            rec = min(at + H * rng.uniform(2, 120), gen.now - H * 0.25)
            due = _local(rec) + DAY * rng.randint(*REVIEW_DAYS)
            self._write_plans([(rec, due)], len(self.plans) + 1)
