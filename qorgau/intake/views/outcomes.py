"""Working a signal: assignment, first contact, the victim's refusal, reconciliation and the legal outcome.

Each page gates on the role's action (403) and looks the signal up inside `visible_to(user, action)` (404
out of scope), then calls one service. The forms are also on the signal's page; a form with errors comes
back on its own page with everything typed kept.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from qorgau.core.views_base import get_visible_or_404, htmx_partial

from .. import flows
from ..forms import (
    OUTCOME_FIELDS,
    AssignForm,
    FirstContactForm,
    OutcomeForm,
    ReconciliationForm,
    TransferForm,
    VictimDeclinedForm,
    now_local,
)
from ..models import OutcomeKind, Signal
from ..services import (
    do_assign_signal,
    do_record_first_contact,
    do_record_victim_declined,
    do_request_reconciliation,
    do_transfer_signal,
)
from .common import apply_errors, htmx_redirect, require_action


class SignalActionView(LoginRequiredMixin, View):
    """GET shows the form, POST calls `perform`; errors come back into the form, success to the signal."""

    action = "change"  # intake.<action> is required, and the signal must be in visible_to(user, action)
    title: Any = ""
    submit_label: Any = gettext_lazy("Save")
    template_name = "intake/signal_action.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            require_action(request, f"intake.{self.action}")
            self.signal = get_visible_or_404(
                Signal.objects.visible_to(request.user, self.action).select_related("region", "agency"),
                request.user,
                pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)  # type: ignore[return-value]

    def get_form(self, data: Any = None) -> forms.Form:
        raise NotImplementedError

    def perform(self, form: Any) -> str:
        """Call the service; return the success message."""
        raise NotImplementedError

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render(request, self.get_form())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                message = self.perform(form)
            except ValidationError as exc:
                apply_errors(form, exc)
            except PermissionDenied:
                raise
            else:
                messages.success(request, message)
                return htmx_redirect(request, reverse("intake:signal_detail", args=[self.signal.pk]))
        return self.render(request, form)

    def context(self, form: forms.Form) -> dict[str, Any]:
        return {"signal": self.signal, "form": form, "title": self.title, "submit_label": self.submit_label}

    def render(self, request: HttpRequest, form: forms.Form) -> HttpResponse:
        return render(request, self.template_name, self.context(form))


class AssignView(SignalActionView):
    title = gettext_lazy("Assign the signal")
    submit_label = gettext_lazy("Assign")

    def get_form(self, data: Any = None) -> forms.Form:
        return AssignForm(data, signal=self.signal, initial={"assignee": self.signal.assigned_to_id})

    def perform(self, form: Any) -> str:
        assignee = form.cleaned_data["assignee"]
        do_assign_signal(actor=self.request.user, signal=self.signal, assignee=assignee)  # type: ignore[arg-type]
        if assignee is None:
            return _("The signal is no longer assigned.")
        return _("The signal is assigned to %(name)s.") % {"name": assignee.get_full_name() or assignee}


class FirstContactView(SignalActionView):
    title = gettext_lazy("Record the first contact with the victim")

    def get_form(self, data: Any = None) -> forms.Form:
        return FirstContactForm(data, initial={"contacted_at": now_local()})

    def perform(self, form: Any) -> str:
        do_record_first_contact(
            actor=self.request.user,  # type: ignore[arg-type]
            signal=self.signal,
            contacted_at=form.cleaned_data["contacted_at"],
        )
        return _("The first contact is recorded.")


class VictimDeclinedView(SignalActionView):
    title = gettext_lazy("Record that the victim declined to cooperate")

    def get_form(self, data: Any = None) -> forms.Form:
        return VictimDeclinedForm(data, initial={"declined_at": now_local()})

    def perform(self, form: Any) -> str:
        do_record_victim_declined(
            actor=self.request.user,  # type: ignore[arg-type]
            signal=self.signal,
            declined_at=form.cleaned_data["declined_at"],
            note=form.cleaned_data["note"].strip(),
        )
        return _("The victim's refusal is recorded. The signal stays open and still needs its outcome.")


class TransferView(SignalActionView):
    title = gettext_lazy("Hand the signal over to another region")
    submit_label = gettext_lazy("Hand over")

    def get_form(self, data: Any = None) -> forms.Form:
        return TransferForm(data, signal=self.signal)

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        signal = do_transfer_signal(
            actor=self.request.user,  # type: ignore[arg-type]
            signal=self.signal,
            region=data["region"],
            district=data["district"],
            reason=data["reason"],
        )
        return _("The signal is handed over to %(region)s; its police will assign an inspector.") % {
            "region": signal.region
        }


class ReconciliationView(SignalActionView):
    action = "reconcile"
    title = gettext_lazy("Request reconciliation of the parties")
    submit_label = gettext_lazy("Request a decision")

    def get_form(self, data: Any = None) -> forms.Form:
        return ReconciliationForm(data, signal=self.signal)

    def perform(self, form: Any) -> str:
        decision = do_request_reconciliation(
            actor=self.request.user,  # type: ignore[arg-type]
            signal=self.signal,
            offender=form.cleaned_data["offender"],
            note=form.cleaned_data["note"],
        )
        if decision.allowed:
            return _("Reconciliation is allowed. %(explanation)s") % {"explanation": decision.explanation}
        messages.warning(self.request, decision.explanation)
        return _("Reconciliation is refused (rule set %(version)s, rule %(rule)s).") % {
            "version": decision.rule_set.code,
            "rule": decision.rule_code,
        }


class OutcomeCreateView(SignalActionView):
    """Record a legal measure (or correct one). The kind is chosen first (htmx swaps in its fields; without
    JavaScript a 'Show the fields' button reloads with `?kind=`); a protective order is issued and recorded
    at once (`flows.record_measure`). A decisive measure closes the signal; a protective one does not."""

    action = "outcome"
    title = gettext_lazy("Record a legal measure")
    submit_label = gettext_lazy("Record the measure")
    template_name = "intake/outcome_form.html"

    def kind(self) -> str:
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        kind = source.get("kind", "")
        return kind if kind in OUTCOME_FIELDS else ""

    def get_form(self, data: Any = None) -> forms.Form:
        initial = {"decided_at": now_local(), "served_at": now_local(), "kind": self.kind()}
        return OutcomeForm(data, signal=self.signal, kind=self.kind(), initial=initial)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if request.POST.get("choose") or not self.kind():
            # Only the kind changed (no-JavaScript path): show its fields, keep what was typed, no errors.
            form = self.get_form(request.POST)
            form._errors = forms.utils.ErrorDict()  # type: ignore[attr-defined]
            return self.render(request, form)
        return super().post(request, pk)

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        texts = ("article", "part", "case_number", "details", "reason", "correction_reason", "order_number")
        measure, order = flows.record_measure(
            actor=self.request.user,  # type: ignore[arg-type]
            signal=self.signal,
            kind=data["kind"],
            decided_at=data.get("decided_at"),
            referred_agency=data.get("referred_agency"),
            corrects=data.get("corrects"),
            offender=data.get("offender"),
            served_at=data.get("served_at"),
            **{name: data.get(name) or "" for name in texts},
        )
        if order is not None:
            return _(
                "The protective order is issued (in force until %(expires)s, %(checks)d compliance checks "
                "scheduled) and recorded as a measure. The signal stays open until its outcome is recorded."
            ) % {
                "expires": formats.date_format(timezone.localtime(order.expires_at), "SHORT_DATETIME_FORMAT"),
                "checks": order.checks.count(),
            }
        if measure.is_decisive:
            return _("The outcome is recorded: %(kind)s. The signal is closed.") % {
                "kind": measure.get_kind_display()
            }
        return _(
            "The measure is recorded: %(kind)s. The signal stays open until its outcome is recorded."
        ) % {"kind": measure.get_kind_display()}

    def context(self, form: forms.Form) -> dict[str, Any]:
        return {**super().context(form), "kind": self.kind(), "kinds": OutcomeKind.choices}

    def render(self, request: HttpRequest, form: forms.Form) -> HttpResponse:
        template = f"{self.template_name}#fields" if htmx_partial(request) else self.template_name
        return render(request, template, self.context(form))
