"""What the intake app declares to core (collected by qorgau.core.domains)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qorgau.core.domains import Domain, MenuEntry, UrlInclude

from .home import QUEUES

REPORTER = ["intake.view", "intake.add"]

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
)
