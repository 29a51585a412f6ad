"""What the people services share: the action check, the scope checks and the audit diff."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from qorgau.core.audit import diff
from qorgau.core.models import District, Region, User
from qorgau.core.permissions import has_action, may_work_in

from ..models import Family, Person

# Values the audit log never copies (it records that they changed): see _audit_changes.
IDENTIFYING_FIELDS = (*Person.NAME_FIELDS, "birth_date", "phone", "address")


def _require(actor: User, action: str) -> None:
    if not has_action(actor, action):
        raise PermissionDenied(_("Your role does not allow this."))


def _check_district(region: Region | None, district: District | None) -> None:
    if district is not None and (region is None or district.region_id != region.pk):
        raise ValidationError({"district": _("The district is not in the selected region.")})


def _ensure_visible(actor: User, obj: Person | Family) -> None:
    """Roll the transaction back when the actor could not see what they just wrote."""
    if not type(obj).objects.visible_to(actor).filter(pk=obj.pk).exists():
        raise PermissionDenied(_("The record would be outside your scope."))


def _check_work_region(actor: User, region: Region | None) -> None:
    """Records are created only where the actor works (their agency's region, or their regions)."""
    if region is not None and not may_work_in(actor, region):
        raise ValidationError(
            {"region": _("You can register records only in the regions where you work.")},
            code="region_out_of_scope",
        )


def _audit_changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The diff for the audit log, with identifying values replaced by "changed" (like the IIN).

    The audit log is append-only and outlives the records' retention, so it must not become a second
    copy of names, phones and addresses; it says which of them changed, and the record holds the values.
    """
    changes: dict[str, Any] = dict(diff(old, new))
    for field in IDENTIFYING_FIELDS:
        if field in changes:
            changes[field] = "changed"
    return changes
