"""The case worker's side: the vacancy search for a case, placement requests (the address only on an
accepted request's own page, never in a list), withdrawing, the waiting list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from qorgau.cases.models import Case
from qorgau.core.views_base import get_visible_or_404, require_action

from ..forms import RequestForm, SearchForm, WithdrawForm, format_children
from ..models import Facility, PlacementRequest, PlaceType
from ..queries import SearchQuery, my_requests, reveal_address, search_vacancies
from ..services import do_add_to_waiting_list, do_request_placement, do_withdraw_request, is_requester_side


def _own_case(request: HttpRequest, case_pk: int) -> Case:
    require_action(request, "facilities.request")
    cases = Case.objects.visible_to(request.user, "change", grants=False).select_related("region")
    return get_visible_or_404(cases, request.user, pk=case_pk)


@login_required
@require_safe
def search(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = _own_case(request, case_pk)
    data = request.GET if "place_type" in request.GET else None
    form = SearchForm(data, initial={"region": case.region_id})
    results: list[Any] = []
    query = None
    if form.is_valid():
        d = form.cleaned_data
        query = SearchQuery(
            place_type=d["place_type"],
            origin=d["origin"],
            region=d["region"] or (None if d["origin"] else case.region),
            children=d["children"],
            accessibility=d["accessibility"],
            language=d["language"],
            types=d["types"] or SearchQuery().types,
            pets=d["pets"],
            include_full=d["include_full"],
        )
        results = search_vacancies(request.user, query)
    request_initial = (
        {"place_type": query.place_type, "children": format_children(query.children)} if query else {}
    )
    context = {
        "case": case,
        "form": form,
        "results": results,
        "searched": query is not None,
        "request_form": RequestForm(initial=request_initial),
    }
    return render(request, "facilities/search.html", context)


@login_required
@require_POST
def request_create(request: HttpRequest, case_pk: int, facility_pk: int) -> HttpResponse:
    case = _own_case(request, case_pk)
    facility = Facility.objects.filter(pk=facility_pk, is_active=True).select_related("agency").first()
    if facility is None:
        raise Http404
    form = RequestForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect("facilities:search", case_pk=case.pk)
    try:
        placement_request = do_request_placement(
            actor=request.user,  # type: ignore[arg-type]
            case=case,
            facility=facility,
            **form.cleaned_data,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("facilities:search", case_pk=case.pk)
    messages.success(
        request,
        _("Request %(code)s sent; the facility answers by %(due)s.")
        % {
            "code": placement_request.code,
            "due": placement_request.answer_due.strftime("%Y-%m-%d %H:%M"),
        },
    )
    return redirect("facilities:request_detail", pk=placement_request.pk)


@login_required
@require_POST
def waiting_add(request: HttpRequest, case_pk: int, facility_pk: int) -> HttpResponse:
    case = _own_case(request, case_pk)
    facility = Facility.objects.filter(pk=facility_pk, is_active=True).first()
    if facility is None:
        raise Http404
    place_type = request.POST.get("place_type", "")
    try:
        do_add_to_waiting_list(
            actor=request.user,  # type: ignore[arg-type]
            facility=facility,
            case=case,
            place_type=place_type if place_type in PlaceType.values else "",
        )
        messages.success(request, _("The case is on the facility's waiting list."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("facilities:search", case_pk=case.pk)


@login_required
@require_safe
def request_list(request: HttpRequest) -> HttpResponse:
    require_action(request, "facilities.request")
    rows = list(my_requests(request.user)[:100])
    return render(request, "facilities/request_list.html", {"requests": rows})


@login_required
@require_safe
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_action(request, "facilities.view")
    visible = PlacementRequest.objects.visible_to(request.user).select_related(
        "case", "facility__agency", "facility__settlement", "referral"
    )
    placement_request = get_visible_or_404(visible, request.user, pk=pk)
    context = {
        "req": placement_request,
        "address": reveal_address(request.user, placement_request.facility),
        "may_withdraw": is_requester_side(request.user, placement_request),  # type: ignore[arg-type]
        "withdraw_form": WithdrawForm(),
        "hold": getattr(placement_request, "hold", None),
    }
    return render(request, "facilities/request_detail.html", context)


@login_required
@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    require_action(request, "facilities.request")
    visible = PlacementRequest.objects.visible_to(request.user, grants=False)
    placement_request = get_visible_or_404(visible, request.user, pk=pk)
    form = WithdrawForm(request.POST)
    url = reverse("facilities:request_detail", args=[placement_request.pk])
    if not form.is_valid():
        messages.error(request, _("Say why the request is withdrawn."))
        return redirect(url)
    try:
        do_withdraw_request(actor=request.user, request=placement_request, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
        messages.success(request, _("Request withdrawn."))
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(url)
