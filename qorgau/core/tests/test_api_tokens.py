"""API tokens: hashed, named, expiring, revocable, scoped as their owner, refused while the owner is
inactive or locked out (issue 6: tokens bypassed the second factor and the lockout)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from qorgau.core.api.tokens import MAX_DAYS, do_issue_api_token, do_revoke_api_token, hash_key
from qorgau.core.models import ApiToken, AuditEvent, User
from qorgau.core.testing import Personas, otp_login
from qorgau.people.tests.factories import PersonFactory

PERSONS = "/api/people/persons/"


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def issue(owner: User, days: int = 30) -> tuple[ApiToken, str]:
    return do_issue_api_token(actor=None, owner=owner, name="Hospital intake bridge", days=days)


def test_only_a_hash_of_the_key_is_stored(personas: Personas) -> None:
    token, key = issue(personas.astana_officer)
    token.refresh_from_db()
    assert token.key_hash == hash_key(key) and key not in token.key_hash
    assert key.startswith(token.prefix) and len(key) > len(token.prefix) + 30
    assert not any(key in str(value) for value in ApiToken.objects.values_list().get(pk=token.pk))


def test_a_valid_token_acts_with_its_owners_scope(personas: Personas) -> None:
    mine = PersonFactory.create(agency=personas.astana_police, region=personas.astana)
    theirs = PersonFactory.create(agency=personas.shymkent_crisis, region=personas.shymkent)
    _token, key = issue(personas.astana_officer)
    client = token_client(key)
    assert client.get(f"{PERSONS}{mine.pk}/").status_code == 200
    assert client.get(f"{PERSONS}{theirs.pk}/").status_code == 404
    assert [row["id"] for row in client.get(PERSONS).json()["results"]] == [mine.pk]


def test_use_is_recorded_on_the_token(personas: Personas) -> None:
    token, key = issue(personas.astana_officer)
    assert token.last_used_at is None
    token_client(key).get(PERSONS)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_an_expired_token_is_refused(personas: Personas) -> None:
    token, key = issue(personas.astana_officer)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = token_client(key).get(PERSONS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_revoked_token_is_refused_and_the_revocation_audited(personas: Personas) -> None:
    token, key = issue(personas.astana_officer)
    assert token_client(key).get(PERSONS).status_code == 200
    do_revoke_api_token(actor=personas.sysadmin, token=token, reason="laptop lost")
    assert token_client(key).get(PERSONS).status_code == 401
    row = AuditEvent.objects.get(action="api_token.revoke")
    assert row.actor == personas.sysadmin and row.object_id == str(token.pk) and row.reason == "laptop lost"


def test_an_inactive_owners_token_is_refused(personas: Personas) -> None:
    _token, key = issue(personas.astana_officer)
    User.objects.filter(pk=personas.astana_officer.pk).update(is_active=False)
    assert token_client(key).get(PERSONS).status_code == 401


def test_a_locked_out_owners_token_is_refused(client: Client, personas: Personas) -> None:
    _token, key = issue(personas.astana_officer)
    assert token_client(key).get(PERSONS).status_code == 200
    for attempt in range(5):  # real failed sign-ins lock the account through django-axes
        client.post("/accounts/login/", {"username": "aigerim", "password": f"wrong-{attempt}"})
    response = token_client(key).get(PERSONS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    # Another account's token is not affected by this lock.
    _other, other_key = issue(personas.astana_inspector)
    assert token_client(other_key).get(PERSONS).status_code == 200


def test_an_unknown_or_malformed_token_is_refused(personas: Personas) -> None:
    _token, key = issue(personas.astana_officer)
    for bad in (key[:-1] + ("A" if key[-1] != "A" else "B"), "qg_", "not-a-token"):
        assert token_client(bad).get(PERSONS).status_code == 401, bad
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token two parts")
    assert client.get(PERSONS).status_code == 401


def test_anonymous_calls_get_401_with_the_token_challenge(db: None) -> None:
    response = APIClient().get(PERSONS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_issuing_is_audited_without_the_key(personas: Personas) -> None:
    token, key = issue(personas.astana_officer)
    row = AuditEvent.objects.get(action="api_token.issue")
    assert row.object_id == str(token.pk)
    assert row.changes["owner"] == personas.astana_officer.pk
    assert key not in str(row.changes) and key not in row.object_repr
    assert "aigerim" not in row.object_repr


def test_a_token_must_expire_within_a_year(personas: Personas) -> None:
    for days in (0, -1, MAX_DAYS + 1):
        with pytest.raises(ValidationError):
            issue(personas.astana_officer, days=days)
    token, _key = issue(personas.astana_officer, days=MAX_DAYS)
    assert token.expires_at - token.created_at == timedelta(days=MAX_DAYS)


def test_a_token_needs_a_client_name_and_an_active_owner(personas: Personas) -> None:
    with pytest.raises(ValidationError):
        do_issue_api_token(actor=None, owner=personas.astana_officer, name="  ", days=30)
    personas.astana_officer.is_active = False
    with pytest.raises(ValidationError):
        issue(personas.astana_officer)


def test_only_administrators_issue_tokens_for_others(personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        do_issue_api_token(actor=personas.astana_inspector, owner=personas.astana_officer, name="x", days=1)
    with pytest.raises(PermissionDenied):  # not even for themselves: a token skips the second factor
        do_issue_api_token(actor=personas.astana_officer, owner=personas.astana_officer, name="x", days=1)
    token, _key = do_issue_api_token(actor=personas.sysadmin, owner=personas.astana_officer, name="x", days=1)
    assert token.created_by == personas.sysadmin


def test_the_command_prints_a_working_key(personas: Personas) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("issue_api_token", "aigerim", "--name", "CI fuzzing", "--days", "2", stdout=out, stderr=err)
    key = out.getvalue().strip()
    assert token_client(key).get(PERSONS).status_code == 200
    token = ApiToken.objects.get()
    assert token.name == "CI fuzzing" and token.owner == personas.astana_officer
    assert AuditEvent.objects.get(action="api_token.issue").actor_username.startswith("manage.py:")
    with pytest.raises(CommandError, match="days"):
        call_command("issue_api_token", "aigerim", "--name", "x", "--days", "400", stdout=out, stderr=err)
    with pytest.raises(CommandError, match="Unknown user"):
        call_command("issue_api_token", "nobody", "--name", "x", "--days", "1", stdout=out, stderr=err)


def test_the_revoke_command_stops_a_token(personas: Personas) -> None:
    token, key = issue(personas.astana_officer)
    call_command("revoke_api_token", token.prefix, "--reason", "rotated", stdout=io.StringIO())
    assert token_client(key).get(PERSONS).status_code == 401


def test_the_admin_lists_tokens_without_keys_and_revokes_them(client: Client, personas: Personas) -> None:
    token, key = issue(personas.astana_officer)
    otp_login(client, personas.sysadmin)
    page = client.get("/admin/core/apitoken/")
    assert page.status_code == 200
    content = page.content.decode()
    assert token.prefix in content and key not in content and token.key_hash not in content
    assert client.get("/admin/core/apitoken/add/").status_code == 403
    response = client.post(
        "/admin/core/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == personas.sysadmin
