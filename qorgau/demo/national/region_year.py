"""One region's demo year: families and persons, signals, parties, outcomes, orders and checks."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import models
from django.utils import timezone

from qorgau.core.models import AgencyType, Region, User

from ..foundation import HOME_REGION, Foundation
from ..names import feminine, random_name
from .bulk import Row, factory, insert_rows
from .calibration import (
    ACCOUNTS,
    ADMIN_PARTS,
    BREACH_ARTICLE,
    CHANNELS,
    CHECK_NOTES,
    CHECK_RESULTS,
    CHILD_VICTIM_SHARE,
    CRIMINAL_ARTICLES_BEFORE_2024,
    CRIMINAL_ARTICLES_FROM_2024,
    DECLINED_NOTES,
    FAMILY_RELATIONSHIP,
    HOUR_WEIGHTS,
    HOURS,
    LATE_CONTACT_SHARE,
    LATE_OUTCOME_SHARE,
    NO_OFFENCE_REASONS,
    OFFENDER_REUSE,
    OPEN_OVERDUE_SHARE,
    OPEN_TAIL_DAYS,
    OPEN_TAIL_SHARE,
    ORDER_WITH_CASE,
    ORDER_WITH_PROTOCOL,
    PREVENTIVE_ORDER_REASON,
    RECONCILIATION_SHARE,
    RELATIONSHIPS,
    SPECIAL_REQUIREMENTS,
    SPECIAL_WITH_PROTOCOL,
    STREETS,
    VICTIM_DECLINED_SHARE,
    repeat_count,
    weighted,
)
from .context import Planned, PlannedFamily, YearContext, YearStats
from .staff import Station


def _duration(rule: Any) -> dt.timedelta:
    duration: dt.timedelta = rule.duration
    return duration


class RegionYear:
    """One region's year: families and persons, signals, parties, outcomes, orders and checks."""

    def __init__(
        self,
        ctx: YearContext,
        f: Foundation,
        stations: list[Station],
        region: Region,
        count: int,
        targets: dict[str, int],
    ) -> None:
        self.ctx, self.f, self.stations, self.region = ctx, f, stations, region
        self.count, self.targets = count, targets
        self.rng = random.Random(f"{ctx.seed}:{ctx.year}:{region.code}")
        self.rows: dict[type[models.Model], list[Row]] = {}
        self.offenders: list[Any] = []
        self.checks: dict[int, list[Any]] = {}
        self.station_weights = [3, *[1] * (len(stations) - 1)]  # the centre's station gets more
        self.relationships = list(RELATIONSHIPS)
        self.relationship_weights = [RELATIONSHIPS[r][0] for r in self.relationships]
        self.channels, self.channel_weights = weighted(CHANNELS)

    def add(self, obj: Row) -> Row:
        model = obj.model
        obj.id = self.ctx.ids.next(model)
        self.rows.setdefault(model, []).append(obj)
        return obj

    # persons and families

    def person(
        self,
        station: Station,
        female: bool,
        ages: tuple[int, int],
        first_seen: dt.datetime,
        surname: str | None = None,
    ) -> Any:
        Person = factory("people.Person")

        rng, store, key = self.rng, self.ctx.iins, self.ctx.name_key
        assert store is not None and key is not None
        name = random_name(rng, female=female)
        age = rng.randint(*ages)
        birth = dt.date(self.ctx.year - age, 1, 1) + dt.timedelta(days=rng.randrange(365))
        sex = "F" if female else "M"
        iin = store.new(birth, sex)
        surname = surname or name.surname
        return self.add(
            Person(
                surname=surname,
                given_name=name.given_name,
                patronymic=name.patronymic,
                birth_date=birth,
                sex=sex,
                region=self.region,
                district=station.district,
                agency=station.agency,
                created_by=station.duty_officers[0],
                created_at=first_seen,
                iin_hash=store.hash(iin),
                iin_encrypted=store.encrypt(iin),
                iin_last4=iin[-4:],
                name_key=key(surname, name.given_name, name.patronymic, "", "", ""),
            )
        )

    def family(self, first_seen: dt.datetime) -> PlannedFamily:
        Family, FamilyMember = factory("people.Family"), factory("people.FamilyMember")

        rng = self.rng
        station = rng.choices(self.stations, self.station_weights)[0]
        relationship = rng.choices(self.relationships, self.relationship_weights)[0]
        _w, victim_ages, offender_ages, victim_female, offender_male = RELATIONSHIPS[relationship]
        if self.offenders and rng.random() < OFFENDER_REUSE:
            offender = rng.choice(self.offenders)
        else:
            offender = self.person(station, rng.random() >= offender_male, offender_ages, first_seen)
            self.offenders.append(offender)
        victim = self.person(station, rng.random() < victim_female, victim_ages, first_seen)
        child = None
        partners = ("spouse", "former_spouse", "partner", "cohabitant")
        if relationship in partners and rng.random() < CHILD_VICTIM_SHARE:
            female = rng.random() < 0.5
            surname = None
            if offender.sex == "M":
                surname = feminine(offender.surname) if female else offender.surname
            child = self.person(station, female, (2, 16), first_seen, surname=surname)
        address = f"{rng.choice(STREETS)}, д. {rng.randint(1, 180)}, кв. {rng.randint(1, 120)}"
        family = self.add(
            Family(
                address=address,
                region=self.region,
                district=station.district,
                agency=station.agency,
                created_by=station.duty_officers[0],
                created_at=first_seen,
            )
        )
        family.code = f"FAM-{family.pk:06d}"  # as people.services.do_create_family numbers them
        self.add(FamilyMember(family=family, person=victim, relationship="head"))
        self.add(FamilyMember(family=family, person=offender, relationship=FAMILY_RELATIONSHIP[relationship]))
        if child is not None:
            self.add(FamilyMember(family=family, person=child, relationship="child"))
        home = self.region.code == HOME_REGION and rng.random() < 0.1
        return PlannedFamily(victim, offender, child, relationship, station, address, home=home)

    def moment(self) -> dt.datetime:
        """A time in the period; more reports in the evening (HOUR_WEIGHTS, local hours)."""
        rng, ctx = self.rng, self.ctx
        days = (ctx.end - ctx.start).days + 1
        hour = rng.choices(HOURS, HOUR_WEIGHTS)[0]
        at = ctx.start + dt.timedelta(days=rng.randrange(days), hours=hour, seconds=rng.randrange(3600))
        return at if at <= ctx.end else ctx.end - dt.timedelta(seconds=rng.randrange(86400))

    # the run

    def run(self, stats: YearStats) -> None:
        from qorgau.intake.models import RegistrationCounter

        rng, ctx = self.rng, self.ctx
        # 1. families, and when each of their signals came in and was registered
        planned: list[Planned] = []
        latest = ctx.end + dt.timedelta(hours=1)  # still in the year (local), and in the past
        while len(planned) < self.count:
            k = min(repeat_count(rng), self.count - len(planned))
            times = sorted(self.moment() for _ in range(k))
            family = self.family(times[0])
            for at in times:
                registered = min(at + dt.timedelta(minutes=rng.randint(2, 40)), latest)
                with_child = family.child is not None and rng.random() < 0.6
                planned.append(Planned(at, registered, family, with_child))
            if k > 1:
                stats.repeat_families += 1
        planned.sort(key=lambda p: (p.registered_at, p.received_at))
        # 2. registration numbers continue the region's counter for the year, in order of registration
        counter, _created = RegistrationCounter.objects.get_or_create(region=self.region, year=ctx.year)
        first_number = counter.last_value + 1
        counter.last_value += len(planned)
        counter.save(update_fields=["last_value"])
        # 3. which signals are still open; the outcome kinds of the others, exact counts, shuffled
        tail = ctx.end - dt.timedelta(days=OPEN_TAIL_DAYS)
        open_flags = [
            (p.received_at >= tail and rng.random() < OPEN_TAIL_SHARE) or rng.random() < OPEN_OVERDUE_SHARE
            for p in planned
        ]
        closed = len(planned) - sum(open_flags)
        kinds: list[str] = []
        for kind in (
            "criminal_case",
            "admin_protocol",
            "protective_order",
            "referred",
        ):
            kinds += [kind] * max(0, min(self.targets[kind], closed - len(kinds)))
        kinds += ["no_offence"] * (closed - len(kinds))
        rng.shuffle(kinds)
        next_kind = iter(kinds)
        # 4. the signals in order of registration (orders and breaches need that order)
        for index, (plan, is_open) in enumerate(zip(planned, open_flags, strict=True)):
            self.signal(stats, first_number + index, plan, None if is_open else next(next_kind))
        self.flush(stats)

    def signal(self, stats: YearStats, number: int, plan: Planned, kind: str | None) -> None:
        Signal, SignalParty = factory("intake.Signal"), factory("intake.SignalParty")
        PartyRelationship = factory("intake.PartyRelationship")

        rng, ctx, region, family = self.rng, self.ctx, self.region, plan.family
        at = plan.received_at
        station = family.station
        channel = rng.choices(self.channels, self.channel_weights)[0]
        day = timezone.localdate(at)
        fc_rule = ctx.rules.effective("first_contact", day)
        out_rule = ctx.rules.effective("outcome", day)
        if family.home:
            # Some of Astana's families are the demo users' own: their queues and lists are not empty.
            agency = self.f.agencies[(HOME_REGION, AgencyType.POLICE)]
            registrar, inspector = self.f.users["duty_officer"], self.f.users["district_inspector"]
        else:
            agency = station.agency
            registrar, inspector = rng.choice(station.duty_officers), rng.choice(station.inspectors)
        victims = [family.victim, family.child] if plan.with_child else [family.victim]
        physical = rng.random() < 0.45
        forms = {
            "form_physical": physical,
            "form_psychological": rng.random() < 0.7 or not physical,
            "form_sexual": rng.random() < 0.02,
            "form_economic": rng.random() < 0.08,
            "form_neglect": plan.with_child and rng.random() < 0.2,
        }
        reporter = family.victim if channel == "victim" else None
        anonymous = channel in ("witness", "social_media") and rng.random() < 0.3
        assigned = rng.random() < 0.7 or kind is not None
        assigned_at = plan.registered_at + dt.timedelta(minutes=rng.randint(10, 180))
        late_contact = rng.random() < LATE_CONTACT_SHARE
        contact_at = at + dt.timedelta(hours=rng.uniform(24.5, 72) if late_contact else rng.uniform(0.3, 20))
        contacted = (assigned and rng.random() < 0.6) or kind is not None
        if contact_at > ctx.now:
            contacted = False
        declined_at = at + dt.timedelta(hours=rng.uniform(1, 72))
        declined = rng.random() < VICTIM_DECLINED_SHARE and declined_at <= ctx.now
        late = rng.random() < LATE_OUTCOME_SHARE
        decided_at = at + dt.timedelta(days=rng.uniform(10.5, 40) if late else rng.uniform(0.2, 9.5))
        if kind is not None and decided_at > ctx.now:
            kind = None  # the outcome would lie in the future: still being worked
        declined_note = rng.choice(DECLINED_NOTES)
        signal = self.add(
            Signal(
                registration_number=f"{region.code}-{ctx.year}-{number:06d}",
                channel=channel,
                received_at=at,
                region=region,
                district=station.district,
                address=family.address,
                reporter=reporter,
                anonymous_reporter=anonymous,
                agency=agency,
                registered_by=registrar,
                registered_at=plan.registered_at,
                assigned_to=inspector if assigned else None,
                assigned_at=assigned_at if assigned else None,
                status="closed" if kind else ("in_progress" if assigned or contacted else "registered"),
                children_present=plan.with_child or rng.random() < 0.2,
                weapon=rng.random() < 0.04,
                injuries=physical and rng.random() < 0.45,
                alcohol_or_drugs=rng.random() < 0.35,
                account=ACCOUNTS[channel],
                victim_declined=declined,
                victim_declined_at=declined_at if declined else None,
                victim_declined_note=declined_note if declined else "",
                first_contact_due=at + _duration(fc_rule),
                first_contact_at=contact_at if contacted else None,
                outcome_due=at + _duration(out_rule),
                first_contact_rule=fc_rule,
                outcome_rule=out_rule,
                **forms,
            )
        )
        stats.signals += 1
        victim_ids = {v.pk for v in victims}
        victim_parties = [self.add(SignalParty(signal=signal, person=v, role="victim")) for v in victims]
        offender = family.offender
        offender_party = self.add(SignalParty(signal=signal, person=offender, role="offender"))
        # One relationship per offender-victim pair: the family's child is the offender's child.
        for v, party in zip(victims, victim_parties, strict=True):
            relationship = "parent" if v is family.child else family.relationship
            self.add(
                PartyRelationship(
                    signal=signal, offender=offender_party, victim=party, relationship=relationship
                )
            )
        if family.child is not None and not plan.with_child and signal.children_present:
            # The family's child saw it: a child witness, not a victim.
            self.add(
                SignalParty(signal=signal, person=family.child, role="child", child_involvement="witness")
            )
        if reporter is not None:
            self.add(SignalParty(signal=signal, person=reporter, role="reporter"))
        # A breach: an order of this family against this offender, in force now, protecting these victims.
        for order, protected in reversed(family.orders):
            if order.offender_id == offender.pk and order.served_at <= at < order.expires_at:
                if protected <= victim_ids:
                    signal.breach_of_id = order.id
                    stats.breaches += 1
                    self.breach_check(order, at)
                break
        if kind is None:
            stats.open += 1
            return
        needs_order = (
            kind == "protective_order"
            or (kind == "admin_protocol" and rng.random() < ORDER_WITH_PROTOCOL)
            or (kind == "criminal_case" and rng.random() < ORDER_WITH_CASE)
        )
        # Legal measures: an order (and special requirements) accompany the decisive outcome, which
        # closes the signal. An order alone is preventive: no offence was found, the order protects.
        preventive = kind == "protective_order"
        if kind == "admin_protocol" and rng.random() < SPECIAL_WITH_PROTOCOL:
            # a court's special requirements follow some article 73 protocols
            self.outcome(stats, signal, number, "special_requirements", decided_at, inspector, decisive=False)
        if needs_order:
            served_at = at + dt.timedelta(hours=rng.uniform(1, 20))
            if served_at <= ctx.now:
                order = self.order(signal, number, family, victims, inspector, served_at)
                family.orders.append((order, victim_ids))
                self.outcome(
                    stats,
                    signal,
                    number,
                    "protective_order",
                    served_at,
                    inspector,
                    decisive=False,
                    order=order,
                )
                decided_at = max(decided_at, served_at + dt.timedelta(hours=1))
        if preventive:
            kind = "no_offence"
        self.outcome(stats, signal, number, kind, decided_at, inspector, preventive=preventive)
        if kind == "admin_protocol" and rng.random() < RECONCILIATION_SHARE:
            ctx.reconcile.append((signal.pk, offender.pk, inspector.pk, decided_at))

    def outcome(
        self,
        stats: YearStats,
        signal: Any,
        number: int,
        kind: str,
        decided_at: dt.datetime,
        inspector: User,
        *,
        decisive: bool = True,
        order: Any = None,
        preventive: bool = False,
    ) -> None:
        """One legal measure; the decisive one is the signal's outcome and closes it."""
        Outcome = factory("intake.Outcome")

        rng, ctx, code = self.rng, self.ctx, self.region.code
        values: dict[str, Any] = {}
        if kind == "criminal_case":
            articles = (
                CRIMINAL_ARTICLES_FROM_2024 if decided_at.year >= 2024 else CRIMINAL_ARTICLES_BEFORE_2024
            )
            values = {
                "article": rng.choice(articles),
                "part": rng.choice(("1", "2")),
                "case_number": f"{ctx.year % 100:02d}{code[3:5]}71{number:09d}",
            }
        elif kind == "admin_protocol":
            parts, weights = weighted(ADMIN_PARTS)
            part = rng.choices(parts, weights)[0]
            breach = getattr(signal, "breach_of_id", None) is not None
            values = {
                "article": BREACH_ARTICLE if breach else "73",
                "part": "1" if breach else part,
                "case_number": f"AP-{code}-{ctx.year}-{number:06d}",
            }
        elif kind == "special_requirements":
            values = {
                "referred_agency": self.f.agencies[(code, AgencyType.COURT)],
                "details": rng.choice(SPECIAL_REQUIREMENTS),
            }
        elif kind == "referred":
            target = rng.choice(
                (AgencyType.CRISIS_CENTRE, AgencyType.FAMILY_SUPPORT, AgencyType.AKIMAT, AgencyType.HEALTH)
            )
            values = {"referred_agency": self.f.agencies[(code, target)]}
        elif kind == "no_offence":
            values = {"reason": PREVENTIVE_ORDER_REASON if preventive else rng.choice(NO_OFFENCE_REASONS)}
        recorded_at = min(decided_at + dt.timedelta(minutes=rng.randint(5, 120)), ctx.now)
        outcome = self.add(
            Outcome(
                signal=signal,
                kind=kind,
                decided_at=decided_at,
                recorded_by=inspector,
                recorded_at=recorded_at,
                order=order,
                **values,
            )
        )
        stats.outcomes[kind] = stats.outcomes.get(kind, 0) + 1
        if decisive:
            signal.outcome_id = outcome.id
            signal.closed_at = recorded_at

    def order(
        self,
        signal: Any,
        number: int,
        family: PlannedFamily,
        victims: list[Any],
        inspector: User,
        served_at: dt.datetime,
    ) -> Any:
        from qorgau.intake.models import ProtectiveOrder as OrderModel
        from qorgau.intake.services.orders import check_schedule

        ProtectiveOrder, ComplianceCheck = (
            factory("intake.ProtectiveOrder"),
            factory("intake.ComplianceCheck"),
        )

        rng, ctx = self.rng, self.ctx
        day = timezone.localdate(served_at)
        validity = ctx.rules.effective("protective_order_validity", day)
        interval = ctx.rules.effective("compliance_check_interval", day)
        order = self.add(
            ProtectiveOrder(
                signal=signal,
                offender=family.offender,
                number=f"PO-{self.region.code[3:]}-{ctx.year}-{number:06d}",
                served_at=served_at,
                expires_at=served_at + _duration(validity),
                validity_rule=validity,
                check_interval_rule=interval,
                status="active",
                issued_by=inspector,
                created_at=min(served_at + dt.timedelta(minutes=30), ctx.now),
            )
        )
        through = factory(OrderModel.victims.through._meta.label)
        for v in victims:
            self.add(through(protectiveorder_id=order.pk, person_id=v.pk))
        results, weights = weighted(CHECK_RESULTS)
        checks = []
        for due in check_schedule(order.served_at, order.expires_at, _duration(interval)):
            done_at = max(due - dt.timedelta(hours=rng.uniform(0, 36)), served_at + dt.timedelta(hours=1))
            result = rng.choices(results, weights)[0]
            done = done_at <= ctx.now
            checks.append(
                self.add(
                    ComplianceCheck(
                        order=order,
                        due_at=due,
                        done_at=done_at if done else None,
                        done_by=inspector if done else None,
                        result=result if done else "",
                        notes=CHECK_NOTES.get(result, "") if done else "",
                    )
                )
            )
        self.checks[order.pk] = checks
        return order

    def breach_check(self, order: Any, at: dt.datetime) -> None:
        """The first check due after a breach records it, done when the breach was reported."""
        done_at = min(at + dt.timedelta(hours=2), self.ctx.now)
        for check in self.checks.get(order.pk, []):
            if check.due_at >= at:
                check.done_at, check.result, check.notes = done_at, "breach", CHECK_NOTES["breach"]
                check.done_by_id = check.done_by_id or order.issued_by_id
                return

    def flush(self, stats: YearStats) -> None:
        from qorgau.intake.models import (
            ComplianceCheck,
            Outcome,
            PartyRelationship,
            ProtectiveOrder,
            Signal,
            SignalParty,
        )
        from qorgau.people.models import Family, FamilyMember, Person

        # Signal.outcome and Outcome.signal point at each other: foreign keys are checked at commit
        # (DEFERRABLE INITIALLY DEFERRED on SQLite and PostgreSQL): this order works in the transaction.
        models_in_order: list[type[models.Model]] = [
            Person,
            Family,
            FamilyMember,
            Signal,
            SignalParty,
            PartyRelationship,
            ProtectiveOrder,
            ProtectiveOrder.victims.through,
            ComplianceCheck,
            Outcome,
        ]
        for model in models_in_order:
            rows = self.rows.pop(model, [])
            insert_rows(model, rows, batch_size=self.ctx.batch_size)
            if model is Person:
                stats.persons += len(rows)
            elif model is Family:
                stats.families += len(rows)
            elif model is SignalParty:
                stats.parties += len(rows)
            elif model is ProtectiveOrder:
                stats.protective_orders += len(rows)
            elif model is ComplianceCheck:
                stats.compliance_checks += len(rows)
