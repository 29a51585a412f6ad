"""What the people app declares to core (collected by qorgau.core.domains)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qorgau.core.domains import Domain, MenuEntry, UrlInclude

from .home import QUEUES

READ = ["people.view"]
WRITE = ["people.view", "people.add", "people.change", "people.consent"]
WRITE_WITH_IIN = [*WRITE, "people.view_iin"]

DOMAIN = Domain(
    actions={
        "people.view": _("see persons and families"),
        "people.view_iin": _("see a person's full IIN on the detail page"),
        "people.add": _("register persons and families"),
        "people.change": _("change persons and families"),
        "people.consent": _("record and withdraw consent"),
        "people.export": _("export persons"),
    },
    grants={
        "duty_officer": WRITE_WITH_IIN,
        "district_inspector": WRITE_WITH_IIN,
        "case_worker": WRITE_WITH_IIN,
        "psychologist": READ,
        "lawyer": READ,
        "doctor": [*READ, "people.add"],  # reports signals from health facilities: registers the victim
        "facility_manager": WRITE,
        "district_social_worker": WRITE,
        "conference_chair": READ,
    },
    menu=[
        MenuEntry("people", _("People"), "people:person_list", action="people.view", order=10),
        MenuEntry("families", _("Families"), "people:family_list", action="people.view", order=11),
    ],
    api="qorgau.people.api",
    queues=QUEUES,
    urls=[UrlInclude("people/", "qorgau.people.urls")],
)
