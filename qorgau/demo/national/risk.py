"""Risk identification in the demo year: DASH-style assessments, referrals and district conferences.

Written in bulk after the year's signals (`generate_risk`), with the same invariants the risk services
keep: an assessment uses the instrument version in force (the shipped version 1), is completed with every
item answered, its score and level computed by `risk.scoring.result`, its criteria evaluated (high risk
from the score; escalation from the victim's signals of the year within the rule's window; no repeat and
no judgement, which the bulk path never raises); a met criterion refers the victim to the district's
conference. Each district with referrals holds a conference in the month after the referrals, chaired by
the demo conference chair; its agenda lists the referrals (oldest first), the record names the agencies
present, and each victim gets an action for the police station, due 14 days later, completed in most
cases, some overdue.

Calibration (demo assumptions, not statistics): a victim of a signal with physical violence or children
present is assessed in `ASSESSED_SHARE` of signals; about one assessment in ten is high risk (DOMAIN.md 6:
14 or more "yes").
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from qorgau.core.models import User
from qorgau.intake.models import PartyRole, Signal, SignalParty
from qorgau.risk.models import (
    Answer,
    Assessment,
    Conference,
    ConferenceAction,
    ConferenceReferral,
    InstrumentMissing,
    InstrumentVersion,
    ReferralRule,
)
from qorgau.risk.scoring import result

from .bulk import Ids, factory, insert_rows  # JSON columns go in as JSON text (json.dumps)
from .calibration import Progress

ASSESSED_SHARE = 0.5  # of signals with physical violence or children present
HIGH_SHARE = 0.1  # about one assessment in ten is high risk
DONT_KNOW = 0.05
ACTION_DAYS = 14
COMPLETED_SHARE = 0.8  # of actions due before today
MANDATE = "Law No. 214-IV On prevention of domestic violence, art. 9 (multi-agency prevention)"


@dataclass
class RiskStats:
    assessments: int = 0
    high: int = 0
    referrals: int = 0
    conferences: int = 0
    actions: int = 0
    overdue: int = 0
    seconds: float = 0.0
    by_band: dict[str, int] = field(default_factory=dict)


def _yes_count(rng: random.Random, items: int, threshold: int) -> int:
    if rng.random() < HIGH_SHARE:
        return min(items, threshold + sum(rng.random() < 0.35 for _ in range(items - threshold)))
    return min(threshold - 1, sum(rng.random() < 0.27 for _ in range(items)))


def generate_risk(year: int, *, seed: int, progress: Progress, chair: User | None) -> RiskStats:
    """Assessments, referrals, conferences and actions for the demo signals of `year` (skipped when the
    year's signals already have assessments)."""
    stats = RiskStats()
    started = time.perf_counter()
    signals = Signal.objects.filter(received_at__year=year).filter(
        Q(form_physical=True) | Q(children_present=True)
    )
    if Assessment.objects.filter(signal__received_at__year=year).exists():
        progress(f"Risk {year}: assessments already present, skipped.")
        return stats
    try:
        version = InstrumentVersion.in_force("dash", dt.date(year, 1, 1))
        rule = ReferralRule.in_force(dt.date(year, 1, 1))
    except InstrumentMissing:
        progress(f"Risk {year}: no instrument version in force that year, no assessments.")
        return stats
    items = list(version.items.order_by("position"))
    bands = version.band_list()
    threshold = version.referral_threshold or len(items)
    rng = random.Random(f"{seed}:risk:{year}")
    victims = dict(
        SignalParty.objects.filter(signal__in=signals, role=PartyRole.VICTIM)
        .order_by("signal_id", "id")
        .values_list("signal_id", "person_id")
    )
    history: dict[int, list[dt.datetime]] = defaultdict(list)
    for person_id, received in SignalParty.objects.filter(
        role=PartyRole.VICTIM, signal__received_at__year=year
    ).values_list("person_id", "signal__received_at"):
        history[person_id].append(received)
    ids = Ids()
    make_assessment, make_answer = factory("risk.Assessment"), factory("risk.Answer")
    make_referral = factory("risk.ConferenceReferral")
    assessments, answers, referrals = [], [], []
    rows = signals.order_by("id").values_list(
        "id", "received_at", "region_id", "district_id", "agency_id", "assigned_to_id", "registered_by_id"
    )
    for signal_id, received, region_id, district_id, agency_id, assigned_id, registered_id in rows.iterator():
        victim_id = victims.get(signal_id)
        if victim_id is None or rng.random() >= ASSESSED_SHARE:
            continue
        at = received + dt.timedelta(hours=rng.randint(2, 72))
        yes = _yes_count(rng, len(items), threshold)
        picked = set(rng.sample(range(len(items)), yes))
        values = [
            "yes" if i in picked else ("dont_know" if rng.random() < DONT_KNOW else "no")
            for i in range(len(items))
        ]
        outcome = result(values, bands)
        window = at - dt.timedelta(days=rule.escalation_days)
        count = sum(1 for day in history[victim_id] if window < day <= at)
        criteria = [
            {
                "code": "high_risk",
                "met": outcome.score >= threshold,
                "params": {"score": outcome.score, "threshold": threshold, "items": len(items)},
            },
            {
                "code": "escalation",
                "met": count >= rule.escalation_signals,
                "params": {"count": count, "needed": rule.escalation_signals, "days": rule.escalation_days},
            },
            {"code": "repeat", "met": False, "params": {"last": None, "days": rule.repeat_days}},
            {
                "code": "judgement",
                "met": False,
                "params": {"from": outcome.band, "to": outcome.final_band, "raised": False},
            },
        ]
        refer = any(c["met"] for c in criteria)
        row = make_assessment(
            signal_id=signal_id,
            case_id=None,
            victim_id=victim_id,
            version_id=version.pk,
            with_victim=True,
            status="completed",
            assessed_by_id=assigned_id or registered_id,
            started_at=at,
            completed_at=at + dt.timedelta(minutes=rng.randint(15, 50)),
            score=outcome.score,
            band=outcome.band,
            judgement_band="",
            judgement_reason="",
            final_band=outcome.final_band,
            referral_rule_id=rule.pk,
            criteria=json.dumps(criteria),
            refer=refer,
        )
        row.id = ids.next(Assessment)
        assessments.append(row)
        stats.by_band[outcome.final_band] = stats.by_band.get(outcome.final_band, 0) + 1
        for item, value in zip(items, values, strict=True):
            answer = make_answer(assessment_id=row.id, item_id=item.pk, value=value)
            answer.id = ids.next(Answer)
            answers.append(answer)
        if refer:
            referral = make_referral(
                assessment_id=row.id,
                victim_id=victim_id,
                case_id=None,
                signal_id=signal_id,
                region_id=region_id,
                district_id=district_id,
                agency_id=agency_id,
                referred_at=row.completed_at,
                referred_by_id=row.assessed_by_id,
                criteria=json.dumps([c["code"] for c in criteria if c["met"]]),
                status="waiting",
                conference_id=None,
                discussion="",
            )
            referral.id = ids.next(ConferenceReferral)
            referrals.append(referral)
    stats.assessments, stats.referrals = len(assessments), len(referrals)
    stats.high = stats.by_band.get("high", 0)
    conferences, present, actions = _conferences(referrals, ids=ids, rng=rng, chair=chair, stats=stats)
    insert_rows(Assessment, assessments)
    insert_rows(Answer, answers)
    insert_rows(Conference, conferences)
    Conference.agencies_present.through.objects.bulk_create(present, batch_size=5000)
    insert_rows(ConferenceReferral, referrals)
    insert_rows(ConferenceAction, actions)
    stats.seconds = time.perf_counter() - started
    progress(
        f"Risk {year}: {stats.assessments} assessments ({stats.high} high), {stats.referrals} referrals, "
        f"{stats.conferences} conferences, {stats.actions} actions ({stats.overdue} overdue) "
        f"in {stats.seconds:.1f} s."
    )
    return stats


def _conferences(
    referrals: list[Any], *, ids: Ids, rng: random.Random, chair: User | None, stats: RiskStats
) -> tuple[list[Any], list[Any], list[Any]]:
    """One conference per district and month after its referrals (15th), which lists and discusses them
    and gives each victim an action for the referring police station. Referrals of the last month wait."""
    if chair is None or chair.agency_id is None:
        return [], [], []
    today = timezone.localdate()
    groups: dict[tuple[int, int, int], list[Any]] = defaultdict(list)
    for referral in referrals:
        if referral.district_id is None:
            continue
        month = timezone.localtime(referral.referred_at).date().replace(day=1)
        groups[(referral.district_id, month.year, month.month)].append(referral)
    make_conference, make_action = factory("risk.Conference"), factory("risk.ConferenceAction")
    made_conferences: list[Any] = []
    made_actions: list[Any] = []
    present: list[Any] = []
    through = Conference.agencies_present.through
    # A conference of the year before may hold this month already (its December referrals completed in
    # January): the referrals join it rather than a second conference of the same district and day.
    held = {
        (district, date): pk
        for district, date, pk in Conference.objects.filter(
            district_id__in={d for d, _, _ in groups}
        ).values_list("district_id", "date", "id")
    }
    for (district_id, y, m), rows in sorted(groups.items()):
        day = (dt.date(y, m, 1) + dt.timedelta(days=32)).replace(day=15)
        if day > today:
            continue  # the conference has not happened yet: the referrals keep waiting
        if (district_id, day) in held:
            noon = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
            existing: Any = Conference(id=held[(district_id, day)], held_at=noon)
            _discuss(rows, existing, day, today, chair, rng, make_action, ids, made_actions, stats)
            continue
        conference = make_conference(
            region_id=rows[0].region_id,
            district_id=district_id,
            date=day,
            agency_id=chair.agency_id,
            chair_id=chair.pk,
            legal_mandate=MANDATE,
            status="held",
            information_shared=(
                "Police call-outs and protective orders; the crisis centre's contact with the victim; "
                "school attendance of the children."
            ),
            held_at=timezone.make_aware(dt.datetime.combine(day, dt.time(12))),
            created_at=timezone.make_aware(dt.datetime.combine(day - dt.timedelta(days=10), dt.time(9))),
        )
        conference.id = ids.next(Conference)
        made_conferences.append(conference)
        agencies = {row.agency_id for row in rows} | {chair.agency_id}
        for agency_id in sorted(agencies):
            present.append(through(conference_id=conference.id, agency_id=agency_id))
        _discuss(rows, conference, day, today, chair, rng, make_action, ids, made_actions, stats)
    stats.conferences, stats.actions = len(made_conferences), len(made_actions)
    return made_conferences, present, made_actions


def _discuss(
    rows: list[Any],
    conference: Any,
    day: dt.date,
    today: dt.date,
    chair: User,
    rng: random.Random,
    make_action: Any,
    ids: Ids,
    made_actions: list[Any],
    stats: RiskStats,
) -> None:
    """The conference discusses its referrals and gives each victim an action for the referring station."""
    for row in sorted(rows, key=lambda r: (r.referred_at, r.id)):
        row.status, row.conference_id = "discussed", conference.id
        row.discussion = "Safety plan agreed; the police station visits the family."
        due = day + dt.timedelta(days=ACTION_DAYS)
        done = due < today and rng.random() < COMPLETED_SHARE
        action = make_action(
            conference_id=conference.id,
            referral_id=row.id,
            agency_id=row.agency_id,
            owner_id=None,
            description="Visit the family and check the protective order.",
            due_date=due,
            created_at=conference.held_at,
            created_by_id=chair.pk,
            completed_at=timezone.make_aware(dt.datetime.combine(due - dt.timedelta(days=2), dt.time(16)))
            if done
            else None,
            completed_by_id=row.referred_by_id if done else None,
            completion_note="Visited; the order is respected." if done else "",
        )
        action.id = ids.next(ConferenceAction)
        made_actions.append(action)
        stats.overdue += (not done) and due < today
