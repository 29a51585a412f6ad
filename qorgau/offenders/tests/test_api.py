"""The offenders API: scope (another region's user gets 404), strict input, idempotent creation, the
step out of order answered 400 with the allowed steps."""

import pytest

from qorgau.core.models import AgencyType
from qorgau.core.testing import AgencyFactory, api_client

from ..models import ProgrammeReferral, TreatmentReferral
from .factories import OffenderWorld, user

pytestmark = pytest.mark.django_db
URL = "/api/offenders/treatment-referrals/"


def _body(ow: OffenderWorld) -> dict:
    return {
        "signal": ow.signal.pk,
        "offender": ow.offender.pk,
        "dependence": "alcohol",
        "grounds": "Repeated.",
    }


def test_starting_needs_an_idempotency_key_and_replays_on_retry(ow: OffenderWorld) -> None:
    client = api_client(ow.inspector)
    assert client.post(URL, _body(ow), format="json").status_code == 400
    first = client.post(URL, _body(ow), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201, first.content
    again = client.post(URL, _body(ow), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert TreatmentReferral.objects.count() == 1
    other = client.post(URL, {**_body(ow), "grounds": "Other."}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 409


def test_input_is_strict(ow: OffenderWorld) -> None:
    client = api_client(ow.inspector)
    bad = client.post(URL, {**_body(ow), "grounds": 42}, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert bad.status_code == 400 and "grounds" in bad.json()
    bad = client.post(
        URL, {**_body(ow), "documents": ["passport"]}, format="json", HTTP_IDEMPOTENCY_KEY="k-3"
    )
    assert bad.status_code == 400 and "documents" in bad.json()
    assert TreatmentReferral.objects.count() == 0


def test_another_regions_inspector_gets_404(ow: OffenderWorld) -> None:
    referral = ow.start()
    shymkent = user("shym_insp", ow.iw.shymkent_police, "district_inspector")
    client = api_client(shymkent)
    assert client.get(f"{URL}{referral.pk}/").status_code == 404
    assert client.post(f"{URL}{referral.pk}/step/", {"to": "examination"}, format="json").status_code == 404
    assert client.get(URL).json()["count"] == 0
    assert api_client(ow.inspector).get(URL).json()["count"] == 1


def test_a_step_out_of_order_answers_400_naming_the_allowed_steps(ow: OffenderWorld) -> None:
    referral = ow.start()
    client = api_client(ow.inspector)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    answer = client.post(f"{URL}{referral.pk}/step/", {"to": "ended", "reason": "completed"}, format="json")
    assert answer.status_code == 400
    assert "cannot go to" in answer.json()["to"][0]


def test_a_provider_sees_its_own_programme_referrals_only_and_no_victim(ow: OffenderWorld) -> None:
    referral = ow.refer()
    rival = user("rival", AgencyFactory.create(type=AgencyType.NGO, region=ow.p.astana), "programme_provider")
    assert api_client(rival).get(f"/api/offenders/programme-referrals/{referral.pk}/").status_code == 404
    answer = api_client(ow.provider_user).get(f"/api/offenders/programme-referrals/{referral.pk}/")
    assert answer.status_code == 200
    assert set(answer.json()) >= {"offender", "programme", "partner_contact_offered"}
    assert "signal" not in answer.json() and "case" not in answer.content.decode()


def test_programme_referral_is_idempotent_and_sessions_are_recorded(ow: OffenderWorld) -> None:
    client = api_client(ow.inspector)
    body = {
        "programme": ow.programme.pk,
        "offender": ow.offender.pk,
        "basis": "police",
        "signal": ow.signal.pk,
    }
    first = client.post(
        "/api/offenders/programme-referrals/", body, format="json", HTTP_IDEMPOTENCY_KEY="p-1"
    )
    assert first.status_code == 201, first.content
    assert (
        client.post(
            "/api/offenders/programme-referrals/", body, format="json", HTTP_IDEMPOTENCY_KEY="p-1"
        ).status_code
        == 200
    )
    assert ProgrammeReferral.objects.count() == 1
    pk = first.json()["id"]
    provider = api_client(ow.provider_user)
    assert (
        provider.post(
            f"/api/offenders/programme-referrals/{pk}/assess/",
            {"items": ["nope"], "suitable": True},
            format="json",
        ).status_code
        == 400
    )
    assert (
        provider.post(
            f"/api/offenders/programme-referrals/{pk}/assess/",
            {"items": [], "suitable": "yes please"},
            format="json",
        ).status_code
        == 400
    )
    assert (
        provider.post(
            f"/api/offenders/programme-referrals/{pk}/assess/", {"items": [], "suitable": True}, format="json"
        ).status_code
        == 200
    )
    end = provider.post(
        f"/api/offenders/programme-referrals/{pk}/end/",
        {"completed": False, "dropout_reason": "stopped", "outcomes": {"x": "achieved"}},
        format="json",
    )
    assert end.status_code == 400 and "outcomes" in end.json()


def test_requirement_dates_and_months_are_checked(ow: OffenderWorld) -> None:
    client = api_client(ow.inspector)
    body = {
        "signal": ow.signal.pk,
        "offender": ow.offender.pk,
        "kinds": ["no_contact"],
        "months": 13,
        "starts_on": "2026-01-01",
        "court_reference": "2-9/2026",
    }
    for change in (
        {"months": 13},
        {"starts_on": "9999-12-31", "months": 12},
        {"starts_on": "0001-01-01", "months": 3},
    ):
        answer = client.post("/api/offenders/requirements/", {**body, **change}, format="json")
        assert answer.status_code == 400, (change, answer.content)
