"""Checks every cases service shares: the action, the case in scope and open, the derived state."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from qorgau.core.models import User
from qorgau.core.permissions import has_action

from ..models import Case, CaseService, CaseState, SafetyPlan, ServiceStatus


def require(actor: User, action: str) -> None:
    if not has_action(actor, action):
        raise PermissionDenied(f"{action} is not granted.")


def locked_visible[M: models.Model](
    model: type[M], obj: M, actor: User, action: str, *, grants: bool = True
) -> M:
    """`obj` re-read and locked for update, if `actor` may `action` it; out of scope looks like absent."""
    visible = model.objects.visible_to(actor, action, grants=grants)  # type: ignore[attr-defined]
    if not visible.filter(pk=obj.pk).exists():
        raise PermissionDenied("Not found.")
    return model.objects.select_for_update().get(pk=obj.pk)  # type: ignore[attr-defined]


def locked_case(actor: User, case: Case, action: str = "change", *, open_only: bool = True) -> Case:
    """The case locked for a change by `actor`; a closed case takes no new records until reopened."""
    locked = locked_visible(Case, case, actor, action)
    if open_only and locked.is_closed:
        raise ValidationError({"__all__": _("The case is closed; reopen it before recording anything.")})
    return locked


def owns_case(actor: User, case: Case) -> bool:
    """True when `actor` holds the case by their own scope (not through a referral's grant)."""
    return Case.objects.visible_to(actor, "change", grants=False).filter(pk=case.pk).exists()


def ensure_still_visible(model: type[models.Model], obj: models.Model, actor: User) -> None:
    """After a write, inside the transaction: the actor must still see what they saved, or it rolls back."""
    if not model.objects.visible_to(actor, "view").filter(pk=obj.pk).exists():  # type: ignore[attr-defined]
        raise PermissionDenied("The saved record would be outside your scope.")


def raise_if(errors: dict[str, Any]) -> None:
    if errors:
        raise ValidationError(errors)


def text(value: Any) -> str:
    return (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()


def compute_state(case: Case) -> str:
    """The workflow state that follows from what was recorded (never chosen from a list).

    open -> assessment -> safety plan -> case plan -> services in progress -> closed; a reopened case is
    "reopened" until something is recorded after the reopening, and then advances the same way (only
    records made since the last reopening count).
    """
    if case.closed_at is not None:
        return CaseState.CLOSED
    since = case.reopened_at

    def after(qs: models.QuerySet[Any], field: str) -> bool:
        return (qs.filter(**{f"{field}__gt": since}) if since else qs).exists()

    services = CaseService.objects.filter(case=case).exclude(status=ServiceStatus.CANCELLED)
    if after(services, "created_at"):
        return CaseState.SERVICES
    if after(case.goals.all(), "created_at"):
        return CaseState.CASE_PLAN
    if after(SafetyPlan.objects.filter(case=case), "recorded_at"):
        return CaseState.SAFETY_PLAN
    if case.assessed_at is not None and (since is None or case.assessed_at > since):
        return CaseState.ASSESSMENT
    return CaseState.REOPENED if since is not None else CaseState.OPEN


def refresh_state(case: Case) -> str:
    """Store the derived state in the cached column (every service calls it after its write)."""
    state = compute_state(case)
    if state != case.state:
        case.state = state
        Case.objects.filter(pk=case.pk).update(state=state)
    return state
