"""Consent pages of a person: the list with each consent's status, recording one, withdrawing one.

Thin views: parse, call services/consent.py, render. A role without the action answers 403; a person or
consent outside the user's scope answers 404 (the same as one that does not exist).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from qorgau.core.audit import record
from qorgau.core.permissions import has_action
from qorgau.core.views_base import get_visible_or_404

from ..forms import ConsentForm, WithdrawConsentForm
from ..models import Consent, Person
from ..services.consent import (
    STATUS_LABELS,
    consent_status,
    consents_of,
    do_record_consent,
    do_withdraw_consent,
)


def _require(request: HttpRequest, action: str) -> None:
    if not has_action(request.user, action):
        raise PermissionDenied


@login_required
@require_safe  # a read: GET (and HEAD) only
def consent_list(request: HttpRequest, person_pk: int) -> HttpResponse:
    _require(request, "people.view")
    person = get_visible_or_404(Person.objects.visible_to(request.user, "view"), request.user, pk=person_pk)
    now = timezone.now()
    consents = [
        (consent, consent_status(consent, now))
        for consent in consents_of(user=request.user, person=person)  # type: ignore[arg-type]
    ]
    record(actor=request.user, action="consent.list", obj=person)  # type: ignore[arg-type]
    return render(
        request,
        "people/consent_list.html",
        {
            "person": person,
            "consents": [(c, status, STATUS_LABELS[status]) for c, status in consents],
            "can_record": has_action(request.user, "people.consent"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_create(request: HttpRequest, person_pk: int) -> HttpResponse:
    _require(request, "people.consent")
    person = get_visible_or_404(
        Person.objects.visible_to(request.user, "consent"), request.user, pk=person_pk
    )
    if request.method == "POST":
        form = ConsentForm(request.POST)
        if form.is_valid():
            try:
                do_record_consent(actor=request.user, person=person, **form.cleaned_data)  # type: ignore[arg-type]
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The consent has been recorded."))
                return redirect("people:consent_list", person_pk=person.pk)
    else:
        form = ConsentForm(initial={"granted_at": timezone.localtime().replace(second=0, microsecond=0)})
    return render(request, "people/consent_form.html", {"person": person, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "people.consent")
    consent = get_visible_or_404(
        Consent.objects.visible_to(request.user, "consent").select_related("person", "receiving_agency"),
        request.user,
        pk=pk,
    )
    if request.method == "POST":
        form = WithdrawConsentForm(request.POST)
        if form.is_valid():
            try:
                do_withdraw_consent(actor=request.user, consent=consent, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The consent has been withdrawn."))
                return redirect("people:consent_list", person_pk=consent.person_id)
    else:
        form = WithdrawConsentForm()
    status = consent_status(consent)
    return render(
        request,
        "people/consent_withdraw.html",
        {"consent": consent, "person": consent.person, "form": form, "status_label": STATUS_LABELS[status]},
    )
