"""The test app's declaration: the same shape as people/registry.py (plain strings: tests only)."""

from __future__ import annotations

from datetime import timedelta

from qorgau.core.domains import Domain, MenuEntry, RoleSpec, Schedule, UrlInclude
from qorgau.core.home import WorkQueue
from qorgau.core.panels import Panel

NOTICES = ["Duty rota for December", "Training on the new protocol"]

DOMAIN = Domain(
    actions={"noticeboard.view": "read the noticeboard", "noticeboard.post": "post notices"},
    roles={
        "noticeboard_editor": RoleSpec("Noticeboard editor", "Posts notices for every agency.", "national")
    },
    grants={
        "case_worker": ["noticeboard.view"],
        "noticeboard_editor": ["noticeboard.view", "noticeboard.post"],
    },
    menu=[MenuEntry("noticeboard", "Noticeboard", "noticeboard:index", action="noticeboard.view", order=15)],
    api="qorgau.core.tests.noticeboard.api",
    queues=[
        WorkQueue(
            "noticeboard-pinned",
            title="Pinned notices",
            empty_message="Pinned notices will appear here.",
            action="noticeboard.view",
            items=lambda user: NOTICES,
            url_name="noticeboard:index",
            order=1,
        )
    ],
    urls=[UrlInclude("noticeboard/", "qorgau.core.tests.noticeboard.urls")],
    panels=[
        Panel(
            "people.person",
            "noticeboard-notes",
            template="noticeboard/person_panel.html",
            action="people.view",
            context=lambda user, person: {"count": len(NOTICES)},
        )
    ],
    schedules=[
        Schedule("noticeboard-tidy", "qorgau.core.tests.noticeboard.tasks.tidy", every=timedelta(hours=1))
    ],
)
