"""The panel the offenders app adds to a signal's page (core/panels.py): the offender track of the
signal's alleged offenders at the user's agency, and the buttons that start a treatment referral or a
programme referral. The signal page is already in the user's scope; the panel names only offenders."""

from __future__ import annotations

from typing import Any

from qorgau.core.permissions import has_action
from qorgau.intake.models import Signal

from .models import CourtRequirement, ProgrammeReferral, TreatmentReferral
from .queries import signal_offenders


def signal_panel(user: Any, signal: Signal) -> dict[str, Any] | None:
    if getattr(user, "agency_id", None) is None:
        return None
    offenders = signal_offenders(signal)
    treatments = list(
        TreatmentReferral.objects.visible_to(user, "view")
        .filter(signal=signal)
        .order_by("-started_at", "-id")
    )
    programmes = list(
        ProgrammeReferral.objects.visible_to(user, "view")
        .filter(signal=signal)
        .select_related("programme")
        .order_by("-referred_at", "-id")
    )
    requirements = list(
        CourtRequirement.objects.visible_to(user, "view").filter(signal=signal).order_by("-starts_on", "-id")
    )
    return {
        "signal": signal,
        "offenders": offenders,
        "treatments": treatments,
        "programmes": programmes,
        "requirements": requirements,
        "may_check": has_action(user, "offenders.refer"),
    }
