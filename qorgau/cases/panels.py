"""Panels the cases app adds to lower apps' pages (core/panels.py): neither intake nor people imports cases.

- On a signal's page, for roles that open cases: the victims' open cases at the user's agency, and the
  button that opens one.
- On a person's page, for roles that see cases: the person's cases in the user's scope, by code.
"""

from __future__ import annotations

from typing import Any

from qorgau.intake.models import PartyRole, SignalParty
from qorgau.people.queries import identity_q

from .models import Case


def signal_panel(user: Any, signal: Any) -> dict[str, Any] | None:
    """Context of the "victim support" panel on a signal's page (None: not for this user)."""
    if getattr(user, "agency_id", None) is None:
        return None
    cases = list(
        Case.objects.visible_to(user, "view")
        .filter(signal=signal)
        .select_related("agency")
        .order_by("-opened_at", "-id")
    )
    has_victims = SignalParty.objects.filter(signal=signal, role=PartyRole.VICTIM).exists()
    return {"signal": signal, "cases": cases, "has_victims": has_victims}


def person_panel(user: Any, person: Any) -> dict[str, Any] | None:
    """Context of the "cases" panel on a person's page: the person's cases the user sees (any identity)."""
    cases = list(
        Case.objects.visible_to(user, "view")
        .filter(identity_q(person, "victim__"))
        .select_related("agency")
        .order_by("-opened_at", "-id")[:20]
    )
    return {"person": person, "cases": cases}
