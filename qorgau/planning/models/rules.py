"""The demand formula's parameters, per facility type: data that an administrator changes through an
audited service (`services.rules.do_set_demand_rule`); each scenario keeps a copy of the values it used."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DemandRule(models.Model):
    facility_type = models.CharField(_("facility type"), max_length=20, unique=True)
    admissions_per_10k = models.DecimalField(
        _("admissions a year per 10,000 people (when Qorgau has no data)"), max_digits=7, decimal_places=3
    )
    admissions_per_signal = models.DecimalField(
        _("admissions per signal (when no placements are recorded)"), max_digits=6, decimal_places=4
    )
    persons_per_admission = models.DecimalField(
        _("places taken per admission (a woman and her children)"), max_digits=4, decimal_places=2, default=1
    )
    stay_days = models.PositiveSmallIntegerField(_("average stay (days, when no stays are recorded)"))
    peak_factor = models.DecimalField(
        _("peak factor (beds for busy weeks)"), max_digits=4, decimal_places=2, default=1.2
    )
    detour_factor = models.DecimalField(
        _("detour factor (road over straight line)"), max_digits=4, decimal_places=2, default=1.3
    )
    reach_km = models.PositiveSmallIntegerField(_("reach (km) for the gap table"), default=100)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        ordering = ["facility_type"]
        verbose_name = _("demand rule")
        verbose_name_plural = _("demand rules")

    def __str__(self) -> str:
        return self.facility_type

    @property
    def audit_label(self) -> str:
        return f"demand-{self.facility_type}"

    def as_parameters(self) -> dict[str, float]:
        return {
            "admissions_per_10k": float(self.admissions_per_10k),
            "admissions_per_signal": float(self.admissions_per_signal),
            "persons_per_admission": float(self.persons_per_admission),
            "stay_days": float(self.stay_days),
            "peak_factor": float(self.peak_factor),
            "detour_factor": float(self.detour_factor),
            "reach_km": float(self.reach_km),
        }
