"""Each app declares itself; core collects. A domain app installed only here (core/tests/noticeboard)
appears in the menu, the action catalogue, the default roles, the API, the home page, the person page
and the schedules without core naming it, and a declaration that does not add up fails `manage.py check`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from types import ModuleType
from typing import cast

import pytest
from django.core.management import call_command
from django.test import Client
from django.test.utils import modify_settings, override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from qorgau.core.admin import action_choices
from qorgau.core.context_processors import nav_for
from qorgau.core.domains import Collected, Domain, MenuEntry, RoleSpec, check_domains, collected, problems
from qorgau.core.home import queues_for
from qorgau.core.models import Role, User
from qorgau.core.permissions import Opening, Scope
from qorgau.core.reference import load_roles
from qorgau.core.roles import actions, default_roles
from qorgau.core.scheduling import enqueue_due
from qorgau.core.testing import Personas, UserFactory, api_client, otp_login
from qorgau.people.tests.factories import PersonFactory
from qorgau.urls import build_urlpatterns

pytestmark = pytest.mark.django_db

APP = "qorgau.core.tests.noticeboard"


@pytest.fixture
def noticeboard() -> Iterator[None]:
    """The project with one more app in INSTALLED_APPS, as a settings module adding it would be. The
    root URL configuration is built again from the installed apps, as it is when a process starts."""
    with modify_settings(INSTALLED_APPS={"append": APP}):
        urlconf = ModuleType("urls_with_noticeboard")
        urlconf.urlpatterns = build_urlpatterns()  # type: ignore[attr-defined]
        with override_settings(ROOT_URLCONF=urlconf):
            yield


@pytest.fixture
def editor(noticeboard: None, personas: Personas) -> User:
    load_roles(Role)
    return cast(
        User,
        UserFactory(
            username="noticeboard_editor",
            agency=personas.astana_police,
            role=Role.objects.get(slug="noticeboard_editor"),
            scope=Scope.NATIONAL,
        ),
    )


def test_without_the_app_nothing_of_it_exists(client: Client, personas: Personas) -> None:
    # The control: what the tests below find comes from installing the app, not from core.
    assert "noticeboard.view" not in actions()
    assert "noticeboard_editor" not in default_roles()
    assert "noticeboard.view" not in default_roles()["case_worker"].actions
    assert "noticeboard" not in [entry.key for entry in collected().menu]
    assert "noticeboard-notes" not in [panel.key for panel in collected().panels]
    with pytest.raises(NoReverseMatch):
        reverse("noticeboard:index")
    response = api_client(personas.shymkent_worker).get("/api/noticeboard/notices/")
    assert response.status_code == 404


def test_its_actions_join_the_catalogue_and_the_role_editor(noticeboard: None) -> None:
    assert actions()["noticeboard.post"] == "post notices"
    assert "people.view" in actions()  # the others stay
    assert ("noticeboard.view", "noticeboard.view: read the noticeboard") in action_choices()


def test_its_grants_join_the_default_roles_and_its_role_is_loaded(noticeboard: None) -> None:
    roles = default_roles()
    case_worker = roles["case_worker"]
    assert "noticeboard.view" in case_worker.actions
    assert {"people.view", "intake.add"} <= set(case_worker.actions)
    assert roles["noticeboard_editor"].scope == "national"

    load_roles(Role)
    loaded = Role.objects.get(slug="noticeboard_editor")
    assert loaded.name == "Noticeboard editor"
    assert sorted(loaded.actions) == ["noticeboard.post", "noticeboard.view"]
    # An existing role is administered data: load_reference does not add the new grant to it.
    assert "noticeboard.view" not in Role.objects.get(slug="case_worker").actions


def test_its_menu_entry_shows_for_its_action_only(editor: User, personas: Personas) -> None:
    keys = [item.key for item in nav_for(editor)]
    assert keys == ["home", "noticeboard", "api"]  # order 15; the API entry: it declares an API
    (item,) = [item for item in nav_for(editor) if item.key == "noticeboard"]
    assert item.url == "/noticeboard/"
    assert "noticeboard" not in [item.key for item in nav_for(personas.shymkent_worker)]


def test_its_page_menu_and_queue_are_served(client: Client, editor: User) -> None:
    otp_login(client, editor)
    with translation.override("en"):
        html = client.get("/", headers={"Accept-Language": "en"}).content.decode()
    nav = re.search(r'<nav class="navbar.*?</nav>', html, re.S)
    assert nav and 'href="/noticeboard/"' in nav.group(0) and ">Noticeboard<" in nav.group(0)
    assert re.findall(r'data-queue="([^"]+)"', html) == ["noticeboard-pinned"]
    assert "Duty rota for December" in html
    assert [queue.key for queue in queues_for(editor)] == ["noticeboard-pinned"]
    assert client.get("/noticeboard/").status_code == 200
    fragment = client.get("/home/queues/noticeboard-pinned/", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "Training on the new protocol" in fragment.content.decode()


def test_its_api_is_registered(editor: User, personas: Personas) -> None:
    response = api_client(editor).get("/api/noticeboard/notices/")
    assert response.status_code == 200
    assert response.json()[0] == {"title": "Duty rota for December"}
    assert api_client(personas.astana_officer).get("/api/noticeboard/notices/").status_code == 403
    assert api_client().get("/api/noticeboard/notices/").status_code == 401


def test_its_panel_shows_on_a_lower_apps_page(client: Client, noticeboard: None, personas: Personas) -> None:
    person = PersonFactory.create(agency=personas.astana_police)
    html = otp_login(client, personas.astana_officer).get(f"/people/{person.pk}/").content.decode()
    assert '<section data-panel="noticeboard">Notices about this person: 2</section>' in html


def test_its_schedule_is_enqueued_once_per_interval(noticeboard: None) -> None:
    assert set(enqueue_due()) == {
        "core-heartbeat",
        "noticeboard-tidy",
        # the installed apps' schedules, one a line
        "cases-withdrawn-consent",
        "facilities-lapse-holds",
        "offenders-overdue",
    }
    assert enqueue_due() == []
    tidy = DBTaskResult.objects.get(task_path=f"{APP}.tasks.tidy")
    later = tidy.enqueued_at + timedelta(hours=1, seconds=1)
    assert "noticeboard-tidy" in enqueue_due(later)
    out = StringIO()
    call_command("enqueue_schedules", stdout=out)
    assert out.getvalue() == "Enqueued: nothing due.\n"


def test_the_installed_declarations_add_up(noticeboard: None) -> None:
    assert check_domains() == []


def test_the_shipped_declarations_add_up() -> None:
    assert check_domains() == []
    labels = [label for label, _domain in collected().domains]
    assert labels[:3] == ["core", "people", "intake"]  # INSTALLED_APPS order, the dependency order


def test_declarations_that_do_not_add_up_are_reported() -> None:
    base = Domain(actions={"a.view": "see a"}, roles={"clerk": RoleSpec("Clerk", "", "agency")})
    other = Domain(
        actions={"a.view": "see a again", "b.view": "see b"},
        grants={"clerk": ["b.view", "c.view"], "ghost": ["b.view"]},
        menu=[MenuEntry("b", "B", "b:index", action="b.change")],
        openings=[Opening("people.Person", through="b.Pointer", field="person")],
    )
    found = problems(Collected((("a", base), ("b", other))))
    assert found == [
        "b: the action 'a.view' is already declared by a.",
        "b: grants 'c.view' to 'clerk', an action it does not declare itself.",
        "b: grants to the role 'ghost', which no installed app declares.",
        "b: needs the action 'b.change', which no installed app declares.",
        "b: names the model 'b.Pointer', which is not installed.",
    ]
