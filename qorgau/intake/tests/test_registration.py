import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qorgau.core.models import AuditEvent

from ..models import (
    DeadlineKind,
    DeadlineRule,
    DurationUnit,
    PartyRelationship,
    PartyRole,
    RegistrationCounter,
    Signal,
    SignalParty,
    SignalStatus,
)
from .factories import World, make_person, make_role, new_district, new_user


def test_it_numbers_signals_sequentially_per_region_and_year(world: World) -> None:
    year = timezone.localdate().year
    first, second = world.register(), world.register()
    shymkent_victim = make_person(world.shymkent_police, "Omarova", "Dana")
    other = world.register(
        actor=world.shymkent_officer, victims=[shymkent_victim], offenders=[], relationship=""
    )

    assert first.registration_number == f"KZ-71-{year}-000001"
    assert second.registration_number == f"KZ-71-{year}-000002"
    assert other.registration_number == f"KZ-79-{year}-000001"
    assert RegistrationCounter.objects.get(region=world.p.astana, year=year).last_value == 2


def test_it_registers_parties_status_and_deadlines_from_the_rules(world: World) -> None:
    received = timezone.now() - dt.timedelta(hours=3)
    reporter = make_person(world.p.astana_police, "Kim", "Yelena")
    signal = world.register(received_at=received, reporter=reporter, forms=["physical", "psychological"])

    assert signal.status == SignalStatus.REGISTERED
    assert signal.forms == ["physical", "psychological"]
    assert signal.first_contact_due == received + dt.timedelta(hours=24)
    assert signal.outcome_due == received + dt.timedelta(days=10)
    assert signal.first_contact_rule.kind == DeadlineKind.FIRST_CONTACT
    roles = dict(SignalParty.objects.filter(signal=signal).values_list("role", "person_id"))
    assert roles == {
        PartyRole.VICTIM: world.victim.pk,
        PartyRole.OFFENDER: world.offender.pk,
        PartyRole.REPORTER: reporter.pk,
    }
    pair = PartyRelationship.objects.get(signal=signal)
    assert (pair.offender.person, pair.victim.person, pair.relationship) == (
        world.offender,
        world.victim,
        "spouse",
    )


def test_it_applies_the_deadline_version_in_force_when_received(world: World) -> None:
    today = timezone.localdate()
    old = DeadlineRule.objects.get(kind=DeadlineKind.FIRST_CONTACT, effective_to__isnull=True)
    old.effective_to = today - dt.timedelta(days=10)
    old.save()
    DeadlineRule.objects.create(
        kind=DeadlineKind.FIRST_CONTACT, value=12, unit=DurationUnit.HOURS, effective_from=old.effective_to
    )
    earlier = world.register(received_at=timezone.now() - dt.timedelta(days=20))
    later = world.register()

    assert earlier.first_contact_rule == old
    assert earlier.first_contact_due - earlier.received_at == dt.timedelta(hours=24)
    assert later.first_contact_due - later.received_at == dt.timedelta(hours=12)


def test_the_same_idempotency_key_returns_the_same_signal(world: World) -> None:
    received = timezone.now() - dt.timedelta(minutes=5)
    first = world.register(received_at=received, idempotency_key="req-1")
    again = world.register(received_at=received, idempotency_key="req-1")

    assert again.pk == first.pk
    assert again.idempotent_replay and not first.idempotent_replay
    assert Signal.objects.count() == 1
    assert AuditEvent.objects.filter(action="signal.register_replay", object_id=str(first.pk)).count() == 1


def test_an_idempotency_key_is_per_agency(world: World) -> None:
    shymkent_victim = make_person(world.shymkent_police, "Omarova", "Dana")
    a = world.register(idempotency_key="k")
    b = world.register(
        actor=world.shymkent_officer,
        victims=[shymkent_victim],
        offenders=[],
        relationship="",
        idempotency_key="k",
    )
    assert a.pk != b.pk


def test_reusing_a_key_for_another_signal_is_an_error(world: World) -> None:
    world.register(idempotency_key="req-2", account="first")
    with pytest.raises(ValidationError) as exc:
        world.register(idempotency_key="req-2", account="something else")
    assert "idempotency_key" in exc.value.message_dict
    assert Signal.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"victims": []}, "victims", "Name at least one victim."),
        ({"received_at": "future"}, "received_at", "This time cannot be in the future."),
        ({"district": "shymkent"}, "district", "The district is not in the selected region."),
        (
            {"anonymous_reporter": True, "reporter": "someone"},
            "reporter",
            "An anonymous report has no named reporter.",
        ),
        ({"forms": []}, "forms", "Choose at least one form of violence."),
        ({"forms": ["verbal"]}, "forms", "Unknown form of violence: verbal."),
        ({"channel": "pigeon"}, "channel", "Choose a valid channel."),
        ({"relationship": ""}, "relationship", "Choose what the alleged offender is to the victim."),
        (
            {"offenders": "victim"},
            "offenders",
            "A person cannot be both victim and alleged offender in one signal.",
        ),
    ],
)
def test_it_validates_with_field_messages_and_saves_nothing(
    world: World, overrides: dict, field: str, message: str
) -> None:
    if overrides.get("received_at") == "future":
        overrides["received_at"] = timezone.now() + dt.timedelta(hours=2)
    if overrides.get("district") == "shymkent":
        overrides["district"] = new_district(region=world.p.shymkent)
    if overrides.get("reporter") == "someone":
        overrides["reporter"] = make_person(world.p.astana_police, "Kim", "Yelena")
    if overrides.get("offenders") == "victim":
        overrides["offenders"] = [world.victim]
    with pytest.raises(ValidationError) as exc:
        world.register(**overrides)
    assert exc.value.message_dict[field] == [message]
    assert not Signal.objects.exists()
    assert not SignalParty.objects.exists()
    assert not RegistrationCounter.objects.filter(last_value__gt=0).exists()


def test_it_accepts_a_district_of_the_region_and_an_anonymous_report(world: World) -> None:
    signal = world.register(district=world.astana_district, anonymous_reporter=True, channel="witness")
    assert signal.district == world.astana_district and signal.reporter is None


def test_it_refuses_users_without_the_add_action(world: World) -> None:
    with pytest.raises(PermissionDenied):
        world.register(actor=world.p.astana_chair)  # conference chair: no intake role
    with pytest.raises(PermissionDenied):
        world.register(actor=world.shymkent_worker)  # may view signals, not register them


def test_it_audits_the_registration_without_names_or_account(world: World) -> None:
    signal = world.register(account="He hit her in the kitchen", address="Abay 1, flat 2")
    event = AuditEvent.objects.get(action="signal.register")
    assert event.actor == world.officer
    assert event.object_id == str(signal.pk)
    assert event.object_repr == signal.registration_number
    assert event.changes["victims"] == {"old": None, "new": [world.victim.pk]}
    assert event.changes["status"] == {"old": None, "new": "registered"}
    text = str(event.changes)
    assert "kitchen" not in text and "Abay" not in text and "Seitkali" not in text


def test_a_signal_can_be_registered_for_a_past_date(world: World) -> None:
    signal = world.register(
        received_at=dt.datetime(2023, 5, 1, 22, 0, tzinfo=timezone.get_current_timezone())
    )
    assert signal.outcome_due == dt.datetime(2023, 5, 11, 22, 0, tzinfo=timezone.get_current_timezone())
    # the number follows the year of registration, so backfilled signals never reuse an issued number
    assert signal.registration_number.startswith(f"KZ-71-{timezone.localdate().year}-")


def test_a_write_the_actor_could_not_see_afterwards_is_rolled_back(world: World) -> None:
    # A role that may add signals but not view them: the service re-checks visibility in the transaction.
    blind = new_user(
        agency=world.p.astana_police,
        role=make_role("test_add_only", ["intake.add", "people.view"]),
        scope="agency",
    )
    with pytest.raises(PermissionDenied):
        world.register(actor=blind)
    assert not Signal.objects.exists() and not SignalParty.objects.exists()
    assert not AuditEvent.objects.filter(action="signal.register").exists()
    assert not RegistrationCounter.objects.filter(last_value__gt=0).exists()


def test_a_retry_may_write_the_same_moment_with_another_offset(world: World) -> None:
    received = (timezone.now() - dt.timedelta(minutes=5)).astimezone(dt.UTC)
    first = world.register(received_at=received, idempotency_key="tz", forms="physical")
    again = world.register(
        received_at=received.astimezone(dt.timezone(dt.timedelta(hours=5))),
        idempotency_key="tz",
        forms=["physical"],
    )
    assert again.pk == first.pk and first.forms == ["physical"]


def test_an_overlong_account_is_refused_never_cut(world) -> None:
    from django.core.exceptions import ValidationError

    from ..services.signals import ACCOUNT_MAX

    with pytest.raises(ValidationError) as exc:
        world.register(account="x" * (ACCOUNT_MAX + 1))
    assert "account" in exc.value.message_dict
    signal = world.register(account="y" * ACCOUNT_MAX)
    signal.refresh_from_db()
    assert len(signal.account) == ACCOUNT_MAX
