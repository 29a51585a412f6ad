"""Reads of the offender track that pages, the API, the home queues and other apps share.

Every read of a person's record starts from `visible_to(user)`; aggregates (re-offending, the attrition
funnel, unexecuted court decisions) start from `in_scope(..., grants=False)`-style scope reads and return
counts, never rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from qorgau.core.permissions import in_scope
from qorgau.facilities.models import Facility, FacilityType
from qorgau.intake.models import PartyRole, Signal, SignalParty

from . import workflow
from .models import (
    Attendance,
    PartnerContact,
    Programme,
    ProgrammeReferral,
    ProgrammeSession,
    ProgrammeStatus,
    TreatmentReferral,
    TreatmentStep,
)

HALF_YEAR = dt.timedelta(days=182)
YEAR = dt.timedelta(days=365)


# --- lists and queues ---------------------------------------------------------------------------------


def treatment_referrals(user: Any) -> QuerySet[TreatmentReferral]:
    return TreatmentReferral.objects.visible_to(user, "view").select_related(
        "region", "agency", "owed_agency", "offender", "signal", "facility"
    )


def treatment_detail(user: Any) -> QuerySet[TreatmentReferral]:
    return (
        treatment_referrals(user)
        .select_related("health_agency", "step_rule")
        .prefetch_related("steps__agency")
    )


def overdue_steps(user: Any) -> QuerySet[TreatmentReferral]:
    """The treatment steps the user's agency owes and has let pass their deadline, oldest first."""
    agency = getattr(user, "agency_id", None)
    return (
        TreatmentReferral.objects.visible_to(user, "view", grants=False)
        .filter(owed_agency_id=agency, step_due__lt=timezone.now())
        .exclude(status__in=workflow.TERMINAL)
        .select_related("owed_agency")
        .order_by("step_due", "id")
    )


def steps_owed(user: Any) -> QuerySet[TreatmentReferral]:
    agency = getattr(user, "agency_id", None)
    return (
        TreatmentReferral.objects.visible_to(user, "view", grants=False)
        .filter(owed_agency_id=agency)
        .exclude(status__in=workflow.TERMINAL)
        .order_by("step_due", "id")
    )


def programme_referrals(user: Any) -> QuerySet[ProgrammeReferral]:
    return ProgrammeReferral.objects.visible_to(user, "view").select_related(
        "programme__agency", "offender", "region", "referring_agency"
    )


def programme_referral_detail(user: Any) -> QuerySet[ProgrammeReferral]:
    return (
        programme_referrals(user)
        .select_related("rule", "instrument", "signal", "requirement")
        .prefetch_related("attendance")
    )


def provider_intake(user: Any) -> QuerySet[ProgrammeReferral]:
    """New referrals to the user's agency's programmes, by the first-contact deadline."""
    return (
        ProgrammeReferral.objects.visible_to(user, "programme", grants=False)
        .filter(programme__agency_id=getattr(user, "agency_id", None), status=ProgrammeStatus.REFERRED)
        .order_by("contact_due", "id")
    )


def absences_to_follow(user: Any) -> QuerySet[ProgrammeSession]:
    """Unacceptable absences of offenders the user's agency referred, not yet seen by an inspector."""
    return (
        ProgrammeSession.objects.visible_to(user, "refer", grants=False)
        .filter(
            attendance=Attendance.UNACCEPTABLE,
            inspector_seen_at__isnull=True,
            referral__referring_agency_id=getattr(user, "agency_id", None),
        )
        .select_related("referral")
        .order_by("held_on", "id")
    )


def partner_contacts(user: Any) -> QuerySet[PartnerContact]:
    """Contacts offered to the user's cases and safety reviews due after a drop-out, most urgent first."""
    return (
        PartnerContact.objects.visible_to(user, "partner", grants=False)
        .filter(Q(status="offered") | Q(safety_review_due__isnull=False, safety_reviewed_at__isnull=True))
        .select_related("case")
        .order_by("safety_review_due", "offered_at", "id")
    )


def programmes_offered(user: Any) -> QuerySet[Programme]:
    """The programmes a referrer may choose: the active catalogue of the user's work regions."""
    from qorgau.core.models import work_regions

    return Programme.objects.filter(is_active=True, agency__region__in=work_regions(user)).select_related(
        "agency"
    )


def drug_treatment_facilities(region_id: int) -> QuerySet[Facility]:
    """Drug treatment facilities of a region (names only: no address ever leaves facilities)."""
    return Facility.objects.filter(type=FacilityType.DRUG_TREATMENT, is_active=True, region_id=region_id)


def signal_offenders(signal: Signal) -> list[SignalParty]:
    return list(
        SignalParty.objects.filter(signal=signal, role=PartyRole.OFFENDER)
        .select_related("person")
        .order_by("id")
    )


# --- aggregates -------------------------------------------------------------------------------------


def unexecuted_decisions(user: Any) -> list[dict[str, Any]]:
    """Court decisions on compulsory treatment not carried out, by region and reason (counts): the demand
    for treatment beds that network planning reads."""
    rows = (
        in_scope(TreatmentReferral.objects.all(), TreatmentReferral.scope, user)
        .filter(status__in=workflow.UNEXECUTED)
        .values("region__code", "region__name_en", "wait_reason")
        .annotate(count=Count("id"))
        .order_by("region__code", "wait_reason")
    )
    return [dict(row) for row in rows]


def funnel(user: Any) -> list[dict[str, Any]]:
    """Attrition per programme and region: referred, assessed, started, completed, dropped out."""
    rows = (
        in_scope(ProgrammeReferral.objects.all(), ProgrammeReferral.scope, user)
        .values("programme_id", "programme__name", "region__name_en")
        .annotate(
            referred=Count("id"),
            assessed=Count("id", filter=Q(assessed_at__isnull=False)),
            started=Count("id", filter=Q(started_at__isnull=False)),
            completed=Count("id", filter=Q(status=ProgrammeStatus.COMPLETED)),
            dropped_out=Count("id", filter=Q(status=ProgrammeStatus.DROPPED_OUT)),
        )
        .order_by("region__name_en", "programme__name")
    )
    return [dict(row) for row in rows]


@dataclass
class Reoffending:
    """Re-offending of one group: persons, and those with a new signal as alleged offender in each window.

    `eligible_6`/`eligible_12`: persons whose 6 or 12 months after the end have passed (only they count)."""

    group: str
    label: Any = ""  # set by the page (a translated name of the group)
    persons: int = 0
    before: int = 0  # persons with a signal in the 6 months before the referral
    signals_before: int = 0
    eligible_6: int = 0
    after_6: int = 0
    signals_6: int = 0
    eligible_12: int = 0
    after_12: int = 0
    signals_12: int = 0
    strata: set[tuple[Any, ...]] = field(default_factory=set, repr=False)

    def rate(self, window: int) -> float | None:
        eligible, hit = (self.eligible_6, self.after_6) if window == 6 else (self.eligible_12, self.after_12)
        return round(100 * hit / eligible, 1) if eligible else None

    @property
    def rate_6(self) -> float | None:
        return self.rate(6)

    @property
    def rate_12(self) -> float | None:
        return self.rate(12)

    @property
    def rate_before(self) -> float | None:
        return round(100 * self.before / self.persons, 1) if self.persons else None


def _offender_signals(user: Any, person_ids: set[int]) -> dict[int, list[dt.datetime]]:
    """When each person was an alleged offender in a signal of the user's scope (the register)."""
    signals = in_scope(Signal.objects.all(), Signal.scope, user)
    times: dict[int, list[dt.datetime]] = defaultdict(list)
    rows = SignalParty.objects.filter(
        role=PartyRole.OFFENDER, person_id__in=person_ids, signal__in=signals.values("pk")
    ).values_list("person_id", "signal__received_at")
    for person, at in rows:
        times[person].append(at)
    return times


def _count(
    group: Reoffending, times: list[dt.datetime], start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> None:
    """Add one person to `group`: signals before `start`, and after `end` (the signal that led to the
    referral is before `start` or at it, never after the end)."""
    group.persons += 1
    before = [t for t in times if start - HALF_YEAR <= t < start]
    group.signals_before += len(before)
    group.before += bool(before)
    for months, span in ((6, HALF_YEAR), (12, YEAR)):
        if end + span > now:
            continue
        after = [t for t in times if end < t <= end + span]
        if months == 6:
            group.eligible_6 += 1
            group.after_6 += bool(after)
            group.signals_6 += len(after)
        else:
            group.eligible_12 += 1
            group.after_12 += bool(after)
            group.signals_12 += len(after)


def _age_band(birth: dt.date | None, at: dt.datetime) -> str:
    if birth is None:
        return "?"
    age = (at.date() - birth).days // 365
    return "<30" if age < 30 else "30-44" if age < 45 else "45+"


def _prior_band(times: list[dt.datetime], start: dt.datetime) -> int:
    return min(2, len([t for t in times if start - HALF_YEAR <= t < start]))


def reoffending(user: Any, now: dt.datetime | None = None) -> list[Reoffending]:
    """Re-offending after a programme or treatment, by outcome, from the signals register of the user's
    scope: new signals naming the person as alleged offender in the 6 months before the referral against
    the 6 and 12 months after its end (DRIVE's police-recorded measure).

    The last group is offenders of the same scope who were never referred, matched by stratum (region,
    age band, prior signals 0/1/2+), indexed at their last signal a year or more ago. An association,
    not proof of effect: who is referred is not random.
    """
    now = now or timezone.now()
    cohort: list[tuple[str, int, dt.datetime, dt.datetime, int, dt.date | None]] = []
    programmes = in_scope(ProgrammeReferral.objects.all(), ProgrammeReferral.scope, user).filter(
        status__in=(ProgrammeStatus.COMPLETED, ProgrammeStatus.DROPPED_OUT), ended_at__isnull=False
    )
    for status, person, start, end, region, birth in programmes.values_list(
        "status", "offender_id", "referred_at", "ended_at", "region_id", "offender__birth_date"
    ):
        if end is None:
            continue
        cohort.append((f"programme_{status}", person, start, end, region, birth))
    treatments = in_scope(TreatmentReferral.objects.all(), TreatmentReferral.scope, user).filter(
        status=TreatmentStep.ENDED, ended_at__isnull=False
    )
    for outcome, person, start, end, region, birth in treatments.values_list(
        "result", "offender_id", "started_at", "ended_at", "region_id", "offender__birth_date"
    ):
        if end is None:
            continue
        cohort.append((f"treatment_{outcome}", person, start, end, region, birth))
    referred = {row[1] for row in cohort}
    referred |= set(
        in_scope(ProgrammeReferral.objects.all(), ProgrammeReferral.scope, user).values_list(
            "offender_id", flat=True
        )
    )
    referred |= set(
        in_scope(TreatmentReferral.objects.all(), TreatmentReferral.scope, user).values_list(
            "offender_id", flat=True
        )
    )
    times = _offender_signals(user, referred)
    groups: dict[str, Reoffending] = {}
    for name, person, start, end, region, birth in cohort:
        group = groups.setdefault(name, Reoffending(name))
        _count(group, times.get(person, []), start, end, now)
        group.strata.add((region, _age_band(birth, start), _prior_band(times.get(person, []), start)))
    result = [groups[k] for k in sorted(groups)]
    strata = set().union(*(g.strata for g in result)) if result else set()
    result.append(_comparison(user, referred, strata, now))
    return result


def _comparison(user: Any, referred: set[int], strata: set[tuple[Any, ...]], now: dt.datetime) -> Reoffending:
    group = Reoffending("not_referred")
    if not strata:
        return group
    signals = in_scope(Signal.objects.all(), Signal.scope, user)
    rows = (
        SignalParty.objects.filter(role=PartyRole.OFFENDER, signal__in=signals.values("pk"))
        .exclude(person_id__in=referred)
        .values_list("person_id", "signal__received_at", "signal__region_id", "person__birth_date")
    )
    by_person: dict[int, list[tuple[dt.datetime, int, dt.date | None]]] = defaultdict(list)
    for person, at, region, birth in rows:
        by_person[person].append((at, region, birth))
    for entries in by_person.values():
        entries.sort()
        indexed = [e for e in entries if e[0] + YEAR <= now]
        if not indexed:
            continue
        index, region, birth = indexed[-1]
        times = [e[0] for e in entries]
        # The index signal itself is the "referral": prior signals are those before it.
        if (region, _age_band(birth, index), _prior_band(times, index)) not in strata:
            continue
        _count(group, times, index, index, now)
    return group


def offender_reoffending(
    user: Any, person_id: int, start: dt.datetime, end: dt.datetime | None
) -> dict[str, Any]:
    """One offender's new signals as alleged offender in the 6 months before `start` and the 6 and 12
    months after `end`, in the user's scope; a window not yet passed is None."""
    times = _offender_signals(user, {person_id}).get(person_id, [])
    now = timezone.now()
    result: dict[str, Any] = {"before": len([t for t in times if start - HALF_YEAR <= t < start])}
    for key, span in (("after_6", HALF_YEAR), ("after_12", YEAR)):
        result[key] = (
            None if end is None or end + span > now else len([t for t in times if end < t <= end + span])
        )
    result["since"] = None if end is None else len([t for t in times if t > end])
    return result
