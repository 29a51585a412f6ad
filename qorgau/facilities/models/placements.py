"""Placements of a case's victim at a facility: the request (a cases Referral), the hold, the stay and its
extensions, the discharge, and the waiting list.

These rows reach a person (the case's victim), so they are personal data: `ScopedManager` and
`ScopePaths(domain="facilities")`, belonging to both sides, the agency that owns the case and the one
that runs the facility (like a cases Referral).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.cases.models import Case, Referral
from qorgau.core.permissions import ScopedManager, ScopePaths

from .network import Capacity, Facility, PlaceType
from .rules import StayRule


def _both_sides(own: tuple[str, ...] = ("case__assigned_to",)) -> ScopePaths:
    return ScopePaths(
        domain="facilities",
        region=("case__region", "facility__region"),
        agency=("case__agency", "facility__agency"),
        own=own,
    )


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", _("waiting for the facility's answer")
    ACCEPTED = "accepted", _("accepted, place held")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")
    LAPSED = "lapsed", _("lapsed (no answer or no arrival in time)")
    ADMITTED = "admitted", _("admitted")


OPEN_REQUEST = (RequestStatus.REQUESTED, RequestStatus.ACCEPTED)


class DeclineReason(models.TextChoices):
    NO_CAPACITY = "no_capacity", _("no free place")
    NOT_SUITABLE = "not_suitable", _("the facility cannot meet the person's needs")
    SAFETY = "safety", _("a safety reason")
    OTHER = "other", _("other (see the note)")


class PlacementRequest(models.Model):
    """A case worker asks a facility for a place; the facility accepts (a place is held) or declines.

    The request is a cases Referral of the case to the facility's agency with the shelter purpose, so
    the consent rules of a referral apply; accepting the request accepts the referral.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+", verbose_name=_("case"))
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="requests", verbose_name=_("facility")
    )
    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, related_name="+", verbose_name=_("referral")
    )
    place_type = models.CharField(_("place type"), max_length=16, choices=PlaceType.choices)
    children = models.JSONField(_("accompanying children (age, sex)"), default=list, blank=True)
    needs_accessibility = models.JSONField(_("accessibility needed"), default=list, blank=True)
    note = models.TextField(_("note to the facility"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.REQUESTED
    )
    rule = models.ForeignKey(
        StayRule, on_delete=models.PROTECT, related_name="+", verbose_name=_("rule applied")
    )
    answer_due = models.DateTimeField(_("answer due"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decline_reason = models.CharField(
        _("reason for declining"), max_length=16, choices=DeclineReason.choices, blank=True
    )
    decline_note = models.TextField(_("note on the decline"), blank=True)

    objects = ScopedManager()
    scope = _both_sides(own=("case__assigned_to", "requested_by"))
    idempotent_replay: bool = False  # set on the object a retried request returns (not a column)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("placement request")
        verbose_name_plural = _("placement requests")
        indexes = [
            models.Index(fields=["facility", "status", "answer_due"], name="placement_request_queue_idx"),
            models.Index(fields=["case", "status"], name="placement_request_case_idx"),
        ]

    def __str__(self) -> str:
        return self.audit_label

    @property
    def code(self) -> str:
        return f"PR-{self.pk:06d}" if self.pk else "PR-new"

    @property
    def audit_label(self) -> str:
        return f"{self.case.code}/{self.code}"

    @property
    def places(self) -> int:
        """The places the request needs: the person and each accompanying child."""
        return 1 + len(self.children or [])


class HoldRelease(models.TextChoices):
    ADMITTED = "admitted", _("the person was admitted")
    LAPSED = "lapsed", _("the hold lapsed")
    WITHDRAWN = "withdrawn", _("the request was withdrawn")
    RELEASED = "released", _("released by the facility")


class BedHold(models.Model):
    """Places held for an accepted request until `expires_at`; a scheduled task releases lapsed holds."""

    capacity = models.ForeignKey(
        Capacity, on_delete=models.PROTECT, related_name="holds", verbose_name=_("places of a type")
    )
    request = models.OneToOneField(
        PlacementRequest, on_delete=models.PROTECT, related_name="hold", verbose_name=_("request")
    )
    places = models.PositiveSmallIntegerField(_("places held"), default=1)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("held by")
    )
    held_at = models.DateTimeField(_("held"), default=timezone.now)
    expires_at = models.DateTimeField(_("held until"))
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    release = models.CharField(_("released because"), max_length=12, choices=HoldRelease.choices, blank=True)

    scope_paths = ScopePaths(
        domain="facilities", region="capacity__facility__region", agency="capacity__facility__agency"
    )

    class Meta:
        ordering = ["expires_at", "id"]
        verbose_name = _("held place")
        verbose_name_plural = _("held places")
        indexes = [models.Index(fields=["released_at", "expires_at"], name="bed_hold_lapse_idx")]

    def __str__(self) -> str:
        return self.audit_label

    @property
    def audit_label(self) -> str:
        return f"{self.capacity.facility.code}/hold-{self.pk}"


class DischargeDestination(models.TextChoices):
    OWN_HOME_SAFE = "own_home", _("own home, the offender no longer there")
    RELATIVES = "relatives", _("relatives or friends")
    NEW_HOUSING = "new_housing", _("new housing (rented, social)")
    OTHER_FACILITY = "other_facility", _("another facility")
    RETURNED = "returned", _("returned to live with the offender")
    HOSPITAL = "hospital", _("hospital")
    UNKNOWN = "unknown", _("unknown (left without saying)")
    OTHER = "other", _("other")


class DischargeOutcome(models.TextChoices):
    PLAN_COMPLETED = "completed", _("the stay's plan completed")
    LEFT_EARLY = "left_early", _("left early by own decision")
    LIMIT_REACHED = "limit", _("the longest stay reached")
    RULES_BREACH = "breach", _("discharged for breaking the house rules")
    TRANSFERRED = "transferred", _("transferred to another facility")
    OTHER = "other", _("other")


class Placement(models.Model):
    """A stay of the case's victim (and accompanying children) at a facility, from admission to discharge.

    `planned_end` may not pass the longest stay of the rule in force at admission (`rule`, stored) unless
    extended; each extension is a `PlacementExtension` with its reason.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+", verbose_name=_("case"))
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="placements", verbose_name=_("facility")
    )
    capacity = models.ForeignKey(
        Capacity, on_delete=models.PROTECT, related_name="placements", verbose_name=_("places of a type")
    )
    request = models.OneToOneField(
        PlacementRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placement",
        verbose_name=_("request"),
    )
    children = models.JSONField(_("accompanying children (age, sex)"), default=list, blank=True)
    places = models.PositiveSmallIntegerField(_("places taken"), default=1)
    admitted_at = models.DateTimeField(_("admitted"), default=timezone.now)
    admitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("admitted by")
    )
    planned_end = models.DateField(_("planned end"))
    rule = models.ForeignKey(
        StayRule, on_delete=models.PROTECT, related_name="+", verbose_name=_("rule applied")
    )
    discharged_at = models.DateTimeField(_("discharged"), null=True, blank=True)
    discharged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("discharged by"),
    )
    destination = models.CharField(
        _("destination"), max_length=16, choices=DischargeDestination.choices, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=DischargeOutcome.choices, blank=True)
    discharge_note = models.TextField(_("note on the discharge"), blank=True)

    objects = ScopedManager()
    scope = _both_sides()
    idempotent_replay: bool = False  # set on the object a retried admission returns (not a column)

    class Meta:
        ordering = ["-admitted_at", "-id"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        indexes = [
            models.Index(fields=["facility", "discharged_at"], name="placement_facility_idx"),
            models.Index(fields=["case", "discharged_at"], name="placement_case_idx"),
            models.Index(fields=["admitted_at"], name="placement_admitted_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(discharged_at__isnull=True),
                name="placement_one_current_per_case",
            )
        ]

    def __str__(self) -> str:
        return self.audit_label

    @property
    def code(self) -> str:
        return f"PL-{self.pk:06d}" if self.pk else "PL-new"

    @property
    def audit_label(self) -> str:
        return f"{self.case.code}/{self.code}"

    @property
    def is_current(self) -> bool:
        return self.discharged_at is None


class PlacementExtension(models.Model):
    """A stay extended past its planned end (past the longest stay, too), with the reason."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("placement")
    )
    previous_end = models.DateField(_("previous planned end"))
    new_end = models.DateField(_("new planned end"))
    reason = models.TextField(_("reason for the extension"))
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("extended by")
    )
    extended_at = models.DateTimeField(_("extended"), default=timezone.now)

    objects = ScopedManager()
    scope = ScopePaths(
        domain="facilities",
        region=("placement__case__region", "placement__facility__region"),
        agency=("placement__case__agency", "placement__facility__agency"),
        own=("placement__case__assigned_to",),
    )

    class Meta:
        ordering = ["placement", "extended_at", "id"]
        verbose_name = _("extension of a stay")
        verbose_name_plural = _("extensions of stays")

    def __str__(self) -> str:
        return f"{self.placement.audit_label}/ext-{self.pk}"


class WaitingRemoval(models.TextChoices):
    ADMITTED = "admitted", _("admitted")
    PLACED_ELSEWHERE = "elsewhere", _("placed elsewhere")
    WITHDRAWN = "withdrawn", _("no longer needs a place")
    OTHER = "other", _("other")


class WaitingEntry(models.Model):
    """A case waiting for a place of a type at a facility (first come, first served unless urgent)."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="waiting", verbose_name=_("facility")
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+", verbose_name=_("case"))
    place_type = models.CharField(_("place type"), max_length=16, choices=PlaceType.choices)
    children = models.JSONField(_("accompanying children (age, sex)"), default=list, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    note = models.TextField(_("note"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("added by")
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
    )
    removal = models.CharField(
        _("removed because"), max_length=12, choices=WaitingRemoval.choices, blank=True
    )

    objects = ScopedManager()
    scope = _both_sides(own=("case__assigned_to", "added_by"))
    idempotent_replay: bool = False  # set on the object a retried request returns (not a column)

    class Meta:
        ordering = ["facility", "-urgent", "added_at", "id"]
        verbose_name = _("waiting list entry")
        verbose_name_plural = _("waiting list")
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "case"], condition=Q(removed_at__isnull=True), name="waiting_one_per_case"
            )
        ]

    def __str__(self) -> str:
        return self.audit_label

    @property
    def audit_label(self) -> str:
        return f"{self.case.code}/wait-{self.pk}"
