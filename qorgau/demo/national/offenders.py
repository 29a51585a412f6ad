"""The demo offender track for one year: referrals to compulsory treatment for a share of repeat
offenders whose signals record alcohol or drugs, some at each step and some overdue; programmes for
offenders in every region with a year of referrals, attendance and drop-out; the partner contacts offered
to the victims' cases.

Calibration (press reports of October 2025, issue 15; demo assumptions otherwise): 422 court decisions on
compulsory treatment not carried out nationally, so round(422 x scale) referrals wait at the court's
decision or for a bed, about 70 % of them for want of a bed (20 specialised centres against a need of at
least 34: the demo network has one drug treatment facility per region, 20); the other steps are spread
so that the waiting decisions are about a fifth of all referrals. About a third of those who start a
programme drop out (the WWP and Respect evaluations' range). Bulk rows, no per-row audit (one
`demo.generate` event, as the rest of the demo).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db.models import Count
from django.utils import timezone

from qorgau.cases.models import Case, CaseState
from qorgau.core.models import AgencyType, Role, Scope, User
from qorgau.facilities.models import Facility, FacilityType
from qorgau.intake.models import PartyRole, SignalParty
from qorgau.offenders import workflow
from qorgau.offenders.models import (
    Attendance,
    Format,
    Method,
    OffenderInstrument,
    PartnerContact,
    Programme,
    ProgrammeDeadlineRule,
    ProgrammeReferral,
    ProgrammeSession,
    ProgrammeStatus,
    Standard,
    TreatmentReferral,
    TreatmentStep,
    TreatmentStepEvent,
    TreatmentStepRule,
)

from ..foundation import DEMO_PASSWORD, HOME_REGION, Foundation

Progress = Callable[[str], None]
UNEXECUTED_NATIONAL = 422
SHARE_UNEXECUTED = 0.2
# Where the other referrals are (shares of all): the rest wait at the court or for a bed.
STEP_SHARES = [
    (TreatmentStep.GROUNDS, 0.07),
    (TreatmentStep.EXAMINATION, 0.10),
    (TreatmentStep.CONCLUSION, 0.06),
    (TreatmentStep.APPLICATION, 0.10),
    (TreatmentStep.ADMITTED, 0.12),
    (TreatmentStep.ENDED, 0.25),
    (TreatmentStep.CLOSED, 0.10),
]
WAIT_REASONS = [("no_bed", 0.7), ("person_absent", 0.2), ("medical_contraindication", 0.1)]
PROGRAMME_REFERRALS_NATIONAL = 3000  # a year at scale 1 (demo assumption)
DROP_OUT = 1 / 3
RECENT = 0.25
TREATMENT_MANAGER = "demo.treatment_facility_manager"


def _pick(rng: random.Random, shares: list[tuple[str, float]]) -> str:
    roll, total = rng.random() * sum(s for _, s in shares), 0.0
    for value, share in shares:
        total += share
        if roll <= total:
            return value
    return shares[-1][0]


def already_generated(year: int) -> bool:
    return TreatmentReferral.objects.filter(signal__registration_number__contains=f"-{year}-").exists()


def generate_offenders(
    f: Foundation, *, year: int, scale: float, seed: int, progress: Progress
) -> dict[str, int]:
    if already_generated(year):
        progress(f"Offender track {year}: already present, skipped.")
        return {}
    started = time.perf_counter()
    rng = random.Random(f"{seed}:{year}:offenders")
    now = timezone.now()
    facilities = {
        f.region_id: f for f in Facility.objects.filter(type=FacilityType.DRUG_TREATMENT).order_by("id")
    }
    users = _users(f, facilities)
    treatments = _treatments(f, rng, year=year, scale=scale, now=now, facilities=facilities, users=users)
    programmes = _programmes(f)
    referrals = _programme_referrals(
        f, rng, year=year, scale=scale, now=now, programmes=programmes, users=users
    )
    stats = {"treatment_referrals": treatments, "programmes": len(programmes), **referrals}
    waiting = TreatmentReferral.objects.filter(status__in=workflow.UNEXECUTED).count()
    progress(
        f"Offender track {year}: {treatments} treatment referrals "
        f"({waiting} court decisions not carried out), {len(programmes)} programmes, "
        f"{referrals['programme_referrals']} programme referrals, "
        f"{referrals['sessions']} sessions in {time.perf_counter() - started:.1f} s."
    )
    return stats


def _users(f: Foundation, facilities: dict[int, Facility]) -> dict[str, User]:
    """The demo users who take part: the inspector, the narcologist, the provider, and a manager of the
    home region's drug treatment facility (the demo facility manager runs a crisis centre)."""
    users: dict[str, User] = {
        slug: f.users[slug]
        for slug in ("district_inspector", "narcologist", "programme_provider")
        if slug in f.users
    }
    home = f.regions[HOME_REGION]
    facility = facilities.get(home.pk)
    role = Role.objects.filter(slug="facility_manager").first()
    if facility is not None and role is not None:
        manager, _ = User.objects.update_or_create(
            username=TREATMENT_MANAGER,
            defaults={
                "first_name": "Arman",
                "last_name": "Zhaksybekov",
                "agency": facility.agency,
                "role": role,
                "scope": Scope.AGENCY,
                "is_active": True,
                "password": make_password(DEMO_PASSWORD),
            },
        )
        users["treatment_manager"] = manager
    return users


def _candidates(year: int) -> list[dict[str, Any]]:
    """The alleged offenders of the year's signals with alcohol or drugs recorded who are repeat offenders
    (named in two signals or more): one row per person, their latest such signal."""
    repeat = set(
        SignalParty.objects.filter(role=PartyRole.OFFENDER, signal__registration_number__contains=f"-{year}-")
        .values("person_id")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
        .values_list("person_id", flat=True)
    )
    rows = (
        SignalParty.objects.filter(
            role=PartyRole.OFFENDER,
            person_id__in=repeat,
            signal__alcohol_or_drugs=True,
            signal__registration_number__contains=f"-{year}-",
        )
        .order_by("person_id", "-signal__received_at")
        .values(
            "person_id",
            "signal_id",
            "signal__region_id",
            "signal__district_id",
            "signal__agency_id",
            "signal__received_at",
            "signal__registered_by_id",
        )
    )
    latest: dict[int, Any] = {}
    for row in rows:
        latest.setdefault(row["person_id"], row)
    return list(latest.values())


def _treatments(
    f: Foundation,
    rng: random.Random,
    *,
    year: int,
    scale: float,
    now: dt.datetime,
    facilities: dict[int, Facility],
    users: dict[str, User],
) -> int:
    candidates = _candidates(year)
    rng.shuffle(candidates)
    unexecuted = round(UNEXECUTED_NATIONAL * scale)
    total = min(len(candidates), max(unexecuted, round(unexecuted / SHARE_UNEXECUTED)))
    health = {code: f.agencies.get((code, AgencyType.HEALTH)) for code in f.regions}
    region_codes = {r.pk: code for code, r in f.regions.items()}
    rules = {r.step: r for r in TreatmentStepRule.objects.effective_on(now)}
    home_police = f.agencies.get((HOME_REGION, AgencyType.POLICE))
    inspector = users.get("district_inspector")
    referrals: list[TreatmentReferral] = []
    events: list[list[TreatmentStepEvent]] = []
    shares = [
        (TreatmentStep.DECISION, SHARE_UNEXECUTED * 0.3),
        (TreatmentStep.WAITING, SHARE_UNEXECUTED * 0.7),
        *STEP_SHARES,
    ]
    for n, row in enumerate(candidates[:total]):
        code = region_codes.get(row["signal__region_id"])
        facility = facilities.get(row["signal__region_id"])
        health_agency = health.get(code) if code else None
        if code is None or facility is None or health_agency is None:
            continue
        if n < unexecuted:
            status: str = TreatmentStep.WAITING if rng.random() < 0.7 else TreatmentStep.DECISION
        else:
            status = _pick(rng, [(s, w) for s, w in shares if s not in workflow.UNEXECUTED])
        agency_id, started_by = row["signal__agency_id"], row["signal__registered_by_id"]
        if code == HOME_REGION and inspector is not None and home_police is not None and n % 3 == 0:
            agency_id, started_by = home_police.pk, inspector.pk  # the demo inspector's share of Astana's
        start = min(
            now - dt.timedelta(days=2), row["signal__received_at"] + dt.timedelta(days=rng.randint(1, 20))
        )
        path = (
            workflow.ORDER[: workflow.ORDER.index(status) + 1]
            if status != TreatmentStep.CLOSED
            else ["grounds", "examination", "conclusion", TreatmentStep.CLOSED]
        )
        if status != TreatmentStep.WAITING:
            path = [p for p in path if p != TreatmentStep.WAITING]
        rule = rules.get(status)
        if status in workflow.TERMINAL or rule is None:
            last_at = min(now - dt.timedelta(days=1), start + dt.timedelta(days=rng.uniform(20, 200)))
        elif rng.random() < 0.3:  # a share of the open steps overdue
            last_at = now - dt.timedelta(days=rule.days + rng.randint(1, 20))
        else:
            last_at = now - dt.timedelta(days=rng.uniform(0, rule.days * 0.9))
        start = min(start, last_at - dt.timedelta(days=2 * len(path)))
        gap = (last_at - start) / max(1, len(path) - 1)
        trail = [(path[i - 1] if i else "", step, start + gap * i) for i, step in enumerate(path)]
        at = last_at
        referral = TreatmentReferral(
            signal_id=row["signal_id"],
            offender_id=row["person_id"],
            region_id=row["signal__region_id"],
            district_id=row["signal__district_id"],
            agency_id=agency_id,
            started_by_id=started_by,
            started_at=start,
            dependence=rng.choice(["alcohol", "alcohol", "alcohol", "drugs", "both"]),
            grounds="Repeated signals under the influence; earlier administrative measures.",
            health_agency=health_agency if status != TreatmentStep.GROUNDS else None,
            facility=facility
            if workflow.ORDER.index(path[-1]) >= workflow.ORDER.index("decision")
            and status != TreatmentStep.CLOSED
            else None,
            status=status,
            status_since=at,
        )
        if status in workflow.TERMINAL:
            referral.ended_at = at
            referral.result = (
                rng.choice(["completed", "completed", "left_early"])
                if status == TreatmentStep.ENDED
                else rng.choice(["no_dependence", "court_refused", "withdrawn"])
            )
        else:
            referral.step_rule = rule
            owed = workflow.OWED_BY[status]
            referral.owed_agency_id = {
                "police": agency_id,
                "health": health_agency.pk,
                "facility": facility.agency_id,
            }[owed]
            # A share of the open steps overdue: their step started longer ago than the rule allows.
            if rule is not None:
                referral.step_due = referral.status_since + dt.timedelta(days=rule.days)
            if status == TreatmentStep.WAITING:
                referral.wait_reason = _pick(rng, WAIT_REASONS)
        referrals.append(referral)
        events.append(
            [
                TreatmentStepEvent(
                    from_status=a,
                    to_status=b,
                    at=when,
                    agency_id=agency_id,
                    actor_id=started_by,
                    category="capacity" if b == TreatmentStep.WAITING else "",
                    reason=referral.wait_reason if b == TreatmentStep.WAITING else "",
                    documents=[],
                )
                for a, b, when in trail
            ]
        )
    TreatmentReferral.objects.bulk_create(referrals, batch_size=500)
    rows = []
    for referral, trail_events in zip(referrals, events, strict=True):
        last = referral.started_at
        for event in trail_events:
            event.referral_id = referral.pk
            event.seconds_in_step = int((event.at - last).total_seconds())
            last = event.at
            rows.append(event)
    TreatmentStepEvent.objects.bulk_create(rows, batch_size=1000)
    return len(referrals)


PROGRAMMES = [
    ("Respect course", Method.PSYCHOEDUCATIONAL, 24, Format.GROUP, Standard.RESPECT),
    ("Anger and responsibility", Method.CBT, 16, Format.GROUP, Standard.WWP),
    ("DRIVE case management", Method.CASE_MANAGEMENT, 20, Format.INDIVIDUAL, Standard.DRIVE),
    ("Sober family", Method.ADDICTION, 12, Format.GROUP, Standard.NATIONAL),
]


def _programmes(f: Foundation) -> list[Programme]:
    made = []
    for n, code in enumerate(f.regions):
        agencies = [f.agencies.get((code, AgencyType.FAMILY_SUPPORT)), f.agencies.get((code, AgencyType.NGO))]
        for k, agency in enumerate(a for a in agencies if a is not None):
            name, method, sessions, format_, standard = PROGRAMMES[(n + k) % len(PROGRAMMES)]
            programme, _ = Programme.objects.get_or_create(
                agency=agency,
                name=name,
                defaults={
                    "method": method,
                    "sessions": sessions,
                    "format": format_,
                    "languages": ["kk", "ru"],
                    "standard": standard,
                },
            )
            made.append(programme)
    return made


def _programme_referrals(
    f: Foundation,
    rng: random.Random,
    *,
    year: int,
    scale: float,
    now: dt.datetime,
    programmes: list[Programme],
    users: dict[str, User],
) -> dict[str, int]:
    by_region: dict[int, list[Programme]] = defaultdict(list)
    for programme in programmes:
        if programme.agency.region_id is not None:
            by_region[programme.agency.region_id].append(programme)
    provider = users.get("programme_provider")
    provider_region = provider.agency.region_id if provider is not None and provider.agency else None
    if provider is not None and provider.agency is not None and provider_region is not None:
        own, _ = Programme.objects.get_or_create(
            agency=provider.agency,
            name="Respect course",
            defaults={
                "method": Method.PSYCHOEDUCATIONAL,
                "sessions": 24,
                "format": Format.GROUP,
                "languages": ["kk", "ru"],
                "standard": Standard.RESPECT,
            },
        )
        if own not in by_region[provider_region]:
            by_region[provider_region].insert(0, own)
    target = round(PROGRAMME_REFERRALS_NATIONAL * scale)
    treated = set(TreatmentReferral.objects.values_list("offender_id", flat=True))
    rows = list(
        SignalParty.objects.filter(role=PartyRole.OFFENDER, signal__registration_number__contains=f"-{year}-")
        .exclude(person_id__in=treated)
        .order_by("signal_id")
        .values(
            "person_id",
            "signal_id",
            "signal__region_id",
            "signal__agency_id",
            "signal__received_at",
            "signal__registered_by_id",
        )
    )
    seen: set[int] = set()
    unique = [r for r in rows if not (r["person_id"] in seen or seen.add(r["person_id"]))]  # type: ignore[func-returns-value]
    rng.shuffle(unique)
    rules = {r.basis: r for r in ProgrammeDeadlineRule.objects.effective_on(now)}
    instrument = OffenderInstrument.effective(now)
    referrals: list[ProgrammeReferral] = []
    plans: list[tuple[int, int, bool]] = []  # sessions held, unacceptable absences allowed, dropped
    for row in unique[:target]:
        options = by_region.get(row["signal__region_id"])
        if not options:
            continue
        programme = options[0] if rng.random() < 0.6 else rng.choice(options)
        basis = rng.choice(["police", "police", "protective_order", "court", "voluntary"])
        rule = rules[basis]
        referred = min(
            now - dt.timedelta(days=1), row["signal__received_at"] + dt.timedelta(days=rng.randint(1, 10))
        )
        if rng.random() < RECENT:  # referred this year, after a later signal: the programmes' current work
            referred = now - dt.timedelta(days=rng.uniform(1, 240))
        referral = ProgrammeReferral(
            programme=programme,
            offender_id=row["person_id"],
            signal_id=row["signal_id"],
            basis=basis,
            region_id=row["signal__region_id"],
            referring_agency_id=row["signal__agency_id"],
            referred_by_id=row["signal__registered_by_id"],
            referred_at=referred,
            rule=rule,
            contact_due=referred + dt.timedelta(days=rule.contact_days),
            start_due=referred + dt.timedelta(days=rule.start_days),
        )
        age = (now - referred).days
        held, dropped = 0, False
        if age > rule.contact_days:
            referral.contacted_at = referred + dt.timedelta(days=rng.randint(1, rule.contact_days))
            items = rng.sample(instrument.items, rng.randint(0, 6))
            referral.instrument, referral.risk_items, referral.risk_score = (
                instrument,
                sorted(items),
                len(items),
            )
            referral.risk_band = instrument.band(len(items))
            referral.assessed_at = referral.contacted_at
            if rng.random() < 0.08:
                referral.status, referral.ended_at = ProgrammeStatus.UNSUITABLE, referral.assessed_at
            else:
                referral.status = ProgrammeStatus.ASSESSED
                weeks = max(0, (age - rule.start_days) // 7)
                if weeks > 0:
                    dropped = rng.random() < DROP_OUT
                    planned = programme.sessions
                    held = min(weeks, planned, rng.randint(1, max(1, planned // 2)) if dropped else planned)
                    referral.status = ProgrammeStatus.STARTED
                    referral.started_at = referred + dt.timedelta(days=rule.start_days)
                    if dropped and held < weeks:
                        referral.status = ProgrammeStatus.DROPPED_OUT
                        referral.dropout_reason = rng.choice(
                            ["stopped", "stopped", "excluded", "reoffended", "moved"]
                        )
                        referral.ended_at = referral.started_at + dt.timedelta(weeks=held + 1)
                    elif held >= planned:
                        referral.status = ProgrammeStatus.COMPLETED
                        referral.ended_at = referral.started_at + dt.timedelta(weeks=held)
                        referral.outcomes = {
                            k: rng.choice(["achieved", "achieved", "partly", "not"])
                            for k in ("responsibility", "no_violence", "emotion_regulation")
                        }
        referrals.append(referral)
        plans.append((held, 0, dropped))
    ProgrammeReferral.objects.bulk_create(referrals, batch_size=500)
    sessions = []
    for referral, (held, _, dropped) in zip(referrals, plans, strict=True):
        begun = referral.started_at or referral.referred_at
        for number in range(1, held + 1):
            roll = rng.random()
            last_of_dropout = dropped and number == held
            attendance = (
                Attendance.UNACCEPTABLE
                if last_of_dropout or roll < 0.06
                else Attendance.ACCEPTABLE
                if roll < 0.13
                else Attendance.ATTENDED
            )
            sessions.append(
                ProgrammeSession(
                    referral_id=referral.pk,
                    number=number,
                    attendance=attendance,
                    held_on=(begun + dt.timedelta(weeks=number - 1)).date(),
                    recorded_by_id=referral.referred_by_id,
                    inspector_seen_at=None if rng.random() < 0.3 else begun,
                )
            )
    ProgrammeSession.objects.bulk_create(sessions, batch_size=2000)
    cases = dict(
        Case.objects.filter(signal_id__in=[r.signal_id for r in referrals])
        .exclude(state=CaseState.CLOSED)
        .values_list("signal_id", "id")
    )
    contacts = [
        PartnerContact(
            case_id=cases[r.signal_id],
            referral_id=r.pk,
            offered_at=r.referred_at,
            status="offered"
            if r.is_open and rng.random() < 0.4
            else rng.choice(["made", "made", "declined"]),
            safety_review_due=_after(r.ended_at, 2) if r.status == ProgrammeStatus.DROPPED_OUT else None,
            safety_reviewed_at=_after(r.ended_at, 1)
            if r.status == ProgrammeStatus.DROPPED_OUT and rng.random() < 0.7
            else None,
        )
        for r in referrals
        if r.signal_id in cases
    ]
    PartnerContact.objects.bulk_create(contacts, batch_size=1000)
    ProgrammeReferral.objects.filter(pk__in=[c.referral_id for c in contacts]).update(
        partner_contact_offered=True
    )
    return {
        "programme_referrals": len(referrals),
        "sessions": len(sessions),
        "partner_contacts": len(contacts),
    }


def _after(at: dt.datetime | None, days: int) -> dt.datetime | None:
    return at + dt.timedelta(days=days) if at is not None else None
