"""A demo year of placements (issue 11): the victims of the year's crisis-centre cases (and some family
support cases) placed in the demo network, in bulk, deterministic for the seed.

`generate_placements(year)` runs after the year's cases and replays the year as events in time order
(arrivals, holds, admissions, lapsed holds, discharges) against every capacity row, so that each
admission finds the places the earlier ones left:

- a client goes to her case's own crisis centre (its staff see the case: a direct admission) or to
  another centre of the region, weighted by free places; another centre is a placement request, which
  is a cases shelter referral with the victim's consent (as `do_request_placement`), accepted with the
  places held under the rule's hold (`BedHold`), then admitted; a few holds lapse (no arrival) and the
  case tries again a day later;
- a centre without a free place declines with "no free place" (a turn-away); when no centre of the
  region has one, the case goes on its own centre's waiting list and tries again 1-3 days later (three
  times), leaving the list when admitted, placed elsewhere, or no longer needing a place;
- the stay lasts a lognormal number of days (median STAY_MEDIAN_DAYS) and never past the case's
  closure; the planned end is the longest stay of the rule version in force at admission (6 months for
  crisis centres: the version before Order No. 263 for stays before 29 June 2023); stays that reach it
  are extended with a reason or end with the outcome "the longest stay reached";
- every change of a capacity writes a `VacancyUpdate` (the history behind occupancy over time): the
  year starts with every place vacant (a "reported" count on 1 January) and each admission, hold,
  release and discharge follows; stays still running today also set today's counts.

Calibration and its sources: placements_calibration.py. Rows are written with preassigned keys
(`insert_rows`); the demo command records one `demo.generate` audit event for the run. Each facility
without a manager gets one (`staff.fac<id>.manager`, role facility_manager), who admits and discharges.
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
import random
import time
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from .bulk import Ids, Row, factory, insert_rows
from .calibration import Progress
from .placements_calibration import (
    ADMIT_AFTER_ACCEPT_HOURS,
    ANSWER_HOURS,
    ARRIVAL_HOURS,
    DESTINATIONS,
    DISCHARGE_NOTE,
    EXTENDED_AT_LIMIT_SHARE,
    EXTENSION_REASONS,
    LAPSED_HOLD_SHARE,
    OUTCOMES,
    OWN_CENTRE_WEIGHT,
    REQUEST_NOTE,
    RETRIES,
    RETRY_DAYS,
)
from .placements_world import (
    DAY,
    H,
    _Cap,
    _Case,
    _Facility,
    _Loader,
    _noon,
)


@dataclass
class PlacementStats:
    year: int
    placements: int = 0
    crisis_cases: int = 0  # the year's crisis-centre cases: the centres' clients (applicants)
    crisis_clients: int = 0  # of them, placed at a crisis centre
    men_adaptation: int = 0  # men of crisis-centre cases placed at a temporary adaptation centre
    with_children: int = 0
    children: int = 0
    current: int = 0
    extensions: int = 0
    at_limit: int = 0
    requests: dict[str, int] = field(default_factory=dict)
    turn_aways: int = 0
    waiting: int = 0
    not_placed: int = 0
    holds: int = 0
    updates: int = 0
    managers: int = 0
    average_stay_days: float = 0.0
    skipped: bool = False
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def summary(self) -> str:
        requests = ", ".join(f"{k} {n}" for k, n in sorted(self.requests.items()))
        return (
            f"Placements {self.year}: {self.placements} for {self.crisis_cases} crisis-centre cases "
            f"({self.crisis_clients} at crisis centres, {self.men_adaptation} men at adaptation centres, "
            f"{self.with_children} with {self.children} children; {self.current} still staying; average "
            f"stay {self.average_stay_days:.0f} days; {self.extensions} extended, {self.at_limit} ended at "
            f"the longest stay) in {self.seconds:.1f} s; requests: {requests or 'none'} "
            f"({self.turn_aways} turn-aways, {self.holds} holds); {self.waiting} waiting-list entries, "
            f"{self.not_placed} never placed; {self.updates} vacancy updates; {self.managers} new managers."
        )


def _years_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime(year, 1, 1, tzinfo=tz).astimezone(dt.UTC),
        dt.datetime(year + 1, 1, 1, tzinfo=tz).astimezone(dt.UTC),
    )


def placements_already_generated(year: int) -> bool:
    from qorgau.facilities.models import Placement

    start, end = _years_bounds(year)
    return Placement.objects.filter(admitted_at__gte=start, admitted_at__lt=end).exists()


def generate_placements(year: int, *, seed: int, progress: Progress) -> PlacementStats:
    """The year's placements (after its cases); skipped when placements of the year exist."""
    stats = PlacementStats(year=year)
    if placements_already_generated(year):
        stats.skipped = True
        progress(f"Placements {year}: already present, skipped.")
        return stats
    started = time.perf_counter()
    year_run = _Year(year, seed, stats)
    if not year_run.facilities:
        stats.skipped = True
        progress("Placements: no facilities, skipped.")
        return stats
    year_run.run()
    year_run.flush()
    stats.seconds = time.perf_counter() - started
    progress(stats.summary())
    return stats


class _Year(_Loader):
    def __init__(self, year: int, seed: int, stats: PlacementStats) -> None:
        self.year, self.seed, self.stats = year, seed, stats
        self.now = timezone.now()
        self.start, self.end = _years_bounds(year)
        self.ids = Ids()
        self.rows: dict[str, list[Row]] = {}
        self.heap: list[tuple[dt.datetime, int, str, Any]] = []
        self.seq = 0
        self.rng = random.Random(f"{seed}:{year}:placements")
        self._load()

    # the replay (loading is placements_world._Loader) ----------------------------------------------------

    def push(self, at: dt.datetime, kind: str, payload: Any) -> None:
        self.seq += 1
        heapq.heappush(self.heap, (at, self.seq, kind, payload))

    def add(self, label: str, **values: Any) -> Row:
        row = factory(label)(**values)
        row.id = self.ids.next(row.model)
        self.rows.setdefault(label, []).append(row)
        return row

    def update(self, cap: _Cap, kind: str, at: dt.datetime) -> None:
        manager = self.facilities[cap.facility].manager
        self.add(
            "facilities.VacancyUpdate",
            capacity_id=cap.id,
            kind=kind,
            beds=cap.beds,
            vacant=cap.vacant,
            held=cap.held,
            as_of=at,
            recorded_at=at,
            recorded_by_id=manager,
        )

    def run(self) -> None:
        for f in self.facilities.values():
            for cap in f.caps.values():
                self.update(cap, "reported", self.start)
        for case in self._cases():
            rng = random.Random(f"{self.seed}:{self.year}:arrival:{case.id}")
            arrival = case.opened + H * rng.uniform(*ARRIVAL_HOURS)
            if arrival < self.now - H and (case.closed is None or arrival < case.closed - DAY):
                self.push(arrival, "arrive", case)
        while self.heap:
            at, _seq, kind, payload = heapq.heappop(self.heap)
            getattr(self, f"on_{kind}")(at, *payload) if isinstance(payload, tuple) else getattr(
                self, f"on_{kind}"
            )(at, payload)
        stays = [
            (p.discharged_at - p.admitted_at).total_seconds() / 86400
            for p in self.rows.get("facilities.Placement", [])
            if p.discharged_at is not None
        ]
        self.stats.average_stay_days = sum(stays) / len(stays) if stays else 0.0

    def _order(self, case: _Case) -> list[_Facility]:
        """The centres to try: the case's own one weighted OWN_CENTRE_WEIGHT, the others by free places."""
        own = self.by_agency[case.agency]
        if own.type != "crisis_centre":
            return [own]
        rng = self.rng
        keyed = []
        centres = self.crisis_by_region.get(own.region, [own])
        if case.place_type == "men":
            centres = self.adaptation_by_region.get(own.region, [])
        for f in centres:
            cap = f.caps.get(case.place_type)
            if cap is None:
                continue
            weight = (OWN_CENTRE_WEIGHT if f is own else 1.0) * (1 + max(cap.vacant - cap.held, 0))
            keyed.append((rng.random() ** (1 / weight), f.id, f))
        return [f for _k, _i, f in sorted(keyed, key=lambda k: (-k[0], k[1]))]

    def on_arrive(self, at: dt.datetime, case: _Case) -> None:
        case.attempts += 1
        for f in self._order(case):
            cap = f.caps.get(case.place_type)
            if cap is None:
                continue
            fits = cap.vacant - cap.held >= case.places
            if f.agency == case.agency:
                if fits:
                    self.admit(at, case, f, None)
                    return
                continue
            request = self.request(at, case, f, accepted=fits)
            if request is None:
                continue
            if fits:
                return
        self.wait(at, case)

    def wait(self, at: dt.datetime, case: _Case) -> None:
        own = self.by_agency[case.agency]
        rng = self.rng
        retry = at + DAY * rng.uniform(*RETRY_DAYS)
        give_up = case.attempts > RETRIES or retry > self.now - H
        if case.closed is not None and retry > case.closed - DAY:
            give_up = True
        if case.waiting is None and not give_up and case.place_type in own.caps:
            case.waiting = self.add(
                "facilities.WaitingEntry",
                facility_id=own.id,
                case_id=case.id,
                place_type=case.place_type,
                children=json.dumps(case.kids),
                urgent=rng.random() < 0.25,
                note="",
                added_by_id=case.worker,
                added_at=at,
                removed_at=None,
                removed_by_id=None,
                removal="",
            )
            self.stats.waiting += 1
        if give_up:
            self.stats.not_placed += 1
            self.leave_list(case, at, "withdrawn", case.worker)
            return
        self.push(retry, "arrive", case)

    def leave_list(self, case: _Case, at: dt.datetime, removal: str, by: int) -> None:
        if case.waiting is not None and case.waiting.removed_at is None:
            case.waiting.removed_at, case.waiting.removed_by_id, case.waiting.removal = at, by, removal

    def rule(self, type_: str, day: dt.date) -> Any:
        for rule in self.rules:
            if (
                rule.facility_type == type_
                and rule.effective_from <= day
                and (rule.effective_to is None or day < rule.effective_to)
            ):
                return rule
        raise ValueError(f"No stay rule for {type_} on {day}.")

    def request(self, at: dt.datetime, case: _Case, f: _Facility, *, accepted: bool) -> Row | None:
        """A placement request to another centre (a shelter referral), answered at `at`."""
        rng = self.rng
        requested = max(case.opened + 0.1 * H, at - H * rng.uniform(*ANSWER_HOURS))
        rule = self.rule(f.type, timezone.localdate(requested))
        consent = self.consent(case, f, requested)
        referral = self.add(
            "cases.Referral",
            case_id=case.id,
            to_agency_id=f.agency,
            purpose_id=self.purpose.pk,
            status="accepted" if accepted else "declined",
            note=REQUEST_NOTE,
            consent_id=consent.id,
            legal_mandate="",
            mandate_reason="",
            requested_by_id=case.worker,
            requested_at=requested,
            decided_by_id=f.manager,
            decided_at=at,
            decline_reason="" if accepted else "No free place of this type at the facility.",
            ended_by_id=None,
            ended_at=None,
            end_reason="",
            grant_id=None,
        )
        request = self.add(
            "facilities.PlacementRequest",
            case_id=case.id,
            facility_id=f.id,
            referral_id=referral.id,
            place_type=case.place_type,
            children=json.dumps(case.kids),
            needs_accessibility=json.dumps([]),
            note=REQUEST_NOTE,
            status="accepted" if accepted else "declined",
            rule_id=rule.pk,
            answer_due=requested + rule.answer_within,
            requested_by_id=case.worker,
            requested_at=requested,
            decided_by_id=f.manager,
            decided_at=at,
            decline_reason="" if accepted else "no_capacity",
            decline_note="",
        )
        status = "accepted" if accepted else "declined (no free place)"
        self.stats.requests[status] = self.stats.requests.get(status, 0) + 1
        if not accepted:
            self.stats.turn_aways += 1
            return request
        expires = min(at + DAY * self.purpose.access_days, consent.expires_at)
        grant = self.add(
            "core.Grant",
            content_type_id=self.case_type,
            object_id=case.id,
            agency_id=f.agency,
            user_id=None,
            purpose=self.purpose.code,
            sections=json.dumps(sorted(set(self.purpose.sections))),
            actions=json.dumps({"view": True}),
            reason=f"REF-{referral.id:06d} ({self.purpose.code})",
            granted_by_id=case.worker,
            granted_at=at,
            expires_at=expires,
            revoked_at=None,
            revoked_by_id=None,
            revoke_reason="",
        )
        referral.grant_id = grant.id
        cap = f.caps[case.place_type]
        cap.held += case.places
        self.update(cap, "hold", at)
        hold = self.add(
            "facilities.BedHold",
            capacity_id=cap.id,
            request_id=request.id,
            places=case.places,
            held_by_id=f.manager,
            held_at=at,
            expires_at=at + rule.hold,
            released_at=None,
            release="",
        )
        self.stats.holds += 1
        payload = (case, f, request, referral, grant, hold)
        if rng.random() < LAPSED_HOLD_SHARE and at + rule.hold < self.now:
            self.push(at + rule.hold, "lapse", payload)
        else:  # arrives under the hold, and never after now (a demo of the current year)
            arrives = at + H * rng.uniform(*ADMIT_AFTER_ACCEPT_HOURS)
            self.push(min(arrives, at + (self.now - at) / 2), "admit", payload)
        return request

    def consent(self, case: _Case, f: _Facility, requested: dt.datetime) -> Row:
        from qorgau.people.models import ConsentRule

        granted = max(case.opened + 0.05 * H, requested - H * self.rng.uniform(0.05, 1))
        day = timezone.localdate(granted)
        if day not in self.consent_days:
            self.consent_days[day] = ConsentRule.effective(day).max_days
        return self.add(
            "people.Consent",
            person_id=case.victim,
            purpose=self.purpose.consent_purpose,
            receiving_agency_id=f.agency,
            granted_at=granted,
            expires_at=granted + DAY * self.consent_days[day],
            withdrawn_at=None,
            withdrawal_reason="",
            notes="Consent to share the case with the crisis centre for a safe place, signed.",
            recording_agency_id=case.agency,
            recorded_by_id=case.worker,
            created_at=granted,
        )

    def on_lapse(self, at: dt.datetime, case: _Case, f: _Facility, request: Row, *rows: Row) -> None:
        referral, grant, hold = rows
        cap = f.caps[case.place_type]
        cap.held -= case.places
        self.update(cap, "release", at)
        hold.released_at, hold.release = at, "lapsed"
        request.status = "lapsed"
        referral.status, referral.ended_at, referral.ended_by_id = "revoked", at, case.worker
        referral.end_reason = "The person did not arrive while the place was held."
        grant.revoked_at, grant.revoked_by_id, grant.revoke_reason = at, case.worker, referral.end_reason
        self.stats.requests["lapsed"] = self.stats.requests.get("lapsed", 0) + 1
        self.stats.requests["accepted"] -= 1
        retry = at + DAY
        if retry < self.now - H and (case.closed is None or retry < case.closed - DAY):
            self.push(retry, "arrive", case)
        else:
            self.stats.not_placed += 1
            self.leave_list(case, at, "withdrawn", case.worker)

    def on_admit(self, at: dt.datetime, case: _Case, f: _Facility, request: Row, *rows: Row) -> None:
        referral, grant, hold = rows
        hold.released_at, hold.release = at, "admitted"
        request.status = "admitted"
        self.stats.requests["admitted"] = self.stats.requests.get("admitted", 0) + 1
        self.stats.requests["accepted"] -= 1
        self.admit(at, case, f, (request, referral, grant))

    def admit(self, at: dt.datetime, case: _Case, f: _Facility, via: tuple[Row, Row, Row] | None) -> None:
        rng = random.Random(f"{self.seed}:{self.year}:stay:{case.id}")
        cap = f.caps[case.place_type]
        cap.vacant -= case.places
        if via is not None:
            cap.held -= case.places
        self.update(cap, "admission", at)
        day = timezone.localdate(at)
        rule = self.rule(f.type, day)
        limit = rule.latest_end(day) or (day + dt.timedelta(days=90))
        end = at + DAY * case.stay_days
        if case.closed is not None:
            end = min(end, max(case.closed - DAY * rng.uniform(0, 2), at + DAY))
        outcome = rng.choices([o for o, _w in OUTCOMES], [w for _o, w in OUTCOMES])[0]
        extension: tuple[dt.date, str] | None = None
        if timezone.localdate(end) > limit:
            if rng.random() < EXTENDED_AT_LIMIT_SHARE:
                extension = (timezone.localdate(end) + dt.timedelta(days=rng.randint(0, 10)), "")
                outcome = "completed"
            else:
                end = max(at + DAY, _noon(limit))
                outcome = "limit"
                self.stats.at_limit += 1
        current = end >= self.now
        placement = self.add(
            "facilities.Placement",
            case_id=case.id,
            facility_id=f.id,
            capacity_id=cap.id,
            request_id=via[0].id if via else None,
            children=json.dumps(case.kids),
            places=case.places,
            admitted_at=at,
            admitted_by_id=f.manager,
            planned_end=limit,
            rule_id=rule.pk,
            discharged_at=None,
            discharged_by_id=None,
            destination="",
            outcome="",
            discharge_note="",
        )
        if extension is not None:
            new_end = max(extension[0], limit + dt.timedelta(days=14))
            self.add(
                "facilities.PlacementExtension",
                placement_id=placement.id,
                previous_end=limit,
                new_end=new_end,
                reason=rng.choice(EXTENSION_REASONS),
                extended_by_id=f.manager,
                extended_at=min(_noon(limit) - DAY * rng.uniform(2, 20), self.now - H),
            )
            placement.planned_end = new_end
            self.stats.extensions += 1
        stats = self.stats
        stats.placements += 1
        if f.type == "adaptation_centre":
            stats.men_adaptation += 1
        if f.type == "crisis_centre":
            stats.crisis_clients += 1
            stats.with_children += bool(case.kids)
            stats.children += len(case.kids)
        removal = "admitted" if case.waiting is not None and case.waiting.facility_id == f.id else "elsewhere"
        self.leave_list(case, at, removal, f.manager if removal == "admitted" else case.worker)
        if current:
            stats.current += 1
            return
        destination = rng.choices([d for d, _w in DESTINATIONS], [w for _d, w in DESTINATIONS])[0]
        if outcome == "transferred":
            destination = "other_facility"
        self.push(end, "discharge", (placement, cap, destination, outcome, via))

    def on_discharge(
        self, at: dt.datetime, placement: Row, cap: _Cap, destination: str, outcome: str, via: Any
    ) -> None:
        cap.vacant += placement.places
        self.update(cap, "discharge", at)
        placement.discharged_at, placement.discharged_by_id = at, self.facilities[cap.facility].manager
        placement.destination, placement.outcome = destination, outcome
        placement.discharge_note = DISCHARGE_NOTE if "other" in (destination, outcome) else ""
        if via is not None:
            _request, referral, grant = via
            by = self.facilities[cap.facility].manager
            referral.status, referral.ended_at, referral.ended_by_id = "completed", at, by
            referral.end_reason = "discharged"
            grant.revoked_at, grant.revoked_by_id, grant.revoke_reason = at, by, "discharged"

    # writing --------------------------------------------------------------------------------------------

    def flush(self) -> None:
        from django.apps import apps

        from .cases import _reset_sequences

        self._today()
        order = (
            "people.Consent",
            "core.Grant",
            "cases.Referral",
            "facilities.PlacementRequest",
            "facilities.BedHold",
            "facilities.Placement",
            "facilities.PlacementExtension",
            "facilities.WaitingEntry",
            "facilities.VacancyUpdate",
        )
        self.stats.updates = len(self.rows.get("facilities.VacancyUpdate", []))
        for label in order:
            insert_rows(apps.get_model(label), self.rows.pop(label, []))
        _reset_sequences(self.ids)

    def _today(self) -> None:
        """Stays still running today: today's counts take them (the reported count never says more free
        places than the stays leave)."""
        from qorgau.facilities.models import Capacity, VacancyUpdate

        if not self.stats.current:
            return
        taken: dict[int, int] = {}
        for p in self.rows.get("facilities.Placement", []):
            if p.discharged_at is None:
                taken[p.capacity_id] = taken.get(p.capacity_id, 0) + p.places
        for capacity in Capacity.objects.filter(pk__in=list(taken)):
            vacant = max(0, min(capacity.vacant, capacity.beds - taken[capacity.pk]))
            if vacant == capacity.vacant:
                continue
            VacancyUpdate.objects.filter(capacity=capacity, as_of=capacity.as_of).update(vacant=vacant)
            capacity.vacant, capacity.held = vacant, 0
            capacity.save(update_fields=["vacant", "held"])


__all__ = ["PlacementStats", "generate_placements"]
