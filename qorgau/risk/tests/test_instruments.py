"""Instrument versions: an administrator drafts (a copy of the latest), edits and publishes; a published
version is never edited (service and database); old assessments keep their version."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from qorgau.core.models import AuditEvent
from qorgau.core.testing import Personas

from ..models import Instrument, InstrumentVersion, Item, VersionStatus
from ..services import (
    do_create_draft,
    do_publish_version,
    do_save_assessment,
    do_save_item,
    do_start_assessment,
    do_update_draft,
)
from .factories import RiskWorld, answers, dash

pytestmark = pytest.mark.django_db


def dash_instrument() -> Instrument:
    return Instrument.objects.get(code="dash")


def test_a_draft_copies_the_latest_version(personas: Personas) -> None:
    draft = do_create_draft(actor=personas.sysadmin, instrument=dash_instrument())
    assert (draft.number, draft.status) == (2, VersionStatus.DRAFT)
    assert draft.items.count() == 24
    assert list(draft.items.values_list("code", flat=True)) == list(
        dash().items.values_list("code", flat=True)
    )
    assert AuditEvent.objects.filter(action="instrumentversion.draft", object_id=str(draft.pk)).exists()
    with pytest.raises(ValidationError):
        do_create_draft(actor=personas.sysadmin, instrument=dash_instrument())


def test_only_system_administrators_maintain_instruments(world: RiskWorld) -> None:
    with pytest.raises(PermissionDenied):
        do_create_draft(actor=world.chair, instrument=dash_instrument())


def test_a_published_version_is_never_edited(personas: Personas) -> None:
    version = dash()
    item = version.items.first()
    assert item is not None
    with pytest.raises(ValidationError):
        do_save_item(
            actor=personas.sysadmin, version=version, item=item, code=item.code, position=1, text_en="Changed"
        )
    with pytest.raises(ValidationError):
        do_update_draft(actor=personas.sysadmin, version=version, notes="changed")


def test_the_database_refuses_edits_of_a_published_version(personas: Personas) -> None:
    version = dash()
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.filter(version=version, position=1).update(text_en="Changed behind the service")
    with pytest.raises(IntegrityError), transaction.atomic():
        InstrumentVersion.objects.filter(pk=version.pk).update(bands=[])
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.create(version=version, position=99, code="extra", text_en="x", text_ru="x", text_kk="x")
    assert Item.objects.get(version=version, position=1).text_en.startswith("Has the current incident")


def test_publishing_ends_the_version_in_force_and_old_assessments_keep_theirs(world: RiskWorld) -> None:
    admin = world.p.sysadmin
    old = world.start()
    draft = do_create_draft(actor=admin, instrument=dash_instrument())
    first = draft.items.get(position=1)
    do_save_item(
        actor=admin,
        version=draft,
        item=first,
        code=first.code,
        position=1,
        text_en="Were you injured this time?",
    )
    do_update_draft(
        actor=admin,
        version=draft,
        bands=[
            {
                "code": "standard",
                "min_score": 0,
                "label_en": "standard",
                "label_ru": "стандартный",
                "label_kk": "стандартты",
            },
            {
                "code": "high",
                "min_score": 12,
                "label_en": "high",
                "label_ru": "высокий",
                "label_kk": "жоғары",
                "refer": True,
            },
        ],
    )
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        do_publish_version(actor=admin, version=draft, effective_from=today - dt.timedelta(days=1))
    assert "effective_from" in exc.value.message_dict
    published = do_publish_version(actor=admin, version=draft, effective_from=today)
    assert published.is_published
    assert InstrumentVersion.objects.get(pk=dash().pk).effective_to == today
    assert AuditEvent.objects.filter(action="instrumentversion.add", object_id=str(published.pk)).exists()

    new = world.start()
    assert new.version == published
    old.refresh_from_db()
    assert old.version == dash()  # the draft started before keeps version 1 and is scored by it
    done = do_save_assessment(
        actor=world.inspector, assessment=old, answers=answers(old.version, 13), complete=True
    )
    assert done.final_band == "medium"
    new = do_save_assessment(
        actor=world.inspector, assessment=new, answers=answers(published, 13), complete=True
    )
    assert new.final_band == "high"  # version 2: high from 12
    assert str(Item.objects.get(version=published, position=1).text_en) == "Were you injured this time?"


def test_bands_must_add_up(personas: Personas) -> None:
    draft = do_create_draft(actor=personas.sysadmin, instrument=dash_instrument())
    with pytest.raises(ValidationError) as exc:
        do_update_draft(actor=personas.sysadmin, version=draft, bands=[{"code": "high", "min_score": 5}])
    assert "bands" in exc.value.message_dict


def test_an_assessment_on_a_day_without_a_version_is_refused(world: RiskWorld) -> None:
    InstrumentVersion.objects.filter(pk=dash().pk).update(effective_to=timezone.localdate())
    with pytest.raises(ValidationError):
        do_start_assessment(actor=world.inspector, victim=world.victim, signal=world.signal())
