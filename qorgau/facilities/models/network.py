"""The facility network: settlements, facilities, their places by type and the vacancies they report.

Not personal data (docs/adding-a-domain.md, "Tables that are not personal data"), but not public either:
a facility belongs to the agency that runs it and is matched against a user's scope with
`core.permissions.in_scope(queryset, Facility.scope_paths, user)`. Its street address is secret
(DOMAIN.md 8.11): stored encrypted (`secret.py`), read only through `queries.reveal_address`, never in a
list, an export, the audit values or the API for anyone but the facility's staff and a case worker with
an accepted placement there.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.models import Agency, District, Region, TranslatedNameMixin
from qorgau.core.permissions import ScopePaths

# Vacancy data older than this is flagged as stale on every page that shows it.
STALE_AFTER = dt.timedelta(hours=24)


class FacilityType(models.TextChoices):
    CRISIS_CENTRE = "crisis_centre", _("crisis centre")
    FAMILY_SUPPORT = "family_support", _("family support centre")
    ADAPTATION_CENTRE = "adaptation_centre", _("temporary adaptation centre")
    DRUG_TREATMENT = "drug_treatment", _("drug treatment facility")


class Operator(models.TextChoices):
    STATE = "state", _("state")
    NGO = "ngo", _("NGO")


class OpeningMode(models.TextChoices):
    ROUND_THE_CLOCK = "24h", _("round the clock")
    DAY_STAY = "day", _("day stay (6 hours)")


class PlaceType(models.TextChoices):
    WOMEN = "women", _("women")
    WOMEN_WITH_CHILDREN = "women_children", _("women with children")
    MEN = "men", _("men")
    MINORS = "minors", _("minors")
    DISABILITY = "disability", _("persons with disabilities")


class Accessibility(models.TextChoices):
    WHEELCHAIR = "wheelchair", _("wheelchair access")
    HEARING = "hearing", _("for people with impaired hearing")
    SIGHT = "sight", _("for people with impaired sight")


class Language(models.TextChoices):
    KAZAKH = "kk", _("Kazakh")
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")
    UZBEK = "uz", _("Uzbek")
    UYGHUR = "ug", _("Uyghur")
    SIGN = "sign", _("sign language")


class Settlement(TranslatedNameMixin):
    """A city, town or village with its coordinates (GeoNames, CC BY 4.0), for distances between places."""

    geonames_id = models.PositiveIntegerField(_("GeoNames id"), null=True, blank=True, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        ordering = ["region", "name_ru", "id"]
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        indexes = [models.Index(fields=["region", "name_ru"], name="settlement_region_idx")]


class Facility(models.Model):
    """A crisis centre, family support centre, temporary adaptation centre or drug treatment facility.

    The facility is run by one agency (`agency`), whose staff are the facility's own staff (the manager
    keeps the vacancies). `address_encrypted` is the secret street address.
    """

    agency = models.OneToOneField(
        Agency, on_delete=models.PROTECT, related_name="facility", verbose_name=_("agency that runs it")
    )
    type = models.CharField(_("type"), max_length=20, choices=FacilityType.choices)
    operator = models.CharField(_("operator"), max_length=8, choices=Operator.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    settlement = models.ForeignKey(
        Settlement, on_delete=models.PROTECT, related_name="facilities", verbose_name=_("settlement")
    )
    licence_number = models.CharField(_("licence number"), max_length=64, blank=True)
    licence_valid_until = models.DateField(_("licence valid until"), null=True, blank=True)
    services = models.JSONField(_("services offered"), default=list, blank=True)  # cases.ServiceType codes
    opening_mode = models.CharField(
        _("opening mode"), max_length=4, choices=OpeningMode.choices, default=OpeningMode.ROUND_THE_CLOCK
    )
    accessibility = models.JSONField(_("accessibility"), default=list, blank=True)  # Accessibility codes
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)  # Language codes
    takes_teenage_sons = models.BooleanField(_("takes teenage sons"), default=False)
    teenage_son_max_age = models.PositiveSmallIntegerField(
        _("oldest son taken (years)"),
        default=17,
        help_text=_("With the mother, when teenage sons are taken."),
    )
    takes_pets = models.BooleanField(_("takes pets"), default=False)
    public_phone = models.CharField(
        _("public phone"),
        max_length=32,
        blank=True,
        help_text=_("Shown on the public help page with the name and opening hours (never the address)."),
    )
    address_encrypted = models.TextField(_("street address (encrypted)"), blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)

    scope_paths = ScopePaths(domain="facilities", region="region", agency="agency")
    idempotent_replay: bool = False  # set on the object a retried registration returns (not a column)

    class Meta:
        ordering = ["region", "type", "agency__name", "id"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        indexes = [models.Index(fields=["type", "region"], name="facility_type_region_idx")]

    def __str__(self) -> str:
        return self.agency.display_name

    @property
    def code(self) -> str:
        return f"FAC-{self.pk:04d}" if self.pk else "FAC-new"

    @property
    def audit_label(self) -> str:
        return self.code

    @property
    def has_address(self) -> bool:
        return bool(self.address_encrypted)

    @property
    def accessibility_labels(self) -> list[str]:
        return [str(Accessibility(code).label) for code in self.accessibility or []]

    @property
    def language_labels(self) -> list[str]:
        return [str(Language(code).label) for code in self.languages or []]

    @property
    def service_labels(self) -> list[str]:
        from qorgau.cases.models import ServiceType

        return [str(ServiceType(code).label) for code in self.services or []]


class Capacity(models.Model):
    """The places of one type at a facility: beds, the vacant ones (as reported or admitted) and holds.

    `vacant` counts free places; `held` of them are held for a request that waits for an admission.
    Free for a new request: `vacant - held`. The database refuses a negative count or more held than
    vacant or more vacant than beds; every change locks the row (`services/capacity.py`).
    """

    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="capacities", verbose_name=_("facility")
    )
    place_type = models.CharField(_("place type"), max_length=16, choices=PlaceType.choices)
    beds = models.PositiveSmallIntegerField(_("places"))
    vacant = models.PositiveSmallIntegerField(_("vacant"))
    held = models.PositiveSmallIntegerField(_("held"), default=0)
    as_of = models.DateTimeField(_("as of"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    scope_paths = ScopePaths(domain="facilities", region="facility__region", agency="facility__agency")

    class Meta:
        ordering = ["facility", "place_type"]
        verbose_name = _("places of a type")
        verbose_name_plural = _("places by type")
        constraints = [
            models.UniqueConstraint(fields=["facility", "place_type"], name="capacity_unique_type"),
            models.CheckConstraint(condition=Q(vacant__lte=F("beds")), name="capacity_vacant_within_beds"),
            models.CheckConstraint(condition=Q(held__lte=F("vacant")), name="capacity_held_within_vacant"),
        ]

    def __str__(self) -> str:
        return f"{self.facility.code}/{self.place_type}"

    @property
    def audit_label(self) -> str:
        return f"{self.facility.code}/{self.place_type}"

    @property
    def free(self) -> int:
        return max(self.vacant - self.held, 0)

    @property
    def occupied(self) -> int:
        return self.beds - self.vacant

    def is_stale(self, at: dt.datetime | None = None) -> bool:
        return self.as_of < (at or timezone.now()) - STALE_AFTER


class VacancyChange(models.TextChoices):
    REPORTED = "reported", _("reported by the facility")
    ADMISSION = "admission", _("admission")
    DISCHARGE = "discharge", _("discharge")
    HOLD = "hold", _("place held")
    RELEASE = "release", _("hold released")
    BEDS = "beds", _("places changed")


class VacancyUpdate(models.Model):
    """Every change of a capacity row, with its "as of" time: the history behind occupancy over time."""

    capacity = models.ForeignKey(
        Capacity, on_delete=models.CASCADE, related_name="updates", verbose_name=_("places of a type")
    )
    kind = models.CharField(_("change"), max_length=12, choices=VacancyChange.choices)
    beds = models.PositiveSmallIntegerField(_("places"))
    vacant = models.PositiveSmallIntegerField(_("vacant"))
    held = models.PositiveSmallIntegerField(_("held"))
    as_of = models.DateTimeField(_("as of"))
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    scope_paths = ScopePaths(
        domain="facilities", region="capacity__facility__region", agency="capacity__facility__agency"
    )

    class Meta:
        ordering = ["capacity", "-as_of", "-id"]
        verbose_name = _("vacancy update")
        verbose_name_plural = _("vacancy updates")
        indexes = [models.Index(fields=["capacity", "as_of"], name="vacancy_update_idx")]

    def __str__(self) -> str:
        return f"{self.capacity.audit_label}@{self.as_of.isoformat()}"
