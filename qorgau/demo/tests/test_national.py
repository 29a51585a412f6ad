"""The calibrated national demo year (qorgau/demo/national/), at a small scale."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from qorgau.core.audit import AuditEvent
from qorgau.core.models import AgencyType, Region, User
from qorgau.core.roles import default_roles
from qorgau.demo.national import (
    SIGNALS_PER_YEAR,
    STAFF_PREFIX,
    TOP_SIX,
    apportion,
    fast_name_key,
    outcome_targets,
    region_counts,
)
from qorgau.intake.models import (
    PROTECTIVE_KINDS,
    ComplianceCheck,
    Outcome,
    OutcomeKind,
    PartyRole,
    ProtectiveOrder,
    ReconciliationDecision,
    RegistrationCounter,
    Signal,
    SignalParty,
    SignalStatus,
)
from qorgau.intake.reconciliation import decide_reconciliation
from qorgau.intake.services import do_register_signal
from qorgau.people.iin import decrypt_iin, hash_iin, is_valid_iin
from qorgau.people.models import Family, Person
from qorgau.people.names import name_key

pytestmark = pytest.mark.django_db

SCALE = 0.003  # 300 signals


def demo(*args: str, scale: float = SCALE, **options: object) -> str:
    out = StringIO()
    call_command("demo", *args, persons=0, scale=scale, stdout=out, **options)
    return out.getvalue()


def populations() -> dict[str, int]:
    return dict(Region.objects.values_list("code", "population"))


def test_region_counts_put_the_briefs_six_regions_on_top_at_any_scale() -> None:
    for scale in (1.0, 0.05, 0.01):
        counts = region_counts(populations(), scale)
        assert sum(counts.values()) == round(SIGNALS_PER_YEAR * scale)
        top = sorted(counts, key=lambda code: -counts[code])[:6]
        assert top == TOP_SIX, scale
    full = region_counts(populations(), 1.0)
    assert full["KZ-61"] < full["KZ-39"]  # Turkestan: populous, but a low rate
    assert full["KZ-19"] < full["KZ-39"]  # Almaty region too


def test_2022_targets_are_the_briefs_figures() -> None:
    targets = outcome_targets(2022, SIGNALS_PER_YEAR)
    assert targets["criminal_case"] == 668
    assert targets["admin_protocol"] == 35_000
    assert apportion(668, [1, 1, 1]) == [223, 223, 222]
    assert sum(apportion(35_000, [7, 3, 5, 1])) == 35_000


def test_the_year_has_its_totals_regions_and_outcomes() -> None:
    output = demo()
    assert "Year 2022: 300 signals" in output
    assert Signal.objects.count() == 300
    by_region = dict(Signal.objects.values_list("region__code").annotate(n=Count("id")))
    assert by_region == {code: n for code, n in region_counts(populations(), SCALE).items() if n}
    kinds = Counter(Outcome.objects.values_list("kind", flat=True))
    assert kinds[OutcomeKind.CRIMINAL_CASE] == round(668 * SCALE)
    assert kinds[OutcomeKind.ADMIN_PROTOCOL] == round(35_000 * SCALE)
    for kind in OutcomeKind.values:
        assert kinds[kind] > 0, kind
    open_ = Signal.objects.exclude(status=SignalStatus.CLOSED).count()
    assert 0 < open_ < 30
    orders = ProtectiveOrder.objects.count()
    assert 0.4 * 300 < orders < 0.6 * 300  # 50,000 per 100,000 in 2022
    event = AuditEvent.objects.get(action="demo.generate")
    assert event.changes["years"][0]["signals"] == 300


def test_signals_keep_the_invariants_of_the_services() -> None:
    demo()
    rules: dict[int, dt.timedelta] = {}
    for signal in Signal.objects.select_related("outcome", "assigned_to__agency", "first_contact_rule"):
        year = signal.registration_number.split("-")[2]
        assert year == "2022" and timezone.localdate(signal.registered_at).year == 2022
        assert signal.received_at <= signal.registered_at <= timezone.now()
        rules.setdefault(signal.first_contact_rule_id, signal.first_contact_rule.duration)
        assert signal.first_contact_due == signal.received_at + signal.first_contact_rule.duration
        assert signal.outcome_due == signal.received_at + dt.timedelta(days=10)
        if signal.status == SignalStatus.CLOSED:
            assert signal.outcome is not None and signal.outcome.signal_id == signal.pk
            assert signal.closed_at == signal.outcome.recorded_at
            assert signal.outcome.decided_at >= signal.received_at
        else:
            assert signal.outcome is None and signal.closed_at is None
        if signal.assigned_to is not None:
            inspector = signal.assigned_to
            assert inspector.can("intake.change") and inspector.can("intake.outcome")
            assert inspector.agency is not None
            assert inspector.agency.type == AgencyType.POLICE
            assert inspector.agency.region_id == signal.region_id
        elif signal.status != SignalStatus.CLOSED:
            assert signal.status == SignalStatus.REGISTERED
        parties = Counter(SignalParty.objects.filter(signal=signal).values_list("role", flat=True))
        assert parties[PartyRole.VICTIM] >= 1 and parties[PartyRole.OFFENDER] == 1
    # numbers are consecutive per region in order of registration, and the counter holds the last one
    for counter in RegistrationCounter.objects.filter(year=2022).select_related("region"):
        numbers = list(
            Signal.objects.filter(region=counter.region)
            .order_by("registered_at", "received_at")
            .values_list("registration_number", flat=True)
        )
        assert numbers == [f"{counter.region.code}-2022-{n:06d}" for n in range(1, counter.last_value + 1)]
    checked = {
        OutcomeKind.CRIMINAL_CASE,
        OutcomeKind.ADMIN_PROTOCOL,
        OutcomeKind.PROTECTIVE_ORDER,
        OutcomeKind.NO_OFFENCE,
        OutcomeKind.REFERRED,
    }
    # Legal measures: every order is a measure; a closed signal's outcome is decisive; some signals have
    # an order and a protocol, and orders alone leave the decisive outcome to "no offence found".
    assert not ProtectiveOrder.objects.filter(measures__isnull=True).exists()
    assert not Signal.objects.filter(outcome__kind__in=PROTECTIVE_KINDS).exists()
    assert not Signal.objects.filter(status=SignalStatus.CLOSED, outcome__isnull=True).exists()
    both = Signal.objects.filter(
        outcomes__kind=OutcomeKind.PROTECTIVE_ORDER, outcome__kind=OutcomeKind.ADMIN_PROTOCOL
    )
    assert both.exists()
    # Each kind checked below occurs, so that none of the checks passes for want of rows.
    assert checked <= set(Outcome.objects.values_list("kind", flat=True))
    for outcome in Outcome.objects.all():
        if outcome.kind == OutcomeKind.CRIMINAL_CASE:
            assert outcome.article and outcome.case_number
        if outcome.kind == OutcomeKind.ADMIN_PROTOCOL:
            assert outcome.article in ("73", "461") and outcome.part
        if outcome.kind == OutcomeKind.PROTECTIVE_ORDER:
            assert outcome.order is not None and outcome.order.signal_id == outcome.signal_id
        if outcome.kind == OutcomeKind.NO_OFFENCE:
            assert outcome.reason
        if outcome.kind == OutcomeKind.REFERRED:
            assert outcome.referred_agency_id not in (None, outcome.signal.agency_id)


def test_every_person_has_a_valid_unique_iin_and_search_key() -> None:
    demo()
    persons = list(Person.objects.all())
    assert len(persons) > 300
    for person in persons:
        iin = decrypt_iin(person.iin_encrypted)
        assert is_valid_iin(iin), iin
        assert hash_iin(iin) == person.iin_hash
        assert iin.endswith(person.iin_last4)
        assert iin[:6] == f"{person.birth_date:%y%m%d}"
        assert person.name_key == name_key(*(getattr(person, f) for f in Person.NAME_FIELDS))
    # One record per IIN is the identity's; a crisis centre's own records of a self-referred victim are
    # linked to it (qorgau/demo/national/cases.py), as do_create_person links them.
    identities = [p for p in persons if p.linked_to_id is None]
    assert len({p.iin_hash for p in identities}) == len(identities)
    assert all(p.linked_to_id in {i.pk for i in identities} for p in persons if p.linked_to_id)
    assert fast_name_key("Нұрсұлтан", "ӘЛІБЕКОВ", "") == name_key("Нұрсұлтан", "ӘЛІБЕКОВ", "")
    family = Family.objects.order_by("pk").first()
    assert family is not None and family.code == f"FAM-{family.pk:06d}" and family.memberships.count() >= 2


def test_repeat_victims_and_offenders_exist() -> None:
    demo()
    victims = SignalParty.objects.filter(role=PartyRole.VICTIM).values("person").annotate(n=Count("signal"))
    repeat = [row["n"] for row in victims if row["n"] > 1]
    assert len(repeat) >= 20
    assert max(repeat) >= 3
    offenders = (
        SignalParty.objects.filter(role=PartyRole.OFFENDER).values("person").annotate(n=Count("signal"))
    )
    assert sum(1 for row in offenders if row["n"] > 1) >= 20


def test_the_duty_officer_finds_the_parties_of_his_signals_and_a_repeat_offenders_history() -> None:
    from qorgau.demo.foundation import demo_username
    from qorgau.intake.queries import person_history

    demo(scale=0.02)  # Astana gets enough signals at this scale for repeat families of its own
    officer = User.objects.get(username=demo_username("duty_officer"))
    parties = SignalParty.objects.filter(signal__in=Signal.objects.visible_to(officer))
    persons = Person.objects.visible_to(officer)
    assert parties.exists()
    assert not parties.exclude(person__in=persons).exists()  # every party of his signals opens
    repeat = (
        parties.filter(role=PartyRole.OFFENDER).values("person").annotate(n=Count("signal")).filter(n__gt=1)
    )
    assert repeat.exists()
    history = person_history(officer, Person.objects.get(pk=repeat[0]["person"]))
    assert len(history.signals) > 1 and history.repeat_offender


def test_orders_have_checks_every_seven_days_and_breaches_are_signals() -> None:
    demo(scale=0.01)
    orders = ProtectiveOrder.objects.prefetch_related("checks", "victims")
    assert orders
    for order in orders:
        assert order.expires_at == order.served_at + dt.timedelta(days=30)
        dues = [check.due_at for check in order.checks.all()]
        assert dues == [order.served_at + dt.timedelta(days=7 * k) for k in range(1, 5)]
        assert all(c.done_at is not None and c.result for c in order.checks.all())  # a past year
        victims = set(
            SignalParty.objects.filter(signal=order.signal_id, role="victim").values_list("person", flat=True)
        )
        assert {p.pk for p in order.victims.all()} == victims
    breaches = Signal.objects.filter(breach_of__isnull=False).select_related("breach_of")
    assert breaches.exists()
    for signal in breaches:
        breached = signal.breach_of
        assert breached is not None
        assert breached.served_at <= signal.received_at < breached.expires_at
        assert SignalParty.objects.filter(
            signal=signal, person=breached.offender_id, role="offender"
        ).exists()
    assert ComplianceCheck.objects.filter(result="breach").exists()


def test_reconciliation_decisions_are_the_guards() -> None:
    demo(scale=0.01)
    decisions = list(ReconciliationDecision.objects.select_related("signal", "offender", "rule_set"))
    assert decisions
    for decision in decisions:
        verdict = decide_reconciliation(decision.signal, decision.offender, decision.signal.received_at)
        assert (decision.allowed, decision.rule_code, decision.rule_set) == (
            verdict.allowed,
            verdict.rule_code,
            verdict.rule_set,
        )
        assert decision.requested_at >= decision.signal.received_at
        assert decision.rule_set.code == "pre-2024"


def snapshot() -> list[tuple[object, ...]]:
    return list(
        SignalParty.objects.filter(role=PartyRole.VICTIM)
        .order_by("signal__registration_number", "person__surname", "person__given_name")
        .values_list(
            "signal__registration_number",
            "signal__channel",
            "signal__received_at",
            "person__surname",
            "person__given_name",
            "person__iin_hash",
        )
    )


def test_it_is_deterministic_for_a_seed() -> None:
    with transaction.atomic():
        demo(seed=11)
        first = snapshot()
        transaction.set_rollback(True)
    assert not Signal.objects.exists()
    demo(seed=11)
    assert snapshot() == first
    with transaction.atomic():
        demo("--force", seed=12, year=2021)
        assert snapshot() != first
        transaction.set_rollback(True)


def test_years_are_added_once_and_registration_continues() -> None:
    this_year = timezone.localdate().year
    output = demo(years=f"2021,{this_year}")
    assert "Year 2021: 300 signals" in output
    assert Signal.objects.filter(registration_number__contains="-2021-").count() == 300
    current = Signal.objects.filter(registration_number__contains=f"-{this_year}-")
    assert current.exists()
    assert current.filter(received_at__gt=timezone.now()).count() == 0
    output = demo("--force", years=f"2021,{this_year}")
    assert "already present, skipped" in output
    assert Signal.objects.filter(registration_number__contains="-2021-").count() == 300
    # a signal registered now takes the next number of its region's counter
    officer = User.objects.get(username=f"{STAFF_PREFIX}kz-71-01.duty1")
    astana = Region.objects.get(code="KZ-71")
    last = RegistrationCounter.objects.get(region=astana, year=this_year).last_value
    assert current.filter(region=astana).count() == last
    victim = Person.objects.filter(region=astana).first()
    assert victim is not None
    signal = do_register_signal(
        actor=officer,
        channel="call_102",
        received_at=timezone.now() - dt.timedelta(minutes=5),
        region=astana,
        victims=[victim],
        forms=["psychological"],
    )
    assert signal.registration_number == f"KZ-71-{this_year}-{last + 1:06d}"


def test_staff_at_every_district_station() -> None:
    demo(scale=0.001)
    inspectors = User.objects.filter(username__startswith=STAFF_PREFIX, role__slug="district_inspector")
    stations = {u.agency_id for u in inspectors}
    assert len(stations) == 86
    for user in inspectors:
        assert user.agency is not None
        assert user.agency.type == AgencyType.POLICE and user.agency.district_id
    demo_users = User.objects.filter(username__startswith="demo.")
    # One per role, and the manager of Astana's drug treatment centre (the offenders demo).
    assert demo_users.count() == len(default_roles()) + 1
