"""Persons.

The IIN is never stored in clear: `iin_hash` (HMAC-SHA256 with IIN_HASH_KEY) matches it exactly,
`iin_encrypted` (Fernet with IIN_ENCRYPTION_KEY) lets a permitted user see it on the detail page.
`name_key` folds every spelling (Kazakh/Russian Cyrillic, Kazakh Latin, passport Latin) to one ASCII
key so that a search in either script finds the other.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.models import Agency, District, Region
from qorgau.core.permissions import ScopedManager, ScopePaths

from ..iin import decrypt_iin, encrypt_iin, hash_iin, normalize_iin
from ..names import name_key

# Name search (queries.name_q). On PostgreSQL a GIN index holds every prefix of every word of the key
# (`qorgau_word_prefixes(name_key)`, migration 0003), so "each query word starts a word of the key" is
# one array containment the index answers directly, among 20 million persons in about a millisecond.
# Elsewhere (SQLite: tests, development) the same condition is a LIKE per word, unindexed.
WORD_PREFIXES_FUNCTION = "qorgau_word_prefixes"
WORD_PREFIXES_INDEX = "person_name_key_prefixes"


class _NameTokens(models.Func):
    """An expression over a folded key (`name_key`) and the folded words of a query."""

    def __init__(self, tokens: list[str], key: str = "name_key") -> None:
        self.tokens = list(tokens)
        super().__init__(models.F(key))


class NameWordsStart(_NameTokens):
    """True when every one of `tokens` (folded words) starts a word of `name_key`."""

    output_field = models.BooleanField()

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, tuple[Any, ...]]:
        key_sql, key_params = compiler.compile(self.source_expressions[0])
        # LIKE '% t%' on ' ' || key: the word starts at the key's start or after a space. Tokens are
        # a-z only (names.fold), so nothing needs escaping.
        sql = " AND ".join(f"(' ' || {key_sql}) LIKE %s" for _t in self.tokens)
        return f"({sql})", tuple(p for t in self.tokens for p in (*key_params, f"% {t}%"))

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:
        key_sql, key_params = compiler.compile(self.source_expressions[0])
        return f"{WORD_PREFIXES_FUNCTION}({key_sql}) @> %s::text[]", (*key_params, self.tokens)


class NameWordsWhole(_NameTokens):
    """How many of `tokens` are whole words of `name_key` (0..len): ranks the matches of NameWordsStart,
    so that "Петров Иван Иванович" comes before "Петров Алексей Иванович", whom "ivan" also matches
    as the start of "ivanovich". Computed on the matches only, after the index found them."""

    output_field = models.IntegerField()

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, tuple[Any, ...]]:
        key_sql, key_params = compiler.compile(self.source_expressions[0])
        terms = [f"CAST(((' ' || {key_sql} || ' ') LIKE %s) AS integer)" for _t in self.tokens]
        params = tuple(p for t in self.tokens for p in (*key_params, f"% {t} %"))
        return f"({' + '.join(terms) or '0'})", params


class Sex(models.TextChoices):
    FEMALE = "F", _("female")
    MALE = "M", _("male")
    UNKNOWN = "U", _("unknown")


class Person(models.Model):
    """A victim, offender, reporter or family member.

    One identity, one record: at most one row per IIN is the identity's record (`linked_to` empty).
    When staff register an IIN whose record another agency holds outside their scope, they get a
    record of their own that is linked to it (`linked_to`), holding only what they entered: the answer
    is the same as for an IIN nobody registered (no oracle of who is in the register), the owner's
    auditor sees the link, and repeat detection follows the identity (`identity_ids`).
    """

    iin_hash = models.CharField(_("IIN hash"), max_length=64, null=True, blank=True, editable=False)
    linked_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="linked_records",
        editable=False,
        verbose_name=_("record of the same person held by another agency"),
    )
    iin_encrypted = models.TextField(_("IIN (encrypted)"), blank=True, editable=False)
    iin_last4 = models.CharField(_("IIN last digits"), max_length=4, blank=True, editable=False)

    surname = models.CharField(_("surname"), max_length=100)
    given_name = models.CharField(_("given name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    surname_latin = models.CharField(_("surname (Latin, as in passport)"), max_length=100, blank=True)
    given_name_latin = models.CharField(_("given name (Latin, as in passport)"), max_length=100, blank=True)
    patronymic_latin = models.CharField(_("patronymic (Latin)"), max_length=100, blank=True)
    # Searched by the word-prefix GIN index (migration 0003, NameWordsStart), not by a B-tree.
    name_key = models.CharField(_("search key"), max_length=400, blank=True, editable=False)

    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("registering agency")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedManager()
    scope = ScopePaths(domain="people", region="region", agency="agency", own=("created_by",))
    NAME_FIELDS = (
        "surname",
        "given_name",
        "patronymic",
        "surname_latin",
        "given_name_latin",
        "patronymic_latin",
    )

    class Meta:
        ordering = ["surname", "given_name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [
            models.Index(fields=["birth_date"], name="person_birth_date_idx"),
            models.Index(fields=["iin_hash"], name="person_iin_hash_idx"),
        ]
        constraints = [
            # One identity record per IIN; linked records (another agency's own) share its hash.
            models.UniqueConstraint(
                fields=["iin_hash"],
                condition=models.Q(linked_to__isnull=True),
                name="person_one_identity_per_iin",
            ),
            models.CheckConstraint(
                condition=models.Q(linked_to__isnull=True) | models.Q(iin_hash__isnull=False),
                name="person_linked_record_has_iin",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The search key is an invariant of the names, kept here so that every write path agrees.
        self.name_key = name_key(*(getattr(self, f) for f in self.NAME_FIELDS))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(self.NAME_FIELDS):
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    @property
    def code(self) -> str:
        """A neutral reference to the record (audit log, page titles): never the name."""
        return f"P-{self.pk:07d}" if self.pk else "P-new"

    @property
    def audit_label(self) -> str:
        return self.code

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)

    @property
    def place(self) -> str:
        """Address, district and region, as far as they are known."""
        return ", ".join(str(part) for part in (self.address, self.district, self.region) if part)

    def age(self, today: datetime.date | None = None) -> int | None:
        """Full years since the birth date (None when unknown): results show it to tell persons apart."""
        if self.birth_date is None:
            return None
        today = today or timezone.localdate()
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    @property
    def iin_masked(self) -> str:
        return f"••••••••{self.iin_last4}" if self.iin_last4 else ""

    @property
    def has_iin(self) -> bool:
        return bool(self.iin_hash)

    @property
    def short_name(self) -> str:
        """Surname and initial: how lists show a person (names are masked in lists, DOMAIN.md 8.5)."""
        return f"{self.surname} {self.given_name[:1]}." if self.given_name else self.surname

    def set_iin(self, iin: str) -> None:
        """Store an IIN (already validated) as hash, ciphertext and last digits; '' removes it."""
        iin = normalize_iin(iin)
        self.iin_hash = hash_iin(iin) if iin else None
        self.iin_encrypted = encrypt_iin(iin) if iin else ""
        self.iin_last4 = iin[-4:] if iin else ""

    def reveal_iin(self) -> str:
        """The IIN in clear. Only for the detail page of a user with `people.view_iin`; never log it."""
        return decrypt_iin(self.iin_encrypted) if self.iin_encrypted else ""
