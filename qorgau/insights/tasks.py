"""Background tasks of insights (django.tasks): the regional report."""

from __future__ import annotations

import logging

from django.tasks import task

logger = logging.getLogger(__name__)


@task()
def generate_report(run_id: int) -> str:
    """Build the report of a ReportRun as its requester would see it, in the language asked for."""
    from django.http import HttpRequest, QueryDict
    from django.utils import translation

    from .models import ReportRun, ReportStatus
    from .services import do_finish_report, do_report_progress
    from .views.report import render_report

    run = ReportRun.objects.select_related("requested_by", "region").get(pk=run_id)
    do_report_progress(run=run, status=ReportStatus.RUNNING, progress=10)
    request = HttpRequest()
    request.user = run.requested_by
    request.GET = QueryDict(run.query)
    try:
        with translation.override(run.language):
            content, filename = render_report(request, run.region.code, run.fmt, progress=run)
    except Exception:
        logger.exception("insights report run %s failed", run_id)
        do_finish_report(run=run, content=None)
        return "failed"
    do_finish_report(run=run, content=content, filename=filename)
    return filename
