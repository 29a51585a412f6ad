"""The app's one write: the audit row of an export (a table, the regional report). Figures are aggregate,
but who took which figures out of the system, for which regions and period, is for the auditors."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from qorgau.core.audit import record
from qorgau.core.models import Region

from .models import ReportRun, ReportStatus


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


def do_request_report(*, actor: Any, region: Region, fmt: str, query: str, language: str) -> ReportRun:
    """Ask for the regional report of `region` as `fmt` ("pdf" or "xlsx") in the background; audited.
    The region must be one the actor may open (the view resolves it; checked again here)."""
    from .periods import reachable_regions
    from .tasks import generate_report

    if not actor.can("insights.export"):
        raise PermissionDenied
    if fmt not in ("pdf", "xlsx") or region.pk not in {r.pk for r in reachable_regions(actor)}:
        raise PermissionDenied
    with transaction.atomic():
        run = ReportRun.objects.create(
            requested_by=actor, region=region, fmt=fmt, query=query[:500], language=language[:8]
        )
        record(
            actor=actor,
            action="insights.report_request",
            obj=run,
            changes={"format": fmt, "region": region.code, "query": run.query},
            region=region,
            agency=actor.agency_id,
        )
        transaction.on_commit(lambda: generate_report.enqueue(run.pk))
    return run


def do_report_progress(*, run: ReportRun, status: str, progress: int) -> None:
    ReportRun.objects.filter(pk=run.pk).update(status=status, progress=progress)


def do_finish_report(*, run: ReportRun, content: bytes | None, filename: str = "") -> None:
    """Store the generated file (or the failure) of a run."""
    status = ReportStatus.DONE if content is not None else ReportStatus.FAILED
    ReportRun.objects.filter(pk=run.pk).update(
        status=status, progress=100, content=content, filename=filename, finished_at=timezone.now()
    )
