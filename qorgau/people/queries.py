"""Reads of persons and families that views, the API and other domains share. All start from visible_to."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet

from .iin import hash_iin, normalize_iin
from .models import Family, FamilyMember, NameWordsStart, NameWordsWhole, Person
from .names import fold_tokens


def name_q(name: str) -> NameWordsStart | None:
    """Every folded word of the query must start a word of the search key (any script, any case).

    A filter expression (`qs.filter(name_q(...))`): on PostgreSQL an array containment that the
    word-prefix GIN index answers (models.NameWordsStart, migration 0003); elsewhere a LIKE per word.
    """
    tokens = fold_tokens(name)
    return NameWordsStart(list(dict.fromkeys(tokens))) if tokens else None


def search_persons(
    user: Any, *, iin: str | None = None, name: str | None = None, birth_year: int | None = None
) -> QuerySet[Person]:
    """Persons `user` may see, matched exactly by IIN (via its hash), by name words and by birth year."""
    qs: QuerySet[Person] = Person.objects.visible_to(user)
    if iin and normalize_iin(iin):
        qs = qs.filter(iin_hash=hash_iin(iin))
    if name and (q := name_q(name)) is not None:
        # Whole-word matches first, then the usual order (Person.Meta.ordering).
        whole = NameWordsWhole(list(dict.fromkeys(fold_tokens(name))))
        qs = qs.filter(q).alias(name_rank=whole).order_by("-name_rank", "surname", "given_name", "id")
    if birth_year:
        # A range, not __year, so that the birth date index is used.
        qs = qs.filter(
            birth_date__gte=datetime.date(birth_year, 1, 1),
            birth_date__lt=datetime.date(birth_year + 1, 1, 1),
        )
    return qs


PAGE_SIZE = 50


def person_list(user: Any) -> QuerySet[Person]:
    """The person index, newest first: the order of the primary key, which an index serves at any size."""
    return Person.objects.visible_to(user).select_related("region", "district").order_by("-pk")


def person_page(user: Any, *, after: int | None, size: int = PAGE_SIZE) -> tuple[list[Person], int | None]:
    """One page of the index by key: the `size` newest persons with an id below `after` (the first page
    when None), and the key of the next page (None on the last). No count and no OFFSET: the database
    walks the primary key backwards from `after` and stops after size + 1 rows in scope, so page 1 and
    page 10,000 cost the same among 20 million persons."""
    qs = person_list(user)
    if after is not None:
        qs = qs.filter(pk__lt=after)
    rows = list(qs[: size + 1])
    next_key = rows[size - 1].pk if len(rows) > size else None
    return rows[:size], next_key


def families_of(user: Any, person: Person) -> QuerySet[FamilyMember]:
    """The person's memberships in families `user` may see."""
    return (
        FamilyMember.objects.visible_to(user).filter(person=person).select_related("family", "family__region")
    )


def family_list(user: Any) -> QuerySet[Family]:
    qs: QuerySet[Family] = Family.objects.visible_to(user)
    return (
        qs.select_related("region", "district").annotate(member_count=Count("memberships")).order_by("code")
    )


def visible_person_ids(user: Any, ids: list[int]) -> set[int]:
    """Which of these persons `user` may see (a family may hold members registered elsewhere)."""
    return set(Person.objects.visible_to(user, among=ids).values_list("pk", flat=True))


def identity_q(person: Person, path: str = "") -> Q:
    """Rows of `person`'s identity: its own record and the records linked to the same IIN
    (`path` prefixes the lookups, e.g. 'person__' from a SignalParty). Not a scope: combine with a
    queryset that already went through visible_to, or use where the law asks for the whole register."""
    identity = person.linked_to_id or person.pk
    return Q(**{f"{path}pk": identity}) | Q(**{f"{path}linked_to": identity})


def identity_ids(person: Person) -> list[int] | QuerySet[Any]:
    """Every record of `person`'s identity, for an `__in` lookup: a subquery (no query of its own), or
    the person alone when no other record can be linked (no IIN)."""
    if person.linked_to_id is None and not person.iin_hash:
        return [person.pk]
    return Person.objects.filter(identity_q(person)).order_by().values("pk")


DUPLICATE_LIMIT = 10


def likely_duplicates(
    actor: Any,
    surname: str,
    given_name: str,
    birth_date: datetime.date | None,
    *,
    limit: int = DUPLICATE_LIMIT,
) -> list[Person]:
    """Persons `actor` sees born that day whose key holds the surname and given name in any spelling:
    what to show before registering a person without an IIN, who would otherwise become a second record.
    Served by the birth date index (one day holds a few hundred persons among 20 million)."""
    if birth_date is None:
        return []
    q = name_q(f"{surname} {given_name}")
    if q is None:
        return []
    qs = Person.objects.visible_to(actor).filter(birth_date=birth_date).filter(q)
    return list(qs.select_related("region", "district").order_by("pk")[:limit])
