"""The demo's victim cases (qorgau/demo/national/cases.py): the invariants the cases services keep hold
for the bulk rows too, every status is there, and the demo case worker's day is not empty."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone, translation

from qorgau.cases.models import (
    Case,
    CaseClosure,
    CaseService,
    CaseTransfer,
    Qualification,
    Referral,
    ReferralStatus,
    SafetyPlan,
    ServiceSession,
    Specialist,
)
from qorgau.cases.queries import my_cases, referrals_waiting, safety_reviews_overdue
from qorgau.cases.services import (
    check_qualified,
    compute_state,
    do_accept_referral,
    do_decline_referral,
    do_end_referrals_without_consent,
    do_revoke_referral,
)
from qorgau.core.models import Agency, AgencyType, Grant, Region, User
from qorgau.demo.foundation import HOME_REGION
from qorgau.demo.national.cases_calibration import HOME_OPEN_CASES, ROSTER
from qorgau.intake.models import Signal, SignalParty
from qorgau.people.models import ConsentRule, Person
from qorgau.people.services.consent import ConsentStatus, consent_status

pytestmark = pytest.mark.django_db

SCALE = 0.01  # 1,000 signals, about 70 cases nationally and the demo region's minimum


@pytest.fixture
def year() -> str:
    out = StringIO()
    call_command("demo", persons=0, scale=SCALE, stdout=out)
    return out.getvalue()


def demo_user(slug: str) -> User:
    return User.objects.get(username=f"demo.{slug}")


def test_the_run_reports_the_cases(year: str) -> None:
    assert "Cases 2022:" in year
    assert Case.objects.count() > 50
    assert Case.objects.filter(opened_via="self_referral").exists()
    assert Case.objects.filter(opened_via="signal").exists()
    agencies = set(Case.objects.values_list("agency__type", flat=True))
    assert {AgencyType.CRISIS_CENTRE, AgencyType.FAMILY_SUPPORT} <= agencies


def test_the_opener_saw_the_victim_when_the_case_opened(year: str) -> None:
    """do_open_case opens a case only for a person the worker sees: from a signal the police shared with
    the centre (a grant active at the opening), or on a self-referral for the record the centre
    registered, linked to the identity (never a duplicate)."""
    signal_type = ContentType.objects.get_for_model(Signal)
    owners = dict(CaseTransfer.objects.filter(status="accepted").values_list("case_id", "from_agency_id"))
    for case in Case.objects.select_related("victim", "signal", "opened_by"):
        owner = owners.get(case.pk, case.agency_id)
        assert case.opened_by.agency_id == owner
        children = list(case.children.select_related("person"))
        if case.signal is not None:
            shared = Grant.objects.filter(content_type=signal_type, object_id=case.signal.pk, agency=owner)
            grant = shared.get()
            assert grant.granted_at <= case.opened_at < grant.expires_at
            assert grant.granted_by_id in (case.signal.assigned_to_id, case.signal.registered_by_id)
            for child in children:
                assert SignalParty.objects.filter(
                    signal=case.signal, person=child.person, role="victim"
                ).exists()
        else:
            for person in [case.victim, *(c.person for c in children)]:
                assert (person.agency_id, person.created_by_id) == (owner, case.opened_by_id)
                assert person.linked_to_id is not None and person.created_at <= case.opened_at
                identity = Person.objects.get(pk=person.linked_to_id)
                assert identity.linked_to_id is None and identity.iin_hash == person.iin_hash


def test_states_follow_from_what_was_recorded(year: str) -> None:
    now = timezone.now()
    open_per_victim: Counter[tuple[int, int]] = Counter()
    states: Counter[str] = Counter()
    for case in Case.objects.select_related("agency", "victim"):
        assert case.state == compute_state(case), case.code
        states[case.state] += 1
        assert case.region_id == case.agency.region_id
        assert case.opened_at <= now
        if case.closed_at is None:
            open_per_victim[(case.victim.linked_to_id or case.victim_id, case.agency_id)] += 1
            assert not case.outcome and not case.closure_reason
        else:
            assert case.outcome and case.closure_reason
            closure = CaseClosure.objects.get(case=case, reopened_at__isnull=True)
            assert (closure.closed_at, closure.outcome) == (case.closed_at, case.outcome)
        if case.reopened_at is not None:
            assert CaseClosure.objects.filter(case=case, reopened_at=case.reopened_at).exists()
        if case.signal_id is not None:
            assert SignalParty.objects.filter(
                signal=case.signal_id, person=case.victim_id, role="victim"
            ).exists()
            assert case.signal is not None and case.opened_at > case.signal.received_at
        if case.assessed_at is not None:
            assert case.needs and case.assessed_at >= case.opened_at
    assert max(open_per_victim.values()) == 1  # one open case per victim per agency
    assert {"closed", "services"} <= set(states)
    assert len(states) >= 4


def test_plans_services_and_sessions_keep_the_services_rules(year: str) -> None:
    today = timezone.localdate()
    for case in Case.objects.all():
        versions = list(
            SafetyPlan.objects.filter(case=case).order_by("version").values_list("version", flat=True)
        )
        assert versions == list(range(1, len(versions) + 1))
    for plan in SafetyPlan.objects.all():
        assert plan.review_due >= timezone.localdate(plan.recorded_at)
    transferred_from = dict(
        CaseTransfer.objects.filter(status="accepted").values_list("case_id", "from_agency_id")
    )
    services = CaseService.objects.select_related("case", "specialist", "goal", "child")
    assert services.exists()
    for service in services:
        owner = transferred_from.get(service.case_id, service.case.agency_id)
        assert service.specialist.agency_id == owner
        check_qualified(service.specialist, service.type, service.starts_on)  # raises if not qualified
        assert service.goal is None or service.goal.case_id == service.case_id
        assert service.child is None or service.child.case_id == service.case_id
    for session in ServiceSession.objects.select_related("service"):
        assert session.service.starts_on <= session.held_on <= today
        assert 1 <= session.duration_minutes <= 24 * 60
    for case in Case.objects.all():
        children = set(case.children.values_list("person_id", flat=True))
        assert case.victim_id not in children


def test_specialists_in_every_region_some_qualifications_expired(year: str) -> None:
    today = timezone.localdate()
    for region in Region.objects.all():
        for type_, roster in ROSTER.items():
            # the foundation's agency of the type (the facilities demo registers more crisis centres later)
            agency = Agency.objects.filter(region=region, type=type_, district=None).order_by("pk").first()
            specialists = list(Specialist.objects.filter(agency=agency))
            assert len(specialists) == len(roster)
            for kind in {k for kinds in roster for k in kinds}:
                # every kind the agency offers can be assigned today by someone
                assert any(
                    q.valid_on(today)
                    for q in Qualification.objects.filter(specialist__agency=agency, kind=kind)
                ), (region.code, type_, kind)
    expired = [
        s
        for s in Specialist.objects.filter(agency__region__code=HOME_REGION, agency__type="crisis_centre")
        if not any(q.valid_on(today) for q in s.qualifications.filter(kind="psychological"))
        and s.qualifications.filter(kind="psychological").exists()
    ]
    assert expired
    with translation.override("en"), pytest.raises(ValidationError, match="expired on"):
        check_qualified(expired[0], "psychological", today)


def test_referrals_rely_on_consent_or_a_mandate_and_grants_match_them(year: str) -> None:
    now = timezone.now()
    statuses = Counter(Referral.objects.values_list("status", flat=True))
    assert set(statuses) == set(ReferralStatus.values)
    referrals = Referral.objects.select_related("case", "purpose", "consent", "grant")
    for r in referrals:
        decided = r.decided_at is not None and r.status != ReferralStatus.DECLINED
        assert r.to_agency_id != r.case.agency_id
        if r.purpose.discloses_identity and not r.legal_mandate:
            consent = r.consent
            assert consent is not None, r.code
            assert (consent.person_id, consent.purpose, consent.receiving_agency_id) == (
                r.case.victim_id,
                r.purpose.consent_purpose,
                r.to_agency_id,
            )
            assert consent_status(consent, r.requested_at) == ConsentStatus.ACTIVE
            if decided:
                assert consent_status(consent, r.decided_at) == ConsentStatus.ACTIVE
            limit = ConsentRule.effective(consent.granted_at).max_days
            assert consent.expires_at - consent.granted_at <= dt.timedelta(days=limit)
        if r.legal_mandate:
            assert r.mandate_reason and r.consent_id is None
        if r.status == ReferralStatus.DECLINED:
            assert r.decline_reason and r.decided_by_id
        if r.status in (ReferralStatus.COMPLETED, ReferralStatus.REVOKED):
            assert r.ended_at is not None and r.end_reason
        if r.status in (ReferralStatus.REQUESTED, ReferralStatus.ACCEPTED):
            assert r.case.closed_at is None  # a closed case has no referral still running
        # A grant exactly for the referrals that were accepted, active exactly while accepted.
        assert (r.grant is not None) == decided, r.code
        if r.grant is not None:
            assert r.decided_at is not None
            grant = r.grant
            expires = r.decided_at + dt.timedelta(days=r.purpose.access_days)
            if r.consent is not None:
                expires = min(expires, r.consent.expires_at)
            assert grant.target == r.case
            assert (grant.agency_id, grant.user_id, grant.purpose) == (r.to_agency_id, None, r.purpose.code)
            assert grant.sections == sorted(set(r.purpose.sections))
            assert grant.actions == {"view": True}
            assert (grant.granted_by_id, grant.granted_at, grant.expires_at) == (
                r.requested_by_id,
                r.decided_at,
                expires,
            )
            assert grant.reason == f"{r.code} ({r.purpose.code})"
            assert grant.is_active(now) == (r.status == ReferralStatus.ACCEPTED), r.code
            if r.status != ReferralStatus.ACCEPTED:
                assert grant.revoked_at == r.ended_at and grant.revoked_by_id is not None
    case_grants = Grant.objects.of_model(Case)  # (signals shared by police are grants too: not these)
    assert case_grants.count() == Referral.objects.filter(grant__isnull=False).count()
    assert Referral.objects.filter(end_reason__icontains="withdrawn").exists() or any(
        r.consent and r.consent.withdrawn_at for r in referrals
    )
    # No accepted referral relies on a withdrawn consent: the sweep has nothing to end.
    assert do_end_referrals_without_consent() == []


def test_the_services_work_on_the_demo_rows(year: str) -> None:
    worker = demo_user("case_worker")
    waiting = list(referrals_waiting(worker))
    assert waiting
    accepted = do_accept_referral(actor=worker, referral=waiting[0])
    assert accepted.grant is not None and accepted.grant.is_active()
    if len(waiting) > 1:
        do_decline_referral(actor=worker, referral=waiting[1], reason="Нет мест.")
    own = Referral.objects.filter(status=ReferralStatus.ACCEPTED, requested_by=worker).first()
    if own is not None:
        revoked = do_revoke_referral(actor=worker, referral=own, reason="Помощь получена.")
        assert revoked.status == ReferralStatus.REVOKED


def test_the_demo_case_workers_day(year: str) -> None:
    worker = demo_user("case_worker")
    assert worker.agency is not None and worker.agency.type == AgencyType.CRISIS_CENTRE
    assert my_cases(worker).count() >= HOME_OPEN_CASES
    waiting = list(referrals_waiting(worker))
    assert len(waiting) >= 3
    assert len({r.requested_at.date() for r in waiting}) >= 3  # waiting for various times
    assert safety_reviews_overdue(worker, timezone.localdate()).exists()
    psychologist = demo_user("psychologist")
    assert CaseService.objects.visible_to(psychologist, "view").filter(specialist__user=psychologist).exists()
    lawyer = demo_user("lawyer")
    assert (
        CaseService.objects.visible_to(lawyer, "view").filter(specialist__user=lawyer, type="legal").exists()
    )
    assert CaseTransfer.objects.exists() or Case.objects.count() < 200


def test_a_second_run_adds_no_cases(year: str) -> None:
    counts = (
        Case.objects.count(),
        Referral.objects.count(),
        Specialist.objects.count(),
        User.objects.count(),
    )
    call_command("demo", persons=0, scale=SCALE, force=True, stdout=StringIO())
    assert (
        Case.objects.count(),
        Referral.objects.count(),
        Specialist.objects.count(),
        User.objects.count(),
    ) == counts
