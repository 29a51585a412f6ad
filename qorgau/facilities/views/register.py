"""The facility register of administrators (facilities.register) and a facility's page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from qorgau.core.permissions import has_action
from qorgau.core.views_base import apply_errors, require_action

from ..forms import FacilityForm
from ..models import PlaceType
from ..queries import facility_for, register, reveal_address, staff_facility
from ..services import do_register_facility


@login_required
@require_safe
def facility_list(request: HttpRequest) -> HttpResponse:
    require_action(request, "facilities.register")
    facilities = list(register(request.user).order_by("region__name_ru", "type", "agency__name", "id"))
    return render(
        request, "facilities/facility_list.html", {"facilities": facilities, "place_types": PlaceType.choices}
    )


@login_required
@require_http_methods(["GET", "POST"])
def facility_create(request: HttpRequest) -> HttpResponse:
    require_action(request, "facilities.register")
    form = FacilityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        places = form.places()
        for key in list(data):
            if key.startswith("places_"):
                del data[key]
        try:
            facility = do_register_facility(
                actor=request.user,  # type: ignore[arg-type]
                name=data.pop("name"),
                settlement=data.pop("settlement"),
                type=data.pop("type"),
                operator=data.pop("operator"),
                address=data.pop("address"),
                places=places,
                **data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Facility %(code)s registered.") % {"code": facility.code})
            return redirect("facilities:facility_detail", pk=facility.pk)
    return render(request, "facilities/facility_form.html", {"form": form})


@login_required
@require_safe
def facility_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if not (has_action(user, "facilities.register") or has_action(user, "facilities.change")):
        raise PermissionDenied
    facility = facility_for(user, pk)
    if facility is None:
        raise Http404
    context: dict[str, Any] = {
        "facility": facility,
        "capacities": list(facility.capacities.order_by("place_type")),
        "address": reveal_address(user, facility),
        "is_staff": staff_facility(user) == facility,
    }
    return render(request, "facilities/facility_detail.html", context)
