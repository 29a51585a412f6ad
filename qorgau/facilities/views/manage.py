"""The facility manager's page: places and vacancies (one click per change, as of now), requests waiting
for an answer, places held, people staying (extend, discharge), the waiting list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from qorgau.core.views_base import apply_errors, get_visible_or_404, require_action

from ..forms import DeclineForm, DischargeForm, ExtendForm
from ..models import Capacity, Facility, Placement, PlacementRequest
from ..queries import (
    current_placements,
    holds_lapsing,
    requests_waiting,
    reveal_address,
    staff_facility,
    waiting_list,
)
from ..services import (
    do_accept_request,
    do_admit,
    do_confirm_vacancies,
    do_decline_request,
    do_discharge,
    do_extend_stay,
    do_step_vacancy,
)


def _own_facility(request: HttpRequest) -> Facility:
    require_action(request, "facilities.change")
    facility = staff_facility(request.user)
    if facility is None:
        raise Http404
    return facility


def _errors(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    if isinstance(exc, PermissionDenied):
        raise Http404 from exc
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_safe
def manage(request: HttpRequest) -> HttpResponse:
    facility = _own_facility(request)
    user = request.user
    context: dict[str, Any] = {
        "facility": facility,
        "address": reveal_address(user, facility),
        "capacities": list(facility.capacities.order_by("place_type")),
        "now": timezone.now(),
        "requests": list(requests_waiting(user)[:50]),
        "holds": list(holds_lapsing(user)[:50]),
        "placements": list(current_placements(user, facility)[:200]),
        "waiting": list(waiting_list(user, facility)[:100]),
        "decline_form": DeclineForm(),
    }
    return render(request, "facilities/manage.html", context)


@login_required
@require_POST
def vacancy_step(request: HttpRequest, pk: int) -> HttpResponse:
    facility = _own_facility(request)
    capacity = Capacity.objects.filter(facility=facility, pk=pk).first()
    if capacity is None:
        raise Http404
    step = 1 if request.POST.get("step") == "1" else -1
    try:
        do_step_vacancy(actor=request.user, facility=facility, place_type=capacity.place_type, step=step)  # type: ignore[arg-type]
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    return redirect("facilities:manage")


@login_required
@require_POST
def vacancy_confirm(request: HttpRequest) -> HttpResponse:
    facility = _own_facility(request)
    do_confirm_vacancies(actor=request.user, facility=facility)  # type: ignore[arg-type]
    messages.success(request, _("Vacancies confirmed as of now."))
    return redirect("facilities:manage")


def _request_of(request: HttpRequest, pk: int) -> PlacementRequest:
    facility = _own_facility(request)
    visible = PlacementRequest.objects.visible_to(request.user, "change").filter(facility=facility)
    return get_visible_or_404(
        visible.select_related("referral__purpose", "case", "facility"), request.user, pk=pk
    )


@login_required
@require_POST
def request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    placement_request = _request_of(request, pk)
    try:
        if request.POST.get("answer") == "accept":
            do_accept_request(actor=request.user, request=placement_request)  # type: ignore[arg-type]
            messages.success(request, _("Request accepted: the places are held."))
        else:
            form = DeclineForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Choose why the request is declined."))
                return redirect("facilities:manage")
            do_decline_request(
                actor=request.user,  # type: ignore[arg-type]
                request=placement_request,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Request declined."))
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    return redirect("facilities:manage")


@login_required
@require_POST
def request_admit(request: HttpRequest, pk: int) -> HttpResponse:
    placement_request = _request_of(request, pk)
    try:
        placement = do_admit(
            actor=request.user,  # type: ignore[arg-type]
            facility=placement_request.facility,
            case=placement_request.case,
            request=placement_request,
        )
        messages.success(request, _("Admitted: %(code)s.") % {"code": placement.code})
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    return redirect("facilities:manage")


def _placement_of(request: HttpRequest, pk: int) -> Placement:
    facility = _own_facility(request)
    visible = Placement.objects.visible_to(request.user, "change").filter(facility=facility)
    return get_visible_or_404(visible.select_related("case", "capacity", "facility"), request.user, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def discharge(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _placement_of(request, pk)
    form = DischargeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_discharge(actor=request.user, placement=placement, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Discharged: %(code)s.") % {"code": placement.code})
            return redirect("facilities:manage")
    return render(
        request,
        "facilities/placement_form.html",
        {"placement": placement, "form": form, "title": _("Discharge")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def extend(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _placement_of(request, pk)
    form = ExtendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_extend_stay(actor=request.user, placement=placement, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Stay extended: %(code)s.") % {"code": placement.code})
            return redirect("facilities:manage")
    return render(
        request,
        "facilities/placement_form.html",
        {"placement": placement, "form": form, "title": _("Extend the stay")},
    )
