"""Persons, families and consent.

The IIN is never stored in clear: `iin_hash` (HMAC-SHA256 with IIN_HASH_KEY) matches it exactly,
`iin_encrypted` (Fernet with IIN_ENCRYPTION_KEY) lets a permitted user see it on the detail page.
`name_key` folds every spelling (Kazakh/Russian Cyrillic, Kazakh Latin, passport Latin) to one ASCII
key so that a search in either script finds the other.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.effective import EffectivePeriod, as_local_date
from qorgau.core.models import Agency, District, Region
from qorgau.core.permissions import ScopedManager, ScopePaths

from .iin import decrypt_iin, encrypt_iin, hash_iin, normalize_iin
from .names import name_key


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
    name_key = models.CharField(_("search key"), max_length=400, blank=True, db_index=True, editable=False)

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

    def save(self, *args, **kwargs):
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

    NAME_FIELDS = (
        "surname",
        "given_name",
        "patronymic",
        "surname_latin",
        "given_name_latin",
        "patronymic_latin",
    )

    def set_iin(self, iin: str) -> None:
        """Store an IIN (already validated) as hash, ciphertext and last digits; '' removes it."""
        iin = normalize_iin(iin)
        self.iin_hash = hash_iin(iin) if iin else None
        self.iin_encrypted = encrypt_iin(iin) if iin else ""
        self.iin_last4 = iin[-4:] if iin else ""

    def reveal_iin(self) -> str:
        """The IIN in clear. Only for the detail page of a user with `people.view_iin`; never log it."""
        return decrypt_iin(self.iin_encrypted) if self.iin_encrypted else ""


class Family(models.Model):
    """A household: persons living together or bound by family relations."""

    code = models.CharField(_("code"), max_length=20, unique=True, editable=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    members = models.ManyToManyField(Person, through="FamilyMember", related_name="families")
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

    objects = ScopedManager()
    scope = ScopePaths(domain="people", region="region", agency="agency", own=("created_by",))

    class Meta:
        ordering = ["code"]
        verbose_name = _("family")
        verbose_name_plural = _("families")

    def __str__(self) -> str:
        return self.code

    @property
    def audit_label(self) -> str:
        return self.code


class Relationship(models.TextChoices):
    HEAD = "head", _("head of household")
    SPOUSE = "spouse", _("spouse")
    FORMER_SPOUSE = "former_spouse", _("former spouse")
    PARTNER = "partner", _("partner")
    CHILD = "child", _("child")
    PARENT = "parent", _("parent")
    SIBLING = "sibling", _("sibling")
    GRANDPARENT = "grandparent", _("grandparent")
    GRANDCHILD = "grandchild", _("grandchild")
    OTHER_RELATIVE = "other_relative", _("other relative")
    COHABITANT = "cohabitant", _("cohabitant")


class FamilyMember(models.Model):
    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("family")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person")
    )
    relationship = models.CharField(
        _("relationship to the head"), max_length=20, choices=Relationship.choices
    )

    objects = ScopedManager()
    scope = ScopePaths(
        domain="people", region="family__region", agency="family__agency", own=("family__created_by",)
    )

    class Meta:
        ordering = ["family", "id"]
        verbose_name = _("family member")
        verbose_name_plural = _("family members")
        constraints = [models.UniqueConstraint(fields=["family", "person"], name="family_member_unique")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relationship_display()})"


class ConsentPurpose(models.TextChoices):
    REFERRAL = "referral", _("referral to services of another agency")
    RISK_CONFERENCE = "risk_conference", _("discussion at a multi-agency risk conference")
    SHELTER = "shelter", _("placement in a crisis centre or shelter")
    MEDICAL = "medical", _("medical help")
    PSYCHOLOGICAL = "psychological", _("psychological help")
    LEGAL = "legal", _("legal help")
    INFORMATION_SHARING = "information_sharing", _("sharing case information")


class Consent(models.Model):
    """A person's written consent to disclose their data to one agency for one purpose, until it expires.

    Consent is never a condition of service; a withdrawn or expired consent stops disclosure at once.
    """

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="consents", verbose_name=_("person")
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=ConsentPurpose.choices)
    receiving_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("receiving agency")
    )
    granted_at = models.DateTimeField(_("granted"))
    expires_at = models.DateTimeField(_("expires"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recording_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by agency")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = ScopedManager()
    scope = ScopePaths(
        domain="people", region="person__region", agency="recording_agency", own=("recorded_by",)
    )

    class Meta:
        ordering = ["-granted_at", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("granted_at")), name="consent_expires_after_grant"
            ),
        ]
        indexes = [models.Index(fields=["person", "purpose", "receiving_agency"], name="consent_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.person} → {self.receiving_agency}: {self.get_purpose_display()}"


class ConsentRuleMissing(LookupError):
    """No consent rule is in force on a day: reference data must be fixed, never guessed."""


class ConsentRule(EffectivePeriod):
    """The longest a consent may last, as versioned data (the next law or policy adds a version).

    Survivors' circumstances change fast (a new partner, a move, a reconciliation), and VAWA-style releases
    and OpenSPP's consent module both insist on a time-limited release: after the limit the worker asks
    again instead of relying on an old signature. The limit in force on the day consent is given applies.
    """

    max_days = models.PositiveSmallIntegerField(
        _("longest consent (days)"), validators=[MinValueValidator(1), MaxValueValidator(3650)]
    )

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("consent rule")
        verbose_name_plural = _("consent rules")
        constraints = [
            models.UniqueConstraint(fields=["effective_from"], name="consent_rule_unique_start"),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gt=models.F("effective_from")),
                name="consent_rule_period_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(max_days__gte=1, max_days__lte=3650), name="consent_rule_days_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.max_days} ({self.effective_from.isoformat()})"

    def version_group(self) -> dict[str, object]:
        return {}  # one series: every version of the limit

    @classmethod
    def effective(cls, at: datetime.datetime | datetime.date) -> ConsentRule:
        rule = cls.objects.effective_on(at).order_by("-effective_from").first()
        if rule is None:
            raise ConsentRuleMissing(f"No consent rule is in force on {as_local_date(at)}.")
        return rule
