"""The printable signal card: one signal on paper, as its page shows it, without the site's navigation.

Same permission and scope as the signal's page (403 without intake.view, 404 outside scope, the denied
attempt audited), and every card printed is an audited read of its own (`signal.print`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.utils import timezone

from qorgau.core.audit import record

from ..models import ViolenceForm
from ..queries import signal_parties
from .signals import SignalDetailView


class SignalCardView(SignalDetailView):
    template_name = "intake/signal_card.html"
    audit_read = False  # recorded below as a print, not as a view of the page

    def get_object(self, queryset: QuerySet[Any] | None = None) -> Model:
        signal = super().get_object(queryset)
        record(actor=self.request.user, action="signal.print", obj=signal)  # type: ignore[arg-type]
        return signal

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # Not the page's context: no forms, no history panel (the card is about this signal only).
        signal = self.object
        user = self.request.user
        orders = list(
            signal.protective_orders.select_related("offender", "validity_rule", "check_interval_rule")
            .prefetch_related("checks", "victims")
            .order_by("-served_at", "-id")
        )
        return {
            "signal": signal,
            "object": signal,
            "parties": signal_parties(user, signal),  # type: ignore[arg-type]
            "outcomes": list(signal.outcomes.select_related("recorded_by", "referred_agency", "order")),
            "orders": orders,
            "decisions": list(
                signal.reconciliation_decisions.select_related("rule_set", "offender", "decided_by")
            ),
            "form_labels": [label for value, label in ViolenceForm.choices if value in signal.forms],
            "printed_at": timezone.now(),
            "printed_by": user,
        }
