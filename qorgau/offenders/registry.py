"""What the offenders app declares to core (collected by qorgau.core.domains): actions, the two roles it
brings (the narcologist who examines, the programme provider), grants, menu, pages, queues, the signal
page's panel and the overdue sweep."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from qorgau.core.domains import Domain, MenuEntry, RoleSpec, Schedule, UrlInclude
from qorgau.core.panels import Panel

from .home import QUEUES
from .panels import signal_panel

# Frozen copy in migrations/0003_role_grants.py (core/tests/test_reference_data.py compares them).
GRANTS = {
    "district_inspector": ["offenders.view", "offenders.refer"],
    "narcologist": ["offenders.view", "offenders.examine"],
    "facility_manager": ["offenders.view", "offenders.admit"],
    "programme_provider": ["offenders.view", "offenders.programme"],
    "case_worker": ["offenders.view", "offenders.partner"],
    "analyst": ["offenders.analyse"],
}

DOMAIN = Domain(
    actions={
        "offenders.view": _(
            "see the offender track records of the user's agency: treatment referrals, "
            "court requirements, programme referrals and partner contacts"
        ),
        "offenders.refer": _(
            "start referrals to compulsory treatment and record the police's steps; record "
            "court requirements and their checks; refer offenders to programmes"
        ),
        "offenders.examine": _("enter the narcological examination's conclusion of a treatment referral"),
        "offenders.admit": _("admit to a drug treatment facility, record the wait for a bed and the end"),
        "offenders.programme": _("assess, record sessions and end the referrals to the agency's programmes"),
        "offenders.partner": _(
            "answer the partner contact of a victim's case and review the partner's safety"
        ),
        "offenders.analyse": _("see re-offending, attrition and unexecuted court decisions (aggregates)"),
    },
    roles={
        "narcologist": RoleSpec(
            _("Narcologist"),
            _("Health facility: narcological examinations for compulsory treatment."),
            "agency",
        ),
        "programme_provider": RoleSpec(
            _("Programme provider"),
            _("Runs correctional or psychological programmes for offenders."),
            "agency",
        ),
    },
    grants=GRANTS,
    menu=[
        MenuEntry(
            "treatment",
            _("Compulsory treatment"),
            "offenders:treatment_list",
            action="offenders.view",
            order=60,
        ),
        MenuEntry(
            "offender-programmes",
            _("Offender programmes"),
            "offenders:programme_referral_list",
            action="offenders.view",
            order=61,
        ),
        MenuEntry(
            "reoffending", _("Re-offending"), "offenders:reoffending", action="offenders.analyse", order=62
        ),
    ],
    queues=QUEUES,
    urls=[UrlInclude("offenders/", "qorgau.offenders.urls")],
    api="qorgau.offenders.api",
    panels=[
        Panel(
            "intake.signal",
            "offenders-track",
            template="offenders/includes/signal_panel.html",
            action="offenders.refer",
            context=signal_panel,
            order=50,
        )
    ],
    schedules=[
        Schedule("offenders-overdue", "qorgau.offenders.tasks.flag_overdue", every=timedelta(hours=1))
    ],
)
