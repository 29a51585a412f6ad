"""The data migration to relationships per offender-victim pair (intake 0009), on the historical models."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from qorgau.core.testing import Personas

from ..models import PartyRelationship
from .factories import make_person, make_world
from .test_measures_migration import _reference_data_again  # noqa: F401 - the fixture


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_reference_data_again")
def test_the_single_relationship_becomes_each_pairs(personas: Personas) -> None:
    world = make_world(personas)
    grandmother = make_person(world.p.astana_police, "Seitkali", "Raushan", birth_date=dt.date(1950, 1, 5))
    two_victims = world.register(victims=[world.victim, grandmother], relationship="spouse")
    no_offender = world.register(offenders=[], relationship="")
    executor = MigrationExecutor(connection)
    executor.migrate([("intake", "0008_party_pairs")])
    old: Any = executor.loader.project_state([("intake", "0008_party_pairs")]).apps
    party = old.get_model("intake", "SignalParty")
    # The old shape: one relationship on the offender's party (backwards put the first pair's there).
    assert party.objects.get(signal_id=two_victims.pk, role="offender").relationship == "spouse"
    party.objects.filter(signal_id=two_victims.pk, role="offender").update(relationship="partner")
    assert not old.get_model("intake", "PartyRelationship").objects.exists()

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # through 0009 and later, every app again

    pairs = set(
        PartyRelationship.objects.values_list("signal", "offender__person", "victim__person", "relationship")
    )
    assert pairs == {
        (two_victims.pk, world.offender.pk, world.victim.pk, "partner"),
        (two_victims.pk, world.offender.pk, grandmother.pk, "partner"),
    }
    assert not PartyRelationship.objects.filter(signal=no_offender).exists()
