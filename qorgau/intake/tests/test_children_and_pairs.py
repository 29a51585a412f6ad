"""Children as parties of their own (a child witness, an affected child) and the relationship per
offender-victim pair: the service, the form, the API, the signal's page, the history flag, the export."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from openpyxl import load_workbook

from qorgau.core.testing import api_client, otp_login

from ..models import ChildInvolvement, PartyRelationship, PartyRole, Signal, SignalParty
from ..queries import person_history
from .factories import World, make_person
from .test_api import SIGNALS, payload, post
from .test_views import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_requests(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


def pairs_of(signal: Signal) -> set[tuple[int, int, str]]:
    return set(
        PartyRelationship.objects.filter(signal=signal).values_list(
            "offender__person", "victim__person", "relationship"
        )
    )


@pytest.fixture
def kid(world: World):
    return make_person(world.p.astana_police, "Seitkali", "Dana", birth_date=dt.date(2016, 4, 2), sex="F")


@pytest.fixture
def grandmother(world: World):
    return make_person(world.p.astana_police, "Seitkali", "Raushan", birth_date=dt.date(1950, 1, 5), sex="F")


# The service


def test_a_child_is_a_party_of_its_own_and_marks_children_present(world: World, kid) -> None:
    signal = world.register(children=[(kid, ChildInvolvement.WITNESS)], children_present=False)
    child = SignalParty.objects.get(signal=signal, person=kid)
    assert (child.role, child.child_involvement) == (PartyRole.CHILD, "witness")
    assert child.role_label == "child (witnessed the violence)"
    assert not SignalParty.objects.filter(signal=signal, person=kid, role=PartyRole.VICTIM).exists()
    assert signal.children_present


def test_a_child_needs_what_the_child_went_through_and_is_not_also_a_victim(world: World, kid) -> None:
    with pytest.raises(ValidationError) as missing:
        world.register(children=[(kid, "")])
    assert "children" in missing.value.message_dict
    with pytest.raises(ValidationError) as twice:
        world.register(victims=[world.victim, kid], children=[(kid, ChildInvolvement.AFFECTED)])
    assert "children" in twice.value.message_dict
    assert not Signal.objects.exists()


def test_each_offender_victim_pair_has_its_own_relationship(world: World, kid) -> None:
    signal = world.register(
        victims=[world.victim, kid],
        relationships=[(world.offender, world.victim, "spouse"), (world.offender, kid, "parent")],
        relationship="",
    )
    assert pairs_of(signal) == {
        (world.offender.pk, world.victim.pk, "spouse"),
        (world.offender.pk, kid.pk, "parent"),
    }


def test_the_single_relationship_applies_to_every_pair_not_named(world: World, grandmother) -> None:
    signal = world.register(
        victims=[world.victim, grandmother],
        relationships=[(world.offender, grandmother, "child")],
        relationship="spouse",
    )
    assert pairs_of(signal) == {
        (world.offender.pk, world.victim.pk, "spouse"),
        (world.offender.pk, grandmother.pk, "child"),
    }


def test_a_pair_without_a_relationship_is_refused(world: World, kid) -> None:
    with pytest.raises(ValidationError) as refused:
        world.register(
            victims=[world.victim, kid],
            relationships=[(world.offender, world.victim, "spouse")],
            relationship="",
        )
    assert refused.value.message_dict["relationships"] == [
        "Say what each alleged offender is to each victim."
    ]
    with pytest.raises(ValidationError) as stranger:
        world.register(relationships=[(world.offender, kid, "parent")])
    assert "relationships" in stranger.value.message_dict
    assert not Signal.objects.exists()


def test_a_breach_keeps_the_relationship_of_each_protected_person(world: World, kid) -> None:
    from django.utils import timezone

    from ..services import do_issue_protective_order, do_report_breach

    signal = world.register(
        victims=[world.victim, kid],
        relationships=[(world.offender, world.victim, "spouse"), (world.offender, kid, "parent")],
        received_at=timezone.now() - dt.timedelta(hours=3),
    )
    order = do_issue_protective_order(
        actor=world.inspector,
        signal=signal,
        offender=world.offender,
        served_at=timezone.now() - dt.timedelta(hours=1),
    )
    breach = do_report_breach(
        actor=world.officer,
        order=order,
        received_at=timezone.now() - dt.timedelta(minutes=5),
        channel="call_102",
    )
    assert pairs_of(breach) == pairs_of(signal)


def test_an_affected_child_is_cruelty_to_children_for_the_reconciliation_guard(world: World, kid) -> None:
    from ..services import do_request_reconciliation

    signal = world.register(forms=["psychological"], children=[(kid, ChildInvolvement.AFFECTED)])
    decision = do_request_reconciliation(actor=world.inspector, signal=signal, offender=world.offender)
    assert (decision.allowed, decision.rule_code) == (False, "cruelty-to-children")
    assert "A child was directly affected by the violence." in decision.explanation


# The history panel's flag


def test_a_child_party_flags_children_involved_in_the_history(world: World, kid) -> None:
    world.register(children=[(kid, ChildInvolvement.AFFECTED)])
    later = world.register()
    assert person_history(world.officer, world.victim, exclude_signal=later).children_involved
    assert person_history(world.officer, kid).children_involved
    assert [p.role for p in person_history(world.officer, kid).parties] == [PartyRole.CHILD]


def test_without_a_child_party_nor_children_present_no_flag(world: World) -> None:
    world.register(children_present=False)
    later = world.register()
    assert not person_history(world.officer, world.victim, exclude_signal=later).children_involved


# The form


def test_the_form_offers_one_relationship_per_pair_and_a_child_with_what_it_went_through(
    client: Client, world: World, kid, grandmother
) -> None:
    otp_login(client, world.officer)
    data = form_data(world, action="refresh", victims=[world.victim.pk, grandmother.pk], children=[kid.pk])
    data.pop("relationship")
    body = client.post("/signals/new/", data).content.decode()
    assert f'name="relationship_{world.offender.pk}_{world.victim.pk}"' in body
    assert f'name="relationship_{world.offender.pk}_{grandmother.pk}"' in body
    assert "What Seitkali B. is to Seitkali R." in body
    assert f'name="involvement_{kid.pk}"' in body
    assert f'data-chosen="child:{kid.pk}"' in body


def test_the_form_saves_the_pairs_and_the_child(client: Client, world: World, kid, grandmother) -> None:
    otp_login(client, world.officer)
    data = form_data(
        world,
        victims=[world.victim.pk, grandmother.pk],
        children=[kid.pk],
        **{
            f"relationship_{world.offender.pk}_{world.victim.pk}": "spouse",
            f"relationship_{world.offender.pk}_{grandmother.pk}": "child",
            f"involvement_{kid.pk}": "affected",
        },
    )
    data.pop("relationship")
    response = client.post("/signals/new/", data, follow=True)
    signal = Signal.objects.get()
    assert pairs_of(signal) == {
        (world.offender.pk, world.victim.pk, "spouse"),
        (world.offender.pk, grandmother.pk, "child"),
    }
    assert SignalParty.objects.get(signal=signal, person=kid).child_involvement == "affected"
    body = response.content.decode()
    # The signal's page: each pair under the offender, the child with what the child went through.
    assert f'data-pair="{world.offender.pk}:{grandmother.pk}"' in body
    assert "to Seitkali Raushan: child (the victim is the parent)" in body
    assert "child (directly affected (harmed, threatened or neglected))" in body


def test_the_form_reports_every_missing_pair_and_child_in_one_round(
    client: Client, world: World, kid, grandmother
) -> None:
    otp_login(client, world.officer)
    data = form_data(world, victims=[world.victim.pk, grandmother.pk], children=[kid.pk], channel="")
    data.pop("relationship")
    body = client.post("/signals/new/", data).content.decode()
    assert not Signal.objects.exists()
    assert "Channel: This field is required." in body
    assert "Say what Seitkali B. is to Seitkali A." in body
    assert "Say what Seitkali B. is to Seitkali R." in body
    assert "Say whether Seitkali D. witnessed the violence or was affected." in body


def test_a_child_is_picked_from_the_search(client: Client, world: World, kid) -> None:
    otp_login(client, world.officer)
    htmx = {"HX-Request": "true"}
    found = client.post("/signals/new/", {"action": "search", "find-name": "Seitkali Dana"}, headers=htmx)
    assert f'value="pick:child:{kid.pk}"' in found.content.decode()
    picked = client.post("/signals/new/", {"action": f"pick:child:{kid.pk}"}, headers=htmx)
    assert 'data-announce="Seitkali D. is added as child."' in picked.content.decode()


# The API


def test_the_api_takes_children_and_pairs_by_position(world: World, kid) -> None:
    api = api_client(world.officer)
    body = payload(
        world,
        victims=[
            {"person": world.victim.pk},
            {"new_person": {"surname": "Seitkali", "given_name": "Raushan"}},
        ],
        relationship="",
        relationships=[
            {"offender": 0, "victim": 0, "relationship": "spouse"},
            {"offender": 0, "victim": 1, "relationship": "child"},
        ],
        children=[{"person": kid.pk, "child_involvement": "witness"}],
    )
    response = post(api, body)
    assert response.status_code == 201, response.json()
    data = response.json()
    grandmother = SignalParty.objects.get(
        signal=data["id"], role="victim", person__given_name="Raushan"
    ).person
    assert {(r["offender"], r["victim"], r["relationship"]) for r in data["relationships"]} == {
        (world.offender.pk, world.victim.pk, "spouse"),
        (world.offender.pk, grandmother.pk, "child"),
    }
    roles = {(p["role"], p["child_involvement"], p["relationship"]) for p in data["parties"]}
    # Two different relationships: the offender's single `relationship` (kept for old clients) is "".
    assert roles == {("victim", "", ""), ("offender", "", ""), ("child", "witness", "")}
    assert data["children_present"] is True


def test_the_api_keeps_the_single_relationship_of_old_clients(world: World) -> None:
    api = api_client(world.officer)
    response = post(api, payload(world))
    assert response.status_code == 201
    retrieved = api.get(f"{SIGNALS}{response.json()['id']}/").json()
    offender = next(p for p in retrieved["parties"] if p["role"] == "offender")
    assert offender["relationship"] == "spouse"
    assert retrieved["relationships"] == [
        {"offender": world.offender.pk, "victim": world.victim.pk, "relationship": "spouse"}
    ]


def test_the_api_refuses_a_pair_out_of_range(world: World) -> None:
    api = api_client(world.officer)
    body = payload(world, relationships=[{"offender": 0, "victim": 3, "relationship": "spouse"}])
    response = post(api, body)
    assert response.status_code == 400
    assert "relationships" in response.json()
    assert not Signal.objects.exists()


# The export


def test_the_export_counts_children_and_lists_relationships_without_names(
    client: Client, world: World, kid
) -> None:
    world.register(
        victims=[world.victim, kid],
        relationships=[(world.offender, world.victim, "spouse"), (world.offender, kid, "parent")],
    )
    world.register(children=[(kid, ChildInvolvement.WITNESS)])
    response = otp_login(client, world.inspector).get("/signals/export/")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = next(row for row in table if row and row[0] == "Registration number")
    witnessed = header.index("Children who witnessed")
    affected = header.index("Children affected")
    relationships = header.index("Offenders' relationships to the victims")
    data = table[table.index(header) + 1 :]
    assert sorted((r[witnessed], r[affected]) for r in data) == [(0, 0), (1, 0)]
    assert sorted(r[relationships] for r in data) == ["spouse", "spouse, parent (the victim is the child)"]
    assert "Dana" not in repr(table) and "Seitkali" not in repr(table)
