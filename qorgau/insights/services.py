"""The app's one write: the audit row of an export (a table, the regional report). Figures are aggregate,
but who took which figures out of the system, for which regions and period, is for the auditors."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from qorgau.core.audit import record
from qorgau.core.models import Region


def do_record_export(
    *, actor: Any, what: str, fmt: str, region: Region | None, district: int | None, params: dict[str, Any]
) -> None:
    """Audit an export of `what` (a table name or "report") as `fmt`, with the slice it covered."""
    if not actor.can("insights.export"):
        raise PermissionDenied
    with transaction.atomic():
        record(
            actor=actor,
            action="insights.export",
            object_type="insights.table",
            object_id=what,
            changes={
                "format": fmt,
                "region": region.code if region else "",
                "district": district or "",
                **params,
            },
            region=region,
            agency=actor.agency_id,
        )
