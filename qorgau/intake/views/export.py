"""Export of the filtered signal list to XLSX, within the user's scope, audited.

The sheet holds no names, IINs, addresses or accounts: registration numbers, places at region and district
level, dates, structured facts and deadlines only. Exports of identifying data must be encrypted (DOMAIN.md
8.9); this one carries none, and its header says so. Larger exports than EXPORT_MAX_ROWS are refused with a
message asking to narrow the filters, rather than cut silently.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from openpyxl import Workbook

from qorgau.core.audit import record

from ..filters import SignalFilter
from ..models import (
    FORM_FIELDS,
    ChildInvolvement,
    OffenderRelationship,
    PartyRelationship,
    PartyRole,
    SignalParty,
    ViolenceForm,
)
from ..queries import signal_list
from .common import require_action

EXPORT_MAX_ROWS = 20_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _moment(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _yes(value: bool) -> str:
    return _("yes") if value else ""


def _children(involvement: str) -> Subquery:
    """The number of child parties of the signal with `involvement` (a count, never who)."""
    counted = (
        SignalParty.objects.filter(signal=OuterRef("pk"), role=PartyRole.CHILD, child_involvement=involvement)
        .order_by()
        .values("signal")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(counted, output_field=IntegerField())


RELATIONSHIP_ORDER = {code: i for i, code in enumerate(OffenderRelationship.values)}


def _relationships(signal: Any) -> str:
    codes = sorted(
        {pair.relationship for pair in signal.relationships.all()},
        key=lambda c: RELATIONSHIP_ORDER.get(c, 99),
    )
    labels = dict(OffenderRelationship.choices)
    return ", ".join(str(labels[code]) for code in codes)


@login_required
@require_safe  # a read: GET (and HEAD) only
def signal_export(request: HttpRequest) -> HttpResponse:
    require_action(request, "intake.export")
    user = request.user
    filterset = SignalFilter(request.GET or None, queryset=signal_list(user, "export"), request=request)  # type: ignore[arg-type]
    list_url = reverse("intake:signal_list")
    query = request.GET.urlencode()
    back = f"{list_url}?{query}" if query else list_url
    if filterset.is_bound and not filterset.is_valid():
        messages.error(request, _("Correct the filters before exporting."))
        return redirect(back)
    rows = (
        filterset.qs.select_related("agency")
        .annotate(
            children_witness=_children(ChildInvolvement.WITNESS),
            children_affected=_children(ChildInvolvement.AFFECTED),
        )
        .prefetch_related(
            Prefetch("relationships", queryset=PartyRelationship.objects.only("signal_id", "relationship"))
        )
        .order_by("-received_at", "-id")
    )
    count = rows.count()
    if count > EXPORT_MAX_ROWS:
        messages.error(
            request,
            _("%(count)s signals match: an export holds at most %(max)s. Narrow the filters (region, dates).")
            % {"count": formats.number_format(count, force_grouping=True), "max": EXPORT_MAX_ROWS},
        )
        return redirect(back)

    now = timezone.localtime()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Signals"))
    sheet.append([_("Qorgau: signals of domestic violence")])
    sheet.append(
        [
            _(
                "Non-identifying data only: no names, IINs, addresses or accounts of what happened. "
                "Identifying data is never exported unencrypted."
            )
        ]
    )
    filters = filterset.used_filters()
    sheet.append(
        [
            _("Exported %(when)s by %(user)s; filters: %(filters)s; %(count)d rows.")
            % {
                "when": now.strftime("%Y-%m-%d %H:%M"),
                "user": user.get_username(),
                "filters": ", ".join(f"{k}={v}" for k, v in filters.items()) or _("none"),
                "count": count,
            }
        ]
    )
    sheet.append([])
    form_labels = dict(ViolenceForm.choices)
    sheet.append(
        [
            _("Registration number"),
            _("Received"),
            _("Region"),
            _("District"),
            _("Registering agency"),
            _("Channel"),
            _("Status"),
            _("Forms of violence"),
            _("Children present or affected"),
            _("Children who witnessed"),
            _("Children affected"),
            _("Offenders' relationships to the victims"),
            _("Weapon"),
            _("Injuries"),
            _("Alcohol or drugs"),
            _("Victim declined to cooperate"),
            _("First contact due"),
            _("First contact made"),
            _("Outcome due"),
            _("Overdue"),
            _("Outcome"),
            _("Outcome decided"),
            _("Breach of a protective order"),
        ]
    )
    for signal in rows.iterator(chunk_size=2000):
        sheet.append(
            [
                signal.registration_number,
                _moment(signal.received_at),
                str(signal.region),
                str(signal.district) if signal.district_id else "",
                str(signal.agency),
                signal.get_channel_display(),
                signal.get_status_display(),
                ", ".join(str(form_labels[f]) for f, field in FORM_FIELDS.items() if getattr(signal, field)),
                _yes(signal.children_present),
                signal.children_witness or 0,
                signal.children_affected or 0,
                _relationships(signal),
                _yes(signal.weapon),
                _yes(signal.injuries),
                _yes(signal.alcohol_or_drugs),
                _yes(signal.victim_declined),
                _moment(signal.first_contact_due),
                _moment(signal.first_contact_at),
                _moment(signal.outcome_due),
                _yes(signal.is_overdue),
                signal.outcome.get_kind_display() if signal.outcome_id else "",
                _moment(signal.outcome.decided_at) if signal.outcome_id else "",
                _yes(signal.breach_of_id is not None),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    record(
        actor=user,  # type: ignore[arg-type]
        action="signal.export",
        object_type="intake.signal",
        changes={"filters": filters, "rows": count, "format": "xlsx"},
    )
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="signals-{now:%Y%m%d-%H%M}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response
