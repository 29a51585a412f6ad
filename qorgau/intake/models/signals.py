"""Signals of domestic violence, the persons in them, and their legal outcomes.

A signal is registered ex officio ("detective" registration, DOMAIN.md B3): it gets its registration
number at once, its deadlines from the DeadlineRule in force when it was received, and it stays open until
a legal outcome is recorded. That the victim declined to cooperate is a recorded fact, never a closure.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.models import Agency, District, Region
from qorgau.core.permissions import ScopedManager, ScopePaths
from qorgau.people.models import Person

from .rules import DeadlineRule


class Channel(models.TextChoices):
    POLICE_102 = "call_102", _("102 police call")
    LINE_111 = "line_111", _("111 family contact centre")
    HEALTH = "health", _("health facility")
    SCHOOL = "school", _("school")
    WITNESS = "witness", _("neighbour or witness")
    VICTIM_IN_PERSON = "victim", _("victim in person")
    SOCIAL_MEDIA = "social_media", _("social media")
    OTHER_AGENCY = "other_agency", _("other agency")
    API = "api", _("API (information system)")
    ONLINE_MESSAGE = "online", _("online message (public help page)")


class SignalStatus(models.TextChoices):
    REGISTERED = "registered", _("registered")
    IN_PROGRESS = "in_progress", _("in progress")
    CLOSED = "closed", _("outcome recorded (closed)")


class ViolenceForm(models.TextChoices):
    PHYSICAL = "physical", _("physical")
    PSYCHOLOGICAL = "psychological", _("psychological")
    SEXUAL = "sexual", _("sexual")
    ECONOMIC = "economic", _("economic")
    NEGLECT = "neglect", _("neglect")


# One boolean column per form: filters such as "physical violence in Astana" stay plain indexed
# comparisons on SQLite and PostgreSQL alike, where a JSON list would need database-specific operators.
FORM_FIELDS: dict[str, str] = {form.value: f"form_{form.value}" for form in ViolenceForm}


class PartyRole(models.TextChoices):
    VICTIM = "victim", _("victim")
    OFFENDER = "offender", _("alleged offender")
    REPORTER = "reporter", _("reporter")
    WITNESS = "witness", _("witness")
    # A child who saw the violence or suffered it, not a second "victim": what the child went through is
    # `SignalParty.child_involvement`. Children count for the history's flag and for cruelty to children.
    CHILD = "child", _("child")


class ChildInvolvement(models.TextChoices):
    """What a child party went through (PartyRole.CHILD)."""

    WITNESS = "witness", _("witnessed the violence")
    AFFECTED = "affected", _("directly affected (harmed, threatened or neglected)")


class OffenderRelationship(models.TextChoices):
    """What the alleged offender is to the victim."""

    SPOUSE = "spouse", _("spouse")
    FORMER_SPOUSE = "former_spouse", _("former spouse")
    PARTNER = "partner", _("partner")
    PARENT = "parent", _("parent (the victim is the child)")
    CHILD = "child", _("child (the victim is the parent)")
    SIBLING = "sibling", _("sibling")
    OTHER_RELATIVE = "other_relative", _("other relative")
    COHABITANT = "cohabitant", _("cohabitant")


class RegistrationCounter(models.Model):
    """The last registration number issued per region and year.

    Registration locks this row (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions
    hold the write lock from BEGIN), so concurrent registrations get consecutive, distinct numbers.
    """

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    year = models.PositiveSmallIntegerField(_("year"))
    last_value = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        ordering = ["region", "year"]
        verbose_name = _("registration counter")
        verbose_name_plural = _("registration counters")
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="registration_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.year}: {self.last_value}"


class Signal(models.Model):
    """A report of domestic violence from any channel, worked ex officio to a recorded legal outcome."""

    registration_number = models.CharField(
        _("registration number"), max_length=32, unique=True, editable=False
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    received_at = models.DateTimeField(_("received"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)

    reporter = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reporter"),
    )
    anonymous_reporter = models.BooleanField(_("anonymous reporter"), default=False)

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("registering agency")
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    registered_at = models.DateTimeField(_("registered"), default=timezone.now, editable=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned inspector"),
    )
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=SignalStatus.choices, default=SignalStatus.REGISTERED
    )

    form_physical = models.BooleanField(_("physical violence"), default=False)
    form_psychological = models.BooleanField(_("psychological violence"), default=False)
    form_sexual = models.BooleanField(_("sexual violence"), default=False)
    form_economic = models.BooleanField(_("economic violence"), default=False)
    form_neglect = models.BooleanField(_("neglect"), default=False)
    children_present = models.BooleanField(_("children present or affected"), default=False)
    weapon = models.BooleanField(_("weapon used or threatened"), default=False)
    injuries = models.BooleanField(_("injuries"), default=False)
    alcohol_or_drugs = models.BooleanField(_("alcohol or drugs"), default=False)
    account = models.TextField(_("account of what happened"), blank=True)

    victim_declined = models.BooleanField(
        _("victim declined to cooperate"),
        default=False,
        help_text=_("A recorded fact. The signal is still worked and needs a legal outcome."),
    )
    victim_declined_at = models.DateTimeField(_("victim declined on"), null=True, blank=True)
    victim_declined_note = models.TextField(_("note on the victim's refusal"), blank=True)

    first_contact_due = models.DateTimeField(_("first contact due"))
    first_contact_at = models.DateTimeField(_("first contact made"), null=True, blank=True)
    outcome_due = models.DateTimeField(_("outcome due"))
    first_contact_rule = models.ForeignKey(
        DeadlineRule, on_delete=models.PROTECT, related_name="+", verbose_name=_("first contact rule applied")
    )
    outcome_rule = models.ForeignKey(
        DeadlineRule, on_delete=models.PROTECT, related_name="+", verbose_name=_("outcome rule applied")
    )
    outcome = models.ForeignKey(
        "intake.Outcome",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decisive outcome"),
        help_text=_(
            "The current decisive measure (intake.models.DECISIVE_KINDS); set, the signal is closed."
        ),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    breach_of = models.ForeignKey(
        "intake.ProtectiveOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="breaches",
        verbose_name=_("breach of protective order"),
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, null=True, blank=True)
    idempotency_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    objects = ScopedManager()
    scope = ScopePaths(
        domain="intake", region="region", agency="agency", own=("assigned_to", "registered_by"), grant=""
    )

    # Set by do_register_signal when an idempotency key returned an existing signal (not a column).
    idempotent_replay: bool = False

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="signal_unique_idempotency_key",
            ),
        ]
        indexes = [
            # The list's default order; without it every unfiltered or overdue list sorts all rows (bench/).
            models.Index(fields=["received_at", "id"], name="signal_received_idx"),
            models.Index(fields=["region", "received_at"], name="signal_region_received_idx"),
            models.Index(fields=["agency", "received_at"], name="signal_agency_received_idx"),
            models.Index(fields=["assigned_to", "status"], name="signal_assignee_status_idx"),
            models.Index(fields=["status", "outcome_due"], name="signal_status_due_idx"),
        ]

    def __str__(self) -> str:
        # Only the number: this string lands in the audit log and in lists, never a name.
        return self.registration_number

    @property
    def audit_label(self) -> str:
        return self.registration_number

    # Keys of this model's audit changes that are not its fields: how the audit log reads them.
    audit_references = {
        "victims": (_("Victims"), Person),
        "offenders": (_("Alleged offenders"), Person),
        "witnesses": (_("Witnesses"), Person),
        "forms": (_("Forms of violence"), ViolenceForm),
        "children": (_("Children"), Person),
        "relationship": (_("relationship to the victim"), OffenderRelationship),
    }

    @property
    def forms(self) -> list[str]:
        return [form for form, field in FORM_FIELDS.items() if getattr(self, field)]

    @property
    def is_closed(self) -> bool:
        return self.status == SignalStatus.CLOSED

    def registered_before(self) -> Q:
        """The signals registered before this one: registration order is (registered_at, id).

        "Earlier" means registered earlier, never received earlier: received times are typed to the
        minute, so two signals of one evening often share one, while registration is a server timestamp
        and the id breaks any tie (both follow the registration number within a region and year).
        """
        return Q(registered_at__lt=self.registered_at) | Q(registered_at=self.registered_at, pk__lt=self.pk)


class SignalParty(models.Model):
    """A person in a signal: victim, alleged offender, reporter or witness."""

    signal = models.ForeignKey(
        Signal, on_delete=models.CASCADE, related_name="parties", verbose_name=_("signal")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="signal_parties", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=16, choices=PartyRole.choices)
    child_involvement = models.CharField(
        _("what the child went through"),
        max_length=16,
        choices=ChildInvolvement.choices,
        blank=True,
        help_text=_("For a child: a witness of the violence or directly affected by it."),
    )

    objects = ScopedManager()
    scope = ScopePaths(
        domain="intake",
        region="signal__region",
        agency="signal__agency",
        own=("signal__assigned_to", "signal__registered_by"),
        grant="signal",
    )

    class Meta:
        ordering = ["signal", "role", "id"]
        verbose_name = _("party to a signal")
        verbose_name_plural = _("parties to signals")
        constraints = [
            models.UniqueConstraint(fields=["signal", "person", "role"], name="signal_party_unique"),
            # A child party says what the child went through; no other party does.
            models.CheckConstraint(
                condition=(Q(role="child") & ~Q(child_involvement=""))
                | (~Q(role="child") & Q(child_involvement="")),
                name="signal_party_child_involvement",
            ),
        ]
        indexes = [models.Index(fields=["person", "role"], name="signal_party_person_role_idx")]

    def __str__(self) -> str:
        return f"{self.signal_id}: {self.get_role_display()}"

    @property
    def role_label(self) -> str:
        """The role as the pages show it: a child's with what the child went through."""
        if self.role == PartyRole.CHILD and self.child_involvement:
            return f"{self.get_role_display()} ({self.get_child_involvement_display()})"
        return str(self.get_role_display())


class PartyRelationship(models.Model):
    """What an alleged offender is to one victim of the signal: one row per offender-victim pair.

    One offender may be the spouse of one victim and the parent of another; a relationship per signal (or
    per offender) cannot say that. Every offender-victim pair of a signal has exactly one row.
    """

    signal = models.ForeignKey(
        Signal, on_delete=models.CASCADE, related_name="relationships", verbose_name=_("signal")
    )
    offender = models.ForeignKey(
        SignalParty,
        on_delete=models.CASCADE,
        related_name="relationships_as_offender",
        verbose_name=_("alleged offender"),
    )
    victim = models.ForeignKey(
        SignalParty,
        on_delete=models.CASCADE,
        related_name="relationships_as_victim",
        verbose_name=_("victim"),
    )
    relationship = models.CharField(
        _("relationship to the victim"),
        max_length=20,
        choices=OffenderRelationship.choices,
        help_text=_("What the alleged offender is to the victim."),
    )

    objects = ScopedManager()
    scope = ScopePaths(
        domain="intake",
        region="signal__region",
        agency="signal__agency",
        own=("signal__assigned_to", "signal__registered_by"),
        grant="signal",
    )

    class Meta:
        ordering = ["signal", "offender", "victim"]
        verbose_name = _("relationship of an offender to a victim")
        verbose_name_plural = _("relationships of offenders to victims")
        constraints = [
            models.UniqueConstraint(fields=["offender", "victim"], name="party_relationship_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.signal_id}: {self.offender_id} -> {self.victim_id}"


class OutcomeKind(models.TextChoices):
    """The legal measures taken on a signal. One incident may take several (an order and a protocol)."""

    CRIMINAL_CASE = "criminal_case", _("criminal case registered")
    ADMIN_PROTOCOL = "admin_protocol", _("administrative protocol")
    PROTECTIVE_ORDER = "protective_order", _("protective order issued")
    SPECIAL_REQUIREMENTS = "special_requirements", _("special requirements requested from a court")
    REFERRED = "referred", _("referred to another agency")
    NO_OFFENCE = "no_offence", _("no offence found")


# The measures that decide the incident: recording one closes the signal, and a signal has at most one
# current decisive measure (a correction replaces it). A protective order and special requirements protect
# the victim while the incident is decided; they accompany a decisive measure and never close a signal.
DECISIVE_KINDS: frozenset[str] = frozenset(
    {OutcomeKind.CRIMINAL_CASE, OutcomeKind.ADMIN_PROTOCOL, OutcomeKind.REFERRED, OutcomeKind.NO_OFFENCE}
)
PROTECTIVE_KINDS: frozenset[str] = frozenset({OutcomeKind.PROTECTIVE_ORDER, OutcomeKind.SPECIAL_REQUIREMENTS})


class Outcome(models.Model):
    """A legal measure taken on a signal (the decisive one is the signal's outcome).

    A signal has any number of protective measures (each protective order is one) and at most one current
    decisive measure, which `Signal.outcome` points to. A correction never edits a row: it adds one that
    `corrects` the earlier, which keeps its values and gets `superseded_at`.
    """

    signal = models.ForeignKey(
        Signal, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("signal")
    )
    kind = models.CharField(_("measure"), max_length=24, choices=OutcomeKind.choices)
    decided_at = models.DateTimeField(_("decided"))
    article = models.CharField(_("article"), max_length=20, blank=True)
    part = models.CharField(_("part"), max_length=10, blank=True)
    case_number = models.CharField(_("case or protocol number"), max_length=40, blank=True)
    referred_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency referred to or court"),
    )
    order = models.ForeignKey(
        "intake.ProtectiveOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("protective order"),
        help_text=_("For a protective order: the order issued."),
    )
    details = models.TextField(_("details"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects the measure"),
    )
    correction_reason = models.TextField(_("reason for correcting the earlier measure"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)

    objects = ScopedManager()
    scope = ScopePaths(
        domain="intake",
        region="signal__region",
        agency="signal__agency",
        own=("signal__assigned_to", "signal__registered_by"),
        grant="signal",
    )

    class Meta:
        ordering = ["signal", "-recorded_at", "-id"]
        verbose_name = _("legal measure")
        verbose_name_plural = _("legal measures")
        constraints = [
            # One current decisive measure per signal: two requests racing to close it cannot both win.
            models.UniqueConstraint(
                fields=["signal"],
                condition=Q(superseded_at__isnull=True, kind__in=sorted(DECISIVE_KINDS)),
                name="outcome_one_current_decisive",
            ),
            # An order is recorded as one current measure.
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(superseded_at__isnull=True, order__isnull=False),
                name="outcome_one_current_per_order",
            ),
            # A row corrects at most one earlier row, and each row is corrected at most once.
            models.UniqueConstraint(
                fields=["corrects"], condition=Q(corrects__isnull=False), name="outcome_corrected_once"
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def audit_label(self) -> str:
        return f"{self.signal.registration_number}/{self.pk}"

    @property
    def is_decisive(self) -> bool:
        return self.kind in DECISIVE_KINDS

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None
