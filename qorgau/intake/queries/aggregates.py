"""Counts of signals that other apps read (the prevention evaluation, the insights dashboards, open data,
the family map's safety domain): aggregates in the user's scope, never a row to a page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from qorgau.core.aggregates import HoursBetween, Slice, conditional_counts, percentile
from qorgau.core.models import User
from qorgau.core.permissions import in_scope

from ..models import (
    FORM_FIELDS,
    Channel,
    OffenderRelationship,
    OrderStatus,
    Outcome,
    OutcomeKind,
    PartyRelationship,
    PartyRole,
    ProtectiveOrder,
    Signal,
    SignalParty,
    SignalStatus,
    ViolenceForm,
    as_local_date,
)


def daily_counts_by_region(
    user: User,
    since: dt.date,
    until: dt.date,
    *,
    regions: Any = None,
    channel: str | None = None,
) -> dict[tuple[int, dt.date], int]:
    """{(region id, local date received): signals} within the user's scope (no grants: a shared signal is
    its owner's figure), for the prevention evaluation. Counts, never rows; `until` exclusive."""
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(until, dt.time.min))
    rows = Signal.objects.visible_to(user, grants=False).filter(received_at__gte=start, received_at__lt=end)
    if regions is not None:
        rows = rows.filter(region__in=regions)
    if channel:
        rows = rows.filter(channel=channel)
    grouped = (
        rows.annotate(day=TruncDate("received_at")).values("region", "day").annotate(n=Count("id")).order_by()
    )
    return {(row["region"], row["day"]): row["n"] for row in grouped}


# --- aggregates for the insights dashboards (counts only, never a row) ------------------------------------


def _aggregate_base(user: Any, part: Slice) -> QuerySet[Signal]:
    """Signals of `user`'s scope in the slice. The caller checks the right to see aggregates
    (insights.view); what is counted is what the user's scope reaches (core.permissions.in_scope)."""
    rows = in_scope(Signal.objects.all(), Signal.scope, user).filter(
        received_at__gte=part.start, received_at__lt=part.end
    )
    if part.regions is not None:
        rows = rows.filter(region__in=sorted(part.regions))
    if part.district:
        rows = rows.filter(district=part.district)
    if part.channel:
        rows = rows.filter(channel=part.channel)
    if part.form:
        rows = rows.filter(**{FORM_FIELDS[part.form]: True})
    if part.relationship:
        pairs = PartyRelationship.objects.filter(signal=OuterRef("pk"), relationship=part.relationship)
        rows = rows.filter(Exists(pairs))
    return rows


def _party_counts(signals: QuerySet[Signal]) -> dict[str, tuple[int, int]]:
    """Per role (victim, offender, child): (persons named in `signals`, of them in two signals or more), in
    one statement: the persons per role are grouped by the database, then counted per role."""
    roles = [PartyRole.VICTIM, PartyRole.OFFENDER, PartyRole.CHILD]
    persons = (
        SignalParty.objects.filter(signal__in=signals, role__in=roles)
        .values("role", "person")
        .annotate(n=Count("pk"))  # (signal, person, role) is unique: rows are distinct signals
        .order_by()
    )
    inner, params = persons.query.sql_with_params()
    # `inner` is the ORM's own SQL with its parameters kept apart: nothing of the caller enters the text.
    sql = f"SELECT role, COUNT(*), SUM(CASE WHEN n > 1 THEN 1 ELSE 0 END) FROM ({inner}) t GROUP BY role"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = {role: (total, repeat or 0) for role, total, repeat in cursor.fetchall()}
    return {role: found.get(role, (0, 0)) for role in roles}


def signal_figures(user: Any, part: Slice, at: dt.datetime | None = None) -> dict[str, Any]:
    """The signal tiles of a dashboard for `part` of `user`'s scope, in a fixed number of queries (five):
    one pass grouped by channel and outcome with the conditional counts, the hours to an outcome as a
    histogram, the parties per role, the year before."""
    at = at or timezone.now()
    rows = _aggregate_base(user, part)
    open_ = ~Q(status=SignalStatus.CLOSED)
    late = open_ & (Q(outcome_due__lt=at) | Q(first_contact_at__isnull=True, first_contact_due__lt=at))
    orders = Outcome.objects.filter(
        signal=OuterRef("pk"), kind=OutcomeKind.PROTECTIVE_ORDER, superseded_at__isnull=True
    )
    grouped = (
        rows.values("channel", "outcome__kind")
        .annotate(
            n=Count("pk"),
            open=Count("pk", filter=open_),
            overdue=Count("pk", filter=late),
            children_present=Count("pk", filter=Q(children_present=True)),
            orders=Count("pk", filter=Exists(orders)),
        )
        .order_by()
    )
    totals = {"total": 0, "open": 0, "overdue": 0, "children_present": 0}
    channels: dict[str, int] = {}
    outcomes: dict[str, int] = {OutcomeKind.PROTECTIVE_ORDER: 0}
    for row in grouped:
        totals["total"] += row["n"]
        for name in ("open", "overdue", "children_present"):
            totals[name] += row[name]
        channels[row["channel"]] = channels.get(row["channel"], 0) + row["n"]
        if row["outcome__kind"]:
            outcomes[row["outcome__kind"]] = outcomes.get(row["outcome__kind"], 0) + row["n"]
        outcomes[OutcomeKind.PROTECTIVE_ORDER] += row["orders"]
    hours = (
        rows.filter(closed_at__isnull=False)
        .annotate(h=HoursBetween("received_at", "closed_at"))
        .values_list("h")
        .annotate(n=Count("pk"))
        .order_by()
    )
    histogram = list(hours)
    parties = _party_counts(rows)
    return {
        **totals,
        "previous_year": _aggregate_base(user, part.shifted(years=1)).count(),
        "channels": channels,
        "outcomes": outcomes,
        "hours_median": percentile(histogram, 0.5),
        "hours_p90": percentile(histogram, 0.9),
        "victims": parties[PartyRole.VICTIM][0],
        "repeat_victims": parties[PartyRole.VICTIM][1],
        "offenders": parties[PartyRole.OFFENDER][0],
        "repeat_offenders": parties[PartyRole.OFFENDER][1],
        "children": parties[PartyRole.CHILD][0],
    }


def signals_by_region(user: Any, part: Slice, at: dt.datetime | None = None) -> dict[int, dict[str, int]]:
    """Per region id: signals, signals with children present, and signals open past a deadline at `at`,
    for `part` of `user`'s scope (one query)."""
    at = at or timezone.now()
    open_ = ~Q(status=SignalStatus.CLOSED)
    late = open_ & (Q(outcome_due__lt=at) | Q(first_contact_at__isnull=True, first_contact_due__lt=at))
    rows = (
        _aggregate_base(user, part)
        .values("region")
        .annotate(
            signals=Count("pk"),
            children=Count("pk", filter=Q(children_present=True)),
            overdue=Count("pk", filter=late),
        )
        .order_by()
    )
    return {
        row["region"]: {"signals": row["signals"], "children": row["children"], "overdue": row["overdue"]}
        for row in rows
    }


def signals_by_period(
    user: Any, part: Slice, periods: Sequence[tuple[dt.datetime, dt.datetime]]
) -> list[int]:
    """Signal counts of `user`'s scope per period (months of a trend), in one query."""
    if not periods:
        return []
    rows = _aggregate_base(user, part.with_period(periods[0][0], periods[-1][1]))
    counts = rows.aggregate(**conditional_counts(periods, "received_at"))
    return [counts[f"p{i}"] for i in range(len(periods))]


def public_signal_counts(
    periods: Sequence[tuple[dt.datetime, dt.datetime]],
) -> dict[int, list[int]]:
    """Signal counts of the whole register per region id and period, for the public open-data page: no
    user, no filter, aggregates only (the page suppresses small cells before anything is shown)."""
    if not periods:
        return {}
    rows = Signal.objects.filter(received_at__gte=periods[0][0], received_at__lt=periods[-1][1])
    result: dict[int, list[int]] = {}
    counted: Any = rows.values("region").annotate(**conditional_counts(periods, "received_at")).order_by()
    for row in counted:
        result[row["region"]] = [row[f"p{i}"] for i in range(len(periods))]
    return result


def aggregate_filter_choices() -> dict[str, list[tuple[str, Any]]]:
    """The choices of the dashboards' filters (channel, form of violence, relationship), for readers that
    may import this module only (insights)."""
    return {
        "channel": list(Channel.choices),
        "form": list(ViolenceForm.choices),
        "relationship": list(OffenderRelationship.choices),
        "outcome": list(OutcomeKind.choices),
    }


def family_map_safety_rows(user: User, at: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Qorgau's own safety inputs of the family map (familymap's refresh exports them to Parquet).

    One row per victim or alleged offender of a signal the user sees by their own scope (no grants: a
    national figure is its owners'): the party's IIN as a 64-bit integer (parties without an IIN are left
    out: the family map links on it), role, the day the signal was received, whether children were present,
    the signal's latest outcome kind, and whether a protective order naming the person (as offender or
    victim) is in force at `at`. Three queries whatever the number of rows.
    """
    from qorgau.people.iin import decrypt_iin

    at = at or timezone.now()
    parties = (
        SignalParty.objects.visible_to(user, "view", grants=False)
        .filter(role__in=[PartyRole.VICTIM, PartyRole.OFFENDER])
        .exclude(person__iin_encrypted="")
        .values_list(
            "id",
            "signal_id",
            "person_id",
            "role",
            "signal__received_at",
            "signal__children_present",
            "person__iin_encrypted",
        )
    )
    rows = list(parties)
    signal_ids = {row[1] for row in rows}
    latest: dict[int, str] = {}
    for signal_id, kind in (
        Outcome.objects.filter(signal_id__in=signal_ids)
        .order_by("signal_id", "recorded_at", "id")
        .values_list("signal_id", "kind")
    ):
        latest[signal_id] = kind
    in_force = ProtectiveOrder.objects.filter(
        signal_id__in=signal_ids, status=OrderStatus.ACTIVE, served_at__lte=at, expires_at__gt=at
    )
    protected: set[tuple[int, int]] = set()
    for signal_id, offender_id, victim_id in in_force.values_list("signal_id", "offender_id", "victims"):
        protected.add((signal_id, offender_id))
        if victim_id:
            protected.add((signal_id, victim_id))
    return [
        {
            "record_id": f"party-{party_id}",
            "iin": int(decrypt_iin(token)),
            "party_role": role,
            "date": as_local_date(received),
            "children_present": children,
            "outcome": latest.get(signal_id, ""),
            "order_in_force": (signal_id, person_id) in protected,
        }
        for party_id, signal_id, person_id, role, received, children, token in rows
    ]
