"""Consent: the rule that decides disclosure, the services that record and withdraw it, its pages and API."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from qorgau.core.models import AuditEvent
from qorgau.core.testing import Personas, ScopeMatrix, api_client, otp_login
from qorgau.people.models import Consent, ConsentPurpose, Person
from qorgau.people.services.consent import (
    consent_allows,
    do_record_consent,
    do_withdraw_consent,
)

REFERRAL = ConsentPurpose.REFERRAL
API = "/api/people/consents/"


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


def make_person(personas: Personas, **kwargs: Any) -> Person:
    # Local on purpose: the shared people factories are written concurrently.
    values = {
        "surname": "Сапарова",
        "given_name": "Айгуль",
        "agency": personas.astana_police,
        "region": personas.astana,
        "created_by": personas.astana_officer,
    }
    return Person.objects.create(**{**values, **kwargs})


def make_consent(personas: Personas, person: Person | None = None, **kwargs: Any) -> Consent:
    now = timezone.now()
    values = {
        "person": person or make_person(personas),
        "purpose": REFERRAL,
        "receiving_agency": personas.shymkent_crisis,
        "granted_at": now - timedelta(days=1),
        "expires_at": now + timedelta(days=90),
        "recording_agency": personas.astana_police,
        "recorded_by": personas.astana_officer,
    }
    return Consent.objects.create(**{**values, **kwargs})


@pytest.fixture
def person(personas: Personas) -> Person:
    return make_person(personas)


def record_for(personas: Personas, person: Person, **kwargs: Any) -> Consent:
    now = timezone.now()
    values: dict[str, Any] = {
        "actor": personas.astana_officer,
        "person": person,
        "purpose": REFERRAL,
        "receiving_agency": personas.shymkent_crisis,
        "granted_at": now - timedelta(hours=1),
        "expires_at": now + timedelta(days=180),
    }
    return do_record_consent(**{**values, **kwargs})


# --- consent_allows --------------------------------------------------------------------------------


def test_consent_allows_disclosure_while_in_force(personas: Personas) -> None:
    consent = make_consent(personas)
    assert consent_allows(person=consent.person, purpose=REFERRAL, agency=personas.shymkent_crisis)


def test_consent_does_not_allow_another_agency_or_purpose(personas: Personas) -> None:
    consent = make_consent(personas)
    assert not consent_allows(person=consent.person, purpose=REFERRAL, agency=personas.astana_police)
    assert not consent_allows(
        person=consent.person, purpose=ConsentPurpose.SHELTER, agency=personas.shymkent_crisis
    )


def test_consent_is_valid_from_grant_until_just_before_expiry(personas: Personas) -> None:
    consent = make_consent(personas)
    ask: dict[str, Any] = {"person": consent.person, "purpose": REFERRAL, "agency": personas.shymkent_crisis}
    assert consent_allows(**ask, at=consent.granted_at)
    assert not consent_allows(**ask, at=consent.granted_at - timedelta(seconds=1))
    assert consent_allows(**ask, at=consent.expires_at - timedelta(seconds=1))
    assert not consent_allows(**ask, at=consent.expires_at)


def test_withdrawal_stops_disclosure_from_that_moment(personas: Personas) -> None:
    now = timezone.now()
    consent = make_consent(personas, withdrawn_at=now)
    ask: dict[str, Any] = {"person": consent.person, "purpose": REFERRAL, "agency": personas.shymkent_crisis}
    assert not consent_allows(**ask)
    assert consent_allows(**ask, at=now - timedelta(minutes=1))


# --- do_record_consent -----------------------------------------------------------------------------


def test_recording_consent_writes_it_and_an_audit_row(personas: Personas, person: Person) -> None:
    consent = record_for(personas, person, notes="  only the address  ")
    assert consent.recording_agency == personas.astana_police
    assert consent.recorded_by == personas.astana_officer
    assert consent.notes == "only the address"
    event = AuditEvent.objects.get(action="consent.record")
    assert event.object_id == str(consent.pk)
    assert event.changes["receiving_agency"] == {"old": None, "new": personas.shymkent_crisis.pk}
    assert "notes" not in event.changes


@pytest.mark.parametrize(
    ("granted", "expires", "field"),
    [
        (timedelta(hours=-1), timedelta(hours=-2), "expires_at"),
        (timedelta(hours=-1), timedelta(hours=-1), "expires_at"),
        (timedelta(hours=-1), timedelta(days=365), "expires_at"),  # the migrated limit: 365 days
        (timedelta(days=1), timedelta(days=10), "granted_at"),
    ],
)
def test_recording_consent_validates_the_period(
    personas: Personas, person: Person, granted: timedelta, expires: timedelta, field: str
) -> None:
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        record_for(personas, person, granted_at=now + granted, expires_at=now + expires)
    assert field in error.value.message_dict
    assert not Consent.objects.exists()
    assert not AuditEvent.objects.filter(action="consent.record").exists()


def test_recording_consent_requires_an_expiry(personas: Personas, person: Person) -> None:
    with pytest.raises(ValidationError) as error:
        record_for(personas, person, expires_at=None)
    assert "expires_at" in error.value.message_dict


@pytest.mark.parametrize("actor", ["shymkent_worker", "astana_chair", "outsider"])
def test_recording_consent_needs_the_consent_action_on_the_person(
    personas: Personas, person: Person, actor: str
) -> None:
    with pytest.raises(PermissionDenied):
        record_for(personas, person, actor=getattr(personas, actor))
    assert not Consent.objects.exists()


# --- do_withdraw_consent ---------------------------------------------------------------------------


def test_withdrawing_consent_records_reason_and_old_and_new_values(personas: Personas) -> None:
    consent = make_consent(personas)
    do_withdraw_consent(actor=personas.astana_inspector, consent=consent, reason=" moved away ")
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert consent.withdrawal_reason == "moved away"
    event = AuditEvent.objects.get(action="consent.withdraw")
    assert event.reason == "moved away"
    assert event.changes["withdrawn_at"]["old"] is None
    assert event.changes["withdrawn_at"]["new"] == consent.withdrawn_at.isoformat()


def test_withdrawing_needs_a_reason(personas: Personas) -> None:
    consent = make_consent(personas)
    with pytest.raises(ValidationError) as error:
        do_withdraw_consent(actor=personas.astana_officer, consent=consent, reason="   ")
    assert "reason" in error.value.message_dict
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_withdrawing_twice_is_refused(personas: Personas) -> None:
    consent = make_consent(personas)
    do_withdraw_consent(actor=personas.astana_officer, consent=consent, reason="asked")
    with pytest.raises(ValidationError):
        do_withdraw_consent(actor=personas.astana_officer, consent=consent, reason="again")
    assert AuditEvent.objects.filter(action="consent.withdraw").count() == 1


def test_withdrawing_out_of_scope_is_refused(personas: Personas) -> None:
    consent = make_consent(personas)
    with pytest.raises(PermissionDenied):
        do_withdraw_consent(actor=personas.shymkent_worker, consent=consent, reason="x")


# --- scope matrix of the pages and the API -----------------------------------------------------------


class TestConsentScope(ScopeMatrix):
    api_list_url = API

    def make_object(self, personas: Personas) -> Consent:
        return make_consent(personas)

    def detail_url(self, obj: Consent) -> str:
        return f"/people/{obj.person_id}/consents/"

    def api_detail_url(self, obj: Consent) -> str:
        return f"{API}{obj.pk}/"


def test_user_without_people_view_gets_403_on_a_persons_consents(client: Client, personas: Personas) -> None:
    consent = make_consent(personas)
    response = otp_login(client, personas.outsider).get(f"/people/{consent.person_id}/consents/")
    assert response.status_code == 403


@pytest.mark.parametrize("url", ["/people/{person}/consents/new/", "/people/consents/{consent}/withdraw/"])
def test_other_region_gets_404_on_consent_forms(client: Client, personas: Personas, url: str) -> None:
    consent = make_consent(personas)
    url = url.format(person=consent.person_id, consent=consent.pk)
    assert otp_login(client, personas.shymkent_worker).get(url).status_code == 404


# --- pages ----------------------------------------------------------------------------------------


def local_input(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_list_shows_each_consents_status(client: Client, personas: Personas, person: Person) -> None:
    now = timezone.now()
    active = make_consent(personas, person)
    expired = make_consent(
        personas, person, granted_at=now - timedelta(days=30), expires_at=now - timedelta(days=1)
    )
    withdrawn = make_consent(personas, person, withdrawn_at=now, withdrawal_reason="asked")
    response = otp_login(client, personas.astana_officer).get(f"/people/{person.pk}/consents/")
    html = response.content.decode()
    for consent, status in ((active, "active"), (expired, "expired"), (withdrawn, "withdrawn")):
        assert f'data-consent="{consent.pk}" data-status="{status}"' in html
    assert AuditEvent.objects.filter(action="consent.list", object_id=str(person.pk)).exists()


def test_empty_list_explains_what_consent_is_for(client: Client, personas: Personas, person: Person) -> None:
    html = otp_login(client, personas.astana_officer).get(f"/people/{person.pk}/consents/").content.decode()
    assert "No consent recorded for this person." in html


def test_recording_a_consent_through_the_form(client: Client, personas: Personas, person: Person) -> None:
    now = timezone.now()
    response = otp_login(client, personas.astana_officer).post(
        f"/people/{person.pk}/consents/new/",
        {
            "purpose": REFERRAL,
            "receiving_agency": personas.shymkent_crisis.pk,
            "granted_at": local_input(now - timedelta(hours=1)),
            "expires_at": local_input(now + timedelta(days=30)),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/people/{person.pk}/consents/"
    assert Consent.objects.get().person == person


def test_form_shows_the_service_errors_in_an_error_summary(
    client: Client, personas: Personas, person: Person
) -> None:
    now = timezone.now()
    response = otp_login(client, personas.astana_officer).post(
        f"/people/{person.pk}/consents/new/",
        {
            "purpose": REFERRAL,
            "receiving_agency": personas.shymkent_crisis.pk,
            "granted_at": local_input(now - timedelta(hours=1)),
            "expires_at": local_input(now + timedelta(days=400)),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'href="#id_expires_at"' in html
    assert not Consent.objects.exists()


def test_officer_without_the_consent_action_cannot_open_the_form(
    client: Client, personas: Personas, person: Person
) -> None:
    # The conference chair sees Astana's persons but may not record consent.
    assert (
        otp_login(client, personas.astana_chair).get(f"/people/{person.pk}/consents/new/").status_code == 403
    )


def test_withdrawing_through_the_form(client: Client, personas: Personas) -> None:
    consent = make_consent(personas)
    otp_login(client, personas.astana_officer)
    url = f"/people/consents/{consent.pk}/withdraw/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "she asked on the phone"})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawal_reason == "she asked on the phone"


def test_withdrawal_form_requires_a_reason(client: Client, personas: Personas) -> None:
    consent = make_consent(personas)
    response = otp_login(client, personas.astana_officer).post(f"/people/consents/{consent.pk}/withdraw/", {})
    assert response.status_code == 200
    assert 'href="#id_reason"' in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


# --- API ------------------------------------------------------------------------------------------


def api_payload(personas: Personas, person: Person, **kwargs: Any) -> dict[str, Any]:
    now = timezone.now()
    return {
        "person": person.pk,
        "purpose": REFERRAL,
        "receiving_agency": personas.shymkent_crisis.pk,
        "granted_at": (now - timedelta(hours=1)).isoformat(),
        "expires_at": (now + timedelta(days=30)).isoformat(),
        **kwargs,
    }


def test_api_records_consent(personas: Personas, person: Person) -> None:
    response = api_client(personas.astana_officer).post(API, api_payload(personas, person), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "active"
    assert Consent.objects.get().recorded_by == personas.astana_officer


def test_api_returns_service_errors_as_field_messages(personas: Personas, person: Person) -> None:
    payload = api_payload(personas, person, expires_at=(timezone.now() + timedelta(days=400)).isoformat())
    response = api_client(personas.astana_officer).post(API, payload, format="json")
    assert response.status_code == 400
    assert "expires_at" in response.json()


def test_api_treats_an_out_of_scope_person_as_unknown(personas: Personas, person: Person) -> None:
    response = api_client(personas.shymkent_worker).post(API, api_payload(personas, person), format="json")
    assert response.status_code == 400
    assert "person" in response.json()
    assert not Consent.objects.exists()


def test_api_withdraws_once(personas: Personas) -> None:
    consent = make_consent(personas)
    api = api_client(personas.astana_officer)
    first = api.post(f"{API}{consent.pk}/withdraw/", {"reason": "asked"}, format="json")
    assert first.status_code == 200
    assert first.json()["status"] == "withdrawn"
    assert api.post(f"{API}{consent.pk}/withdraw/", {"reason": "again"}, format="json").status_code == 400


def test_api_withdraw_needs_a_reason_and_scope(personas: Personas) -> None:
    consent = make_consent(personas)
    url = f"{API}{consent.pk}/withdraw/"
    assert api_client(personas.astana_officer).post(url, {}, format="json").status_code == 400
    assert api_client(personas.shymkent_worker).post(url, {"reason": "x"}, format="json").status_code == 404
    assert api_client(personas.astana_chair).post(url, {"reason": "x"}, format="json").status_code == 403


def test_api_list_filters_by_person_and_validity(personas: Personas, person: Person) -> None:
    now = timezone.now()
    active = make_consent(personas, person)
    make_consent(personas, person, withdrawn_at=now)
    make_consent(personas)  # another person
    response = api_client(personas.astana_officer).get(API, {"person": str(person.pk), "active": "true"})
    assert [row["id"] for row in response.json()["results"]] == [active.pk]


def test_the_longest_consent_is_the_rule_in_force_on_the_day_of_the_grant(
    personas: Personas, person: Person
) -> None:
    from qorgau.people.services.consent import do_add_consent_rule_version

    now = timezone.now()
    do_add_consent_rule_version(
        actor=personas.sysadmin, max_days=90, effective_from=timezone.localdate(), source="A stricter policy"
    )
    with pytest.raises(ValidationError) as exc:
        do_record_consent(
            actor=personas.astana_officer,
            person=person,
            purpose=ConsentPurpose.REFERRAL,
            receiving_agency=personas.shymkent_crisis,
            granted_at=now,
            expires_at=now + timedelta(days=120),
        )
    assert "90 days" in exc.value.message_dict["expires_at"][0]
    # A consent given before the new limit took effect keeps the limit of its own day.
    earlier = now - timedelta(days=2)
    consent = do_record_consent(
        actor=personas.astana_officer,
        person=person,
        purpose=ConsentPurpose.REFERRAL,
        receiving_agency=personas.shymkent_crisis,
        granted_at=earlier,
        expires_at=earlier + timedelta(days=300),
    )
    assert consent.pk is not None


def test_the_longest_consent_is_maintained_in_the_administration(client: Client, personas: Personas) -> None:
    from qorgau.people.models import ConsentRule

    otp_login(client, personas.sysadmin)
    start = timezone.localdate() + timedelta(days=10)
    refused = client.post(
        "/admin/people/consentrule/add/", {"max_days": 0, "effective_from": start.isoformat()}
    )
    assert refused.status_code == 200 and not ConsentRule.objects.filter(effective_from=start).exists()
    response = client.post(
        "/admin/people/consentrule/add/",
        {"max_days": 180, "effective_from": start.isoformat(), "source": "Policy"},
    )
    assert response.status_code == 302
    new = ConsentRule.objects.get(effective_from=start)
    assert ConsentRule.effective(start).max_days == 180
    assert ConsentRule.effective(start - timedelta(days=1)).max_days == 365
    assert AuditEvent.objects.filter(action="consentrule.add", actor=personas.sysadmin).exists()
    assert (
        client.post(f"/admin/people/consentrule/{new.pk}/withdraw/", {"reason": "Postponed"}).status_code
        == 302
    )
    assert ConsentRule.effective(start).max_days == 365
