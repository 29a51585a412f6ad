"""The demand formula's parameters: changed by an administrator (planning.rules), audited."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau.core.audit import diff, record
from qorgau.core.models import User

from ..demand import DEFAULT_RULES
from ..models import DemandRule

LIMITS = {
    "admissions_per_10k": (0, 1000),
    "admissions_per_signal": (0, 10),
    "persons_per_admission": (1, 10),
    "stay_days": (1, 3650),
    "peak_factor": (1, 5),
    "detour_factor": (1, 5),
    "reach_km": (1, 2000),
}


def do_set_demand_rule(*, actor: User, facility_type: str, **values: Any) -> DemandRule:
    if not actor.can("planning.rules"):
        raise PermissionDenied
    if facility_type not in DEFAULT_RULES:
        raise ValidationError({"facility_type": _("Unknown facility type.")})
    errors = {}
    clean: dict[str, Any] = {}
    for name, raw in values.items():
        if name not in LIMITS:
            errors[name] = _("Unknown parameter.")
            continue
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            errors[name] = _("Enter a number.")
            continue
        low, high = LIMITS[name]
        if not value.is_finite() or not low <= value <= high:
            errors[name] = _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}
            continue
        clean[name] = int(value) if name in ("stay_days", "reach_km") else value
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rule = DemandRule.objects.select_for_update().filter(facility_type=facility_type).first()
        old = rule.as_parameters() if rule else {}
        if rule is None:
            defaults = {k: Decimal(str(v)) for k, v in DEFAULT_RULES[facility_type].items()}
            rule = DemandRule(facility_type=facility_type, **defaults)
        for name, value in clean.items():
            setattr(rule, name, value)
        rule.changed_at = timezone.now()
        rule.full_clean()
        rule.save()
        record(actor=actor, action="demand_rule.change", obj=rule, changes=diff(old, rule.as_parameters()))
    return rule
