"""The intake pages: scope matrix, the fast registration form, the history panel, the register, queues."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qorgau.core.home import fill, queues_for
from qorgau.core.models import AuditEvent
from qorgau.core.testing import Personas, ScopeMatrix
from qorgau.people.models import Person

from ..models import (
    OutcomeKind,
    Signal,
    SignalParty,
)
from ..services import do_assign_signal, do_issue_protective_order, do_record_outcome
from .factories import INSPECTOR_ACTIONS, World, give_role, make_person, make_role, make_world
from .pages import english_pages, fmt, form_data, key_of, login

IIN = "900101300017"

__all__ = ["english_pages"]  # the autouse fixture, imported to apply here


class TestSignalPagesScope(ScopeMatrix):
    list_url = "/signals/"

    def make_object(self, personas: Personas) -> Signal:
        return make_world(personas).register()

    def detail_url(self, obj: Signal) -> str:
        return f"/signals/{obj.pk}/"


class TestOutcomePageScope(ScopeMatrix):
    list_url = "/signals/orders/"
    permitted = "astana_inspector"

    def make_object(self, personas: Personas) -> Signal:
        # The other region's persona may record outcomes too: the 404 must come from scope, not role.
        world = make_world(personas)
        personas.shymkent_worker = give_role(
            personas.shymkent_worker, make_role("t_inspector", INSPECTOR_ACTIONS)
        )
        return world.register()

    def detail_url(self, obj: Signal) -> str:
        return f"/signals/{obj.pk}/outcome/"


# The registration form


def test_the_form_has_defaults_and_a_fresh_key_per_render(client: Client, world: World) -> None:
    login(client, world.officer)
    first = client.get("/signals/new/", follow=True).content.decode()
    second = client.get("/signals/new/", follow=True).content.decode()
    keys = [key_of(html) for html in (first, second)]
    assert keys[0] != keys[1]
    assert f'<option value="{world.p.astana.pk}" selected>' in first
    assert 'name="received_at" value="' in first
    assert 'hx-get="/signals/districts/"' in first
    assert 'method="post"' in first


def test_registering_shows_the_number_at_once(client: Client, world: World) -> None:
    login(client, world.officer)
    response = client.post("/signals/new/", form_data(world), follow=True)
    signal = Signal.objects.get()
    assert response.redirect_chain[-1][0] == f"/signals/{signal.pk}/"
    body = response.content.decode()
    assert f"Signal {signal.registration_number} is registered." in body
    assert signal.form_physical and signal.children_present
    assert signal.district == world.astana_district
    assert set(SignalParty.objects.filter(signal=signal).values_list("role", "person_id")) == {
        ("victim", world.victim.pk),
        ("offender", world.offender.pk),
    }


def test_a_double_submit_creates_one_signal(client: Client, world: World) -> None:
    login(client, world.officer)
    client.post("/signals/new/", form_data(world))
    response = client.post("/signals/new/", form_data(world), follow=True)
    assert Signal.objects.count() == 1
    assert "already saved" in response.content.decode()


def test_htmx_save_redirects_with_a_header(client: Client, world: World) -> None:
    login(client, world.officer)
    response = client.post("/signals/new/", form_data(world), headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == f"/signals/{Signal.objects.get().pk}/"


def test_errors_come_back_into_the_form_and_nothing_typed_is_lost(client: Client, world: World) -> None:
    login(client, world.officer)
    response = client.post("/signals/new/", form_data(world, violence_forms=None, victims=None))
    body = response.content.decode()
    assert response.status_code == 200
    assert not Signal.objects.exists()
    assert "Choose at least one form of violence." in body
    assert "Name at least one victim." in body
    assert "Abay 10, flat 5" in body and "Neighbours heard shouting." in body
    assert f'name="offenders" value="{world.offender.pk}"' in body
    assert 'value="k-123"' in body


def test_a_future_time_is_a_field_error(client: Client, world: World) -> None:
    login(client, world.officer)
    later = fmt(timezone.now() + dt.timedelta(days=1))
    body = client.post("/signals/new/", form_data(world, received_at=later)).content.decode()
    assert "This time cannot be in the future." in body
    assert 'href="#id_received_at"' in body


def test_person_search_by_iin_is_a_post_and_picks_the_person(client: Client, world: World) -> None:
    from qorgau.people.tests.factories import PersonFactory

    person = PersonFactory.create(agency=world.p.astana_police, iin=IIN, surname="Abenova", given_name="Dana")
    login(client, world.officer)
    data = form_data(world, action="search", victims=None, offenders=None, **{"find-iin": IIN})
    body = client.post("/signals/new/", data).content.decode()
    assert f'data-found="{person.pk}"' in body
    assert "Abenova D." in body
    assert f'value="pick:victim:{person.pk}"' in body
    assert "Abay 10, flat 5" in body  # nothing typed is lost

    picked = client.post("/signals/new/", {**data, "action": f"pick:victim:{person.pk}"}).content.decode()
    assert f'name="victims" value="{person.pk}"' in picked
    assert f'data-history="{person.pk}"' in picked
    assert "This field is required" not in picked  # a pick shows no validation errors


def test_enter_in_the_search_field_searches_and_never_saves(client: Client, world: World) -> None:
    login(client, world.officer)
    body = client.post(
        "/signals/new/", form_data(world, action="refresh", **{"find-name": "Seitkali"})
    ).content.decode()
    assert not Signal.objects.exists()
    assert f'data-found="{world.victim.pk}"' in body and f'data-found="{world.offender.pk}"' in body


def test_search_does_not_find_persons_out_of_scope(client: Client, world: World) -> None:
    stranger = make_person(world.shymkent_police, "Seitkali", "Gulmira")
    login(client, world.officer)
    body = client.post("/signals/new/", {"action": "search", "find-name": "Seitkali"}).content.decode()
    assert f'data-found="{stranger.pk}"' not in body
    picked = client.post("/signals/new/", {"action": f"pick:victim:{stranger.pk}"}).content.decode()
    assert f'name="victims" value="{stranger.pk}"' not in picked


def test_a_new_person_is_created_inline_and_added(client: Client, world: World) -> None:
    login(client, world.officer)
    data = form_data(
        world,
        action="create:offender",
        offenders=None,
        **{"new-surname": "Omarov", "new-given_name": "Timur", "new-sex": "M"},
    )
    body = client.post("/signals/new/", data).content.decode()
    person = Person.objects.get(surname="Omarov")
    assert f'name="offenders" value="{person.pk}"' in body
    assert AuditEvent.objects.filter(action="person.create", object_id=str(person.pk)).exists()


def test_an_inline_person_with_a_known_iin_reuses_the_record(client: Client, world: World) -> None:
    from qorgau.people.tests.factories import PersonFactory

    existing = PersonFactory.create(agency=world.p.astana_police, iin=IIN)
    login(client, world.officer)
    data = {
        "action": "create:victim",
        "new-surname": "X",
        "new-given_name": "Y",
        "new-sex": "U",
        "new-iin": IIN,
    }
    body = client.post("/signals/new/", data).content.decode()
    assert f'name="victims" value="{existing.pk}"' in body
    assert Person.objects.filter(iin_hash=existing.iin_hash).count() == 1


def test_an_inline_person_with_errors_shows_them(client: Client, world: World) -> None:
    login(client, world.officer)
    body = client.post(
        "/signals/new/", {"action": "create:victim", "new-given_name": "Y", "new-iin": "900101300018"}
    ).content.decode()
    assert "check digit" in body
    assert not Person.objects.filter(given_name="Y").exists()


def test_registration_needs_the_add_action(client: Client, world: World) -> None:
    assert login(client, world.shymkent_worker).get("/signals/new/").status_code == 403


def test_district_options_follow_the_region(client: Client, world: World) -> None:
    login(client, world.officer)
    body = client.get(f"/signals/districts/?region={world.p.astana.pk}").content.decode()
    assert f'value="{world.astana_district.pk}"' in body
    assert "option" in client.get(f"/signals/districts/?region={world.p.shymkent.pk}").content.decode()


# The history panel


def test_history_panel_shows_prior_signals_orders_and_flags(client: Client, world: World) -> None:
    earlier = world.register(forms=["physical"], received_at=timezone.now() - dt.timedelta(days=40))
    do_issue_protective_order(
        actor=world.inspector, signal=earlier, offender=world.offender, served_at=timezone.now()
    )
    do_record_outcome(
        actor=world.inspector, signal=earlier, kind=OutcomeKind.ADMIN_PROTOCOL, article="73", part="1"
    )
    login(client, world.officer)
    body = client.post(
        "/signals/history/", {"victims": [world.victim.pk], "offenders": [world.offender.pk]}
    ).content.decode()
    assert body.lstrip().startswith('<section id="person-history"')
    assert earlier.registration_number in body
    assert 'data-flag="repeat_victim"' in body and 'data-flag="repeat_offender"' in body
    assert 'data-flag="protective_order_in_force"' in body
    assert "administrative protocol" in body


def test_history_panel_shows_only_history_in_scope(client: Client, world: World) -> None:
    shymkent_signal = world.register_elsewhere(world.shymkent_officer)
    astana_signal = world.register()
    login(client, world.officer)
    body = client.post("/signals/history/", {"victims": [world.victim.pk]}).content.decode()
    assert astana_signal.registration_number in body
    assert shymkent_signal.registration_number not in body
    other = Client()
    login(other, world.shymkent_officer)
    body = other.post("/signals/history/", {"person": [world.victim.pk]}).content.decode()
    assert astana_signal.registration_number not in body  # the person is not even visible there
    assert 'data-history="' not in body


# The register


def test_list_masks_names_and_filters_by_get(client: Client, world: World) -> None:
    signal = world.register(channel="line_111")
    world.register(channel="call_102")
    login(client, world.officer)
    body = client.get("/signals/").content.decode()
    assert signal.registration_number in body
    assert "Seitkali" not in body and "Aigerim" not in body
    filtered = client.get("/signals/?channel=line_111").content.decode()
    assert filtered.count('data-signal="') == 1
    fragment = client.get("/signals/?channel=line_111", headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="signal-results"')


def test_list_filters_overdue_status_outcome_and_dates(client: Client, world: World) -> None:
    late = world.register(received_at=timezone.now() - dt.timedelta(days=20))
    fresh = world.register()
    closed = world.register()
    do_record_outcome(actor=world.inspector, signal=closed, kind=OutcomeKind.NO_OFFENCE, reason="quarrel")
    login(client, world.officer)

    def ids(query: str) -> set[int]:
        return {
            int(i)
            for i in re.findall(r'data-signal="(\d+)"', client.get(f"/signals/?{query}").content.decode())
        }

    assert ids("overdue=true") == {late.pk}
    assert ids("overdue=false") == {fresh.pk, closed.pk}
    assert ids("status=closed") == {closed.pk}
    assert ids("outcome=no_offence") == {closed.pk}
    old_day = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    assert ids(f"received_to={old_day}") == {late.pk}


def test_list_query_count_does_not_grow_with_rows(client: Client, world: World) -> None:
    def create(n: int) -> None:
        for i in range(n):
            signal = world.register(received_at=timezone.now() - dt.timedelta(days=i % 15, hours=1))
            if i % 3 == 0:
                do_record_outcome(
                    actor=world.inspector, signal=signal, kind=OutcomeKind.NO_OFFENCE, reason="x"
                )

    login(client, world.officer)
    create(3)
    client.get("/signals/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/signals/").status_code == 200
    create(27)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/signals/")
    assert response.content.decode().count('data-signal="') == 30
    assert len(many) == len(few)


def test_inspector_queue_lists_my_signals_overdue_first(client: Client, world: World) -> None:
    fresh = world.register()
    late = world.register(received_at=timezone.now() - dt.timedelta(days=20))
    world.register()  # not assigned
    for signal in (fresh, late):
        do_assign_signal(actor=world.officer, signal=signal, assignee=world.inspector)
    body = login(client, world.inspector).get("/signals/queue/").content.decode()
    assert re.findall(r'data-signal="(\d+)"', body) == [str(late.pk), str(fresh.pk)]


# Home queues


def test_home_queues_for_officer_and_inspector(client: Client, world: World) -> None:
    late = world.register(received_at=timezone.now() - dt.timedelta(days=20))
    do_assign_signal(actor=world.officer, signal=late, assignee=world.inspector)
    do_issue_protective_order(
        actor=world.inspector, signal=late, offender=world.offender, served_at=timezone.now()
    )
    world.register_elsewhere(world.shymkent_officer, received_at=timezone.now() - dt.timedelta(days=20))

    officer_keys = [q.key for q in queues_for(world.officer)]
    assert "intake-overdue" in officer_keys and "intake-assigned" not in officer_keys
    queues = {q.key: q for q in queues_for(world.inspector)}
    assert {"intake-overdue", "intake-assigned", "intake-checks-due", "intake-overdue-by-region"} <= set(
        queues
    )
    overdue = fill(queues["intake-overdue"], world.inspector)
    assert overdue.count == 1 and late.registration_number in overdue.items[0].text
    assert fill(queues["intake-assigned"], world.inspector).count == 1
    assert fill(queues["intake-checks-due"], world.inspector).count == 1
    by_region = fill(queues["intake-overdue-by-region"], world.inspector)
    assert [item.text for item in by_region.items] == ["Astana: 1 overdue"]

    html = login(client, world.inspector).get("/", headers={"Accept-Language": "en"}).content.decode()
    assert 'data-queue="intake-overdue"' in html
    assert "Seitkali" not in html
