"""Protective orders: those in force per district, checks due this week, breaches; recording a check and
reporting a breach (a breach is a new signal linked to the order)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Min, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from qorgau.core.permissions import has_action
from qorgau.core.views_base import ScopedListView, get_visible_or_404

from ..filters import districts_for
from ..forms import BreachForm, ComplianceCheckForm, new_idempotency_key, now_local
from ..models import CheckResult, ComplianceCheck, ProtectiveOrder, Signal
from ..queries import checks_due, orders_in_force
from ..services import do_record_compliance_check, do_report_breach
from .common import apply_errors, htmx_redirect, redirect_back, require_action

WEEK = dt.timedelta(days=7)
PANEL_LIMIT = 100


class OrderListView(ScopedListView):
    """Orders in force (optionally of one district), checks due in the next seven days, recent breaches."""

    model = ProtectiveOrder
    template_name = "intake/order_list.html"
    context_object_name = "orders"

    def get_queryset(self) -> QuerySet[Any]:
        user = self.request.user
        district_id = self.request.GET.get("district", "")
        self.district = (
            districts_for(self.request).filter(pk=district_id).first() if district_id.isdigit() else None
        )
        return orders_in_force(user, district=self.district).annotate(  # type: ignore[arg-type]
            next_check=Min("checks__due_at", filter=Q(checks__done_at__isnull=True))
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        now = timezone.now()
        checks = checks_due(user, now, now + WEEK)  # type: ignore[arg-type]
        breaches = (
            Signal.objects.visible_to(user)
            .filter(breach_of__isnull=False)
            .select_related("region", "district", "breach_of")
            .order_by("-received_at", "-id")
        )
        if self.district is not None:
            checks = checks.filter(order__signal__district=self.district)
            breaches = breaches.filter(breach_of__signal__district=self.district)
        context.update(
            districts=districts_for(self.request),
            district=self.district,
            checks=list(checks[:PANEL_LIMIT]),
            breaches=list(breaches[:PANEL_LIMIT]),
            can_check=has_action(user, "intake.change"),
            can_report=has_action(user, "intake.add"),
            check_form=ComplianceCheckForm(initial={"done_at": now_local()}),
        )
        return context


class ComplianceCheckView(LoginRequiredMixin, View):
    """Record one scheduled compliance check. A breach found leads on to reporting it as a new signal."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            require_action(request, "intake.change")
            self.check = get_visible_or_404(
                ComplianceCheck.objects.visible_to(request.user, "change").select_related("order__signal"),
                request.user,
                pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)  # type: ignore[return-value]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render(request, ComplianceCheckForm(initial={"done_at": now_local()}))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = ComplianceCheckForm(request.POST)
        if form.is_valid():
            try:
                do_record_compliance_check(
                    actor=request.user,  # type: ignore[arg-type]
                    check=self.check,
                    done_at=form.cleaned_data["done_at"],
                    result=form.cleaned_data["result"],
                    notes=form.cleaned_data["notes"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                if form.cleaned_data["result"] == CheckResult.BREACH:
                    messages.warning(request, _("Breach recorded. Report it now as a new signal."))
                    return htmx_redirect(request, reverse("intake:breach_report", args=[self.check.order_id]))
                messages.success(request, _("The compliance check is recorded."))
                return redirect_back(
                    request, reverse("intake:signal_detail", args=[self.check.order.signal_id])
                )
        return self.render(request, form)

    def render(self, request: HttpRequest, form: ComplianceCheckForm) -> HttpResponse:
        context = {
            "form": form,
            "signal": self.check.order.signal,
            "title": _("Record the compliance check due %(due)s")
            % {"due": timezone.localtime(self.check.due_at).strftime("%Y-%m-%d %H:%M")},
            "submit_label": _("Save"),
        }
        return render(request, "intake/signal_action.html", context)


class BreachReportView(LoginRequiredMixin, View):
    """Report a breach of a protective order: registered as a new signal with the order's parties."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            require_action(request, "intake.add")
            self.order = get_visible_or_404(
                ProtectiveOrder.objects.visible_to(request.user).select_related("signal"),
                request.user,
                pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)  # type: ignore[return-value]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        initial = {"received_at": now_local(), "idempotency_key": new_idempotency_key()}
        return self.render(request, BreachForm(initial=initial))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = BreachForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                signal = do_report_breach(
                    actor=request.user,  # type: ignore[arg-type]
                    order=self.order,
                    received_at=data["received_at"],
                    channel=data["channel"],
                    forms=data["violence_forms"],
                    account=data["account"].strip(),
                    children_present=data["children_present"],
                    weapon=data["weapon"],
                    injuries=data["injuries"],
                    alcohol_or_drugs=data["alcohol_or_drugs"],
                    idempotency_key=data["idempotency_key"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The breach is registered as signal %(number)s.")
                    % {"number": signal.registration_number},
                )
                return htmx_redirect(request, reverse("intake:signal_detail", args=[signal.pk]))
        return self.render(request, form)

    def render(self, request: HttpRequest, form: BreachForm) -> HttpResponse:
        context = {
            "form": form,
            "signal": self.order.signal,
            "title": _("Report a breach of protective order %(order)s") % {"order": self.order},
            "submit_label": _("Register the breach"),
        }
        return render(request, "intake/signal_action.html", context)
