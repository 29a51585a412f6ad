"""Audited person look-ups. Every search by IIN or name writes an audit row; IIN look-ups are limited.

Why: an IIN is the one thing an abuser in an agency knows for certain about his partner. Whatever the
register answers, a look-up by IIN is recorded; when the IIN belongs to a record of another agency, the
row names that record's owner, so the owner's auditor sees who looked. One user looking up many
different IINs in a short time is flagged for the auditors (`person.iin_lookup_flagged`) and, past the
limit, refused for the rest of the window, whether or not the IINs are known (the refusal must not
become an oracle either).

Names and IINs never enter the audit row: it holds the kinds of criteria, the number and ids of the
results (all within the searcher's scope) and `iin_ref`, a prefix of the IIN's keyed hash that lets
an auditor find every look-up of one IIN without the log holding the IIN.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from qorgau.core.audit import record
from qorgau.core.middleware import current_request_context
from qorgau.core.models import User
from qorgau.core.ratelimit import RateLimited, limits_apply, recent_events, retry_after

from .iin import hash_iin, normalize_iin
from .models import Person
from .queries import likely_duplicates, search_persons

LOOKUP = "person.iin_lookup"
FLAGGED = "person.iin_lookup_flagged"
REFUSED = "person.iin_lookup_refused"
RESULT_IDS_KEPT = 50


def _window() -> dt.timedelta:
    return dt.timedelta(seconds=settings.IIN_LOOKUP_WINDOW_SECONDS)


def iin_ref(iin: str) -> str:
    return hash_iin(iin)[:16]


def identity_by_iin(iin: str, *, lock: bool = False) -> Person | None:
    """The identity record of this IIN in the whole register (not scoped: for audit and linking only,
    never shown to the caller). `lock` holds its row until the transaction ends (SELECT ... FOR UPDATE),
    so that concurrent registrations of one IIN take turns."""
    persons = Person.objects.select_for_update() if lock else Person.objects.all()
    return persons.filter(iin_hash=hash_iin(iin), linked_to__isnull=True).first()


def note_iin_lookup(actor: User, iin: str, *, context: str) -> None:
    """Record a look-up of `iin` by `actor` (`context`: what asked, e.g. 'search', 'register'), or refuse it.

    Counts distinct IINs in the window: repeating a search of the same IIN (a form re-rendered) is not
    many look-ups. Raises RateLimited past IIN_LOOKUP_LIMIT; the first refusal in a window is audited.
    """
    window = _window()
    limit = settings.IIN_LOOKUP_LIMIT
    flag_at = settings.IIN_LOOKUP_FLAG
    ref = iin_ref(iin)
    recent = recent_events(actor, LOOKUP, window)
    ctx = current_request_context()
    if ctx is not None and recent.filter(request_id=ctx.request_id, changes__iin_ref=ref).exists():
        return  # noted earlier in this request (the API notes inline IINs before its transaction)
    refs = set(recent.values_list("changes__iin_ref", flat=True))
    limited = limits_apply()  # not while the demo command loads synthetic persons
    if limited and ref not in refs and len(refs) >= limit:
        if not recent_events(actor, REFUSED, window).exists():
            record(actor=actor, action=REFUSED, changes={"distinct_iins": len(refs), "limit": limit})
        raise RateLimited(
            _(
                "You have looked up %(n)d different IINs within the last hour, the most allowed. Try "
                "again later; your agency's auditor has been informed."
            )
            % {"n": len(refs)},
            retry_after=retry_after(recent, window),
        )
    identity = identity_by_iin(iin)
    record(
        actor=actor,
        action=LOOKUP,
        object_type="people.person" if identity else "",
        object_id=identity.pk if identity else "",
        subject=identity,
        changes={"context": context, "iin_ref": ref},
    )
    if limited and ref not in refs and len(refs) + 1 == flag_at:
        record(
            actor=actor,
            action=FLAGGED,
            changes={"distinct_iins": flag_at, "window_seconds": int(window.total_seconds())},
        )


def find_persons(
    actor: Any,
    *,
    iin: str | None = None,
    name: str | None = None,
    birth_year: int | None = None,
    context: str = "search",
    limit: int | None = None,
) -> list[Person]:
    """Search persons within the actor's scope (queries.search_persons), audited as `person.search`.

    Returns at most `limit` rows (all when None). Raises RateLimited (IIN look-ups only).
    """
    iin = normalize_iin(iin or "")
    if iin:
        note_iin_lookup(actor, iin, context=context)
    qs: QuerySet[Person] = search_persons(actor, iin=iin, name=name, birth_year=birth_year).select_related(
        "region", "district"
    )
    rows = list(qs[:limit] if limit is not None else qs)
    criteria = [key for key, value in (("iin", iin), ("name", name), ("birth_year", birth_year)) if value]
    record(
        actor=actor,
        action="person.search",
        object_type="people.person",
        changes={
            "context": context,
            "by": criteria,
            "results": len(rows),
            "ids": [p.pk for p in rows[:RESULT_IDS_KEPT]],
            **({"iin_ref": iin_ref(iin)} if iin else {}),
        },
    )
    return rows


def find_likely_duplicates(
    actor: Any, *, surname: str, given_name: str, birth_date: dt.date | None, context: str = "register"
) -> list[Person]:
    """queries.likely_duplicates, audited like a search (`person.search`, by name and birth date)."""
    rows = likely_duplicates(actor, surname, given_name, birth_date)
    if birth_date is not None and (surname or given_name):
        record(
            actor=actor,
            action="person.search",
            object_type="people.person",
            changes={
                "context": f"{context}:duplicates",
                "by": ["name", "birth_date"],
                "results": len(rows),
                "ids": [p.pk for p in rows],
            },
        )
    return rows
