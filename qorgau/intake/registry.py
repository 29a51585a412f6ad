"""What the intake app declares to core (collected by qorgau.core.domains)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from qorgau.core.domains import Domain, MenuEntry, UrlInclude
from qorgau.core.panels import Panel
from qorgau.core.permissions import Opening

from .home import QUEUES
from .queries import person_history

REPORTER = ["intake.view", "intake.add"]


def _history_panel(user: Any, person: Any) -> dict[str, Any]:
    return {"histories": [person_history(user, person)]}


DOMAIN = Domain(
    actions={
        "intake.view": _("see signals, outcomes, protective orders and reconciliation decisions"),
        "intake.add": _("register signals and report breaches of protective orders"),
        "intake.change": _("assign signals, record first contact, compliance checks and a victim's refusal"),
        "intake.outcome": _("record legal outcomes and issue protective orders"),
        "intake.reconcile": _("request a reconciliation decision"),
        "intake.export": _("export signal lists"),
    },
    grants={
        "duty_officer": [*REPORTER, "intake.change"],
        "district_inspector": [
            *REPORTER,
            "intake.change",
            "intake.outcome",
            "intake.reconcile",
            "intake.export",
        ],
        "case_worker": REPORTER,
        "doctor": REPORTER,
        "district_social_worker": REPORTER,
        "conference_chair": ["intake.view"],
    },
    menu=[
        MenuEntry("signals", _("Signals"), "intake:signal_list", action="intake.view", order=20),
        MenuEntry("orders", _("Protective orders"), "intake:order_list", action="intake.view", order=21),
    ],
    api="qorgau.intake.api",
    queues=QUEUES,
    urls=[UrlInclude("signals/", "qorgau.intake.urls")],
    # The person page lists the person's signals, orders and outcomes (people never imports intake).
    panels=[
        Panel(
            "people.person",
            "intake-history",
            template="intake/includes/person_panel.html",
            action="intake.view",
            context=_history_panel,
            order=10,
        )
    ],
    # Whoever sees a signal may open (read) its parties' person records, within the signal's scope.
    openings=[Opening("people.Person", through="intake.SignalParty", field="person")],
)
