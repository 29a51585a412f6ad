"""Enrolment of the first authenticator: only with a one-time code from an administrator (or after a
backup code), never on trust after the password alone; issuing codes, by whom, and the audit of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from qorgau.core.auth.backup_codes import issue_backup_codes
from qorgau.core.auth.enrolment import do_issue_enrolment_code
from qorgau.core.auth.services import do_enrol_totp
from qorgau.core.models import AuditEvent, EnrolmentCode, User
from qorgau.core.testing import Personas, otp_login

from .signin import (
    ENROLMENT_CODE,
    LOGIN,
    SETUP,
    VERIFY,
    actions,
    current_totp,
    is_verified,
    sign_in,
)


def issue(personas: Personas, user: User) -> str:
    return do_issue_enrolment_code(actor=personas.sysadmin, user=user)[1]


def redeem(client: Client, code: str, username: str = "aigerim") -> None:
    sign_in(client, username)
    response = client.post(ENROLMENT_CODE, {"code": code})
    assert response.status_code == 302, "enrolment code refused"
    assert response["Location"] == SETUP


# --- no secret without an enrolment code ------------------------------------------------------------


def test_a_user_without_a_device_is_sent_to_enter_an_enrolment_code(
    client: Client, personas: Personas
) -> None:
    sign_in(client, "aigerim", next="/people/")
    response = client.get(VERIFY + "?next=/people/")
    assert response["Location"] == SETUP + "?next=%2Fpeople%2F"
    response = client.get(SETUP + "?next=/people/")
    assert response["Location"] == ENROLMENT_CODE + "?next=%2Fpeople%2F"
    response = client.get(ENROLMENT_CODE)
    assert response.status_code == 200
    assert 'autocomplete="one-time-code"' in response.content.decode()


def test_no_enrolment_without_an_enrolment_code(client: Client, personas: Personas) -> None:
    # Before: the password alone showed the secret (trust on first use).
    sign_in(client, "aigerim")
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response["Location"] == ENROLMENT_CODE
    assert "secret" not in (response.context or {})
    assert not TOTPDevice.objects.filter(user=personas.astana_officer).exists()
    response = client.post(SETUP, {"code": "123456"})
    assert response["Location"] == ENROLMENT_CODE
    assert not TOTPDevice.objects.filter(user=personas.astana_officer).exists()
    assert not is_verified(client)


def test_totp_enrolment_with_an_enrolment_code_end_to_end(client: Client, personas: Personas) -> None:
    user = personas.astana_officer
    clear = issue(personas, user)
    code = EnrolmentCode.objects.get(user=user)
    sign_in(client, "aigerim")
    response = client.post(ENROLMENT_CODE + "?next=/people/", {"code": clear.upper()})
    assert response["Location"] == SETUP + "?next=%2Fpeople%2F"
    code.refresh_from_db()
    assert code.used_at is not None

    response = client.get(SETUP)
    assert response.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in response.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = response.context["secret"].replace(" ", "")
    assert len(secret) == 32
    # Reloading the page keeps the same secret (the user may be half-way through scanning it).
    assert client.get(SETUP).context["secret"].replace(" ", "") == secret

    before = client.session.session_key
    response = client.post(SETUP + "?next=/people/", {"code": current_totp(device)})
    assert response["Location"] == "/people/"
    device.refresh_from_db()
    assert device.confirmed
    assert is_verified(client)
    assert client.session.session_key != before
    enrolled = AuditEvent.objects.get(action="auth.otp_enrolled", actor=user)
    assert enrolled.changes == {"via": "enrolment_code", "enrolment_code": code.pk}
    assert actions(actor=user).count("auth.enrolment_code_used") == 1
    for event in AuditEvent.objects.all():
        assert clear not in str(event.changes) and clear.replace("-", "") not in str(event.changes)


def test_enrolment_refuses_a_wrong_authenticator_code(client: Client, personas: Personas) -> None:
    redeem(client, issue(personas, personas.astana_officer))
    client.get(SETUP)
    response = client.post(SETUP, {"code": "123456"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not TOTPDevice.objects.filter(user=personas.astana_officer, confirmed=True).exists()
    assert not is_verified(client)


def test_a_right_authenticator_code_during_the_back_off_says_wait(
    client: Client, personas: Personas, long_throttle: None
) -> None:
    redeem(client, issue(personas, personas.astana_officer))
    client.get(SETUP)
    client.post(SETUP, {"code": "123456"})
    device = TOTPDevice.objects.get(user=personas.astana_officer)
    response = client.post(SETUP, {"code": current_totp(device)})
    assert response.context["form"].has_error("code", "throttled")
    device.refresh_from_db()
    assert not device.confirmed


def test_a_used_code_is_refused(personas: Personas) -> None:
    clear = issue(personas, personas.astana_officer)
    redeem(Client(), clear)  # used in one session, enrolment not finished
    other = Client()
    sign_in(other, "aigerim")
    response = other.post(ENROLMENT_CODE, {"code": clear})
    assert response.status_code == 200
    assert response.context["form"].has_error("code", "invalid")
    assert other.get(SETUP)["Location"] == ENROLMENT_CODE  # the other session saw no secret


def test_an_expired_code_is_refused(client: Client, personas: Personas) -> None:
    clear = issue(personas, personas.astana_officer)
    EnrolmentCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    sign_in(client, "aigerim")
    response = client.post(ENROLMENT_CODE, {"code": clear})
    assert response.status_code == 200
    assert client.get(SETUP)["Location"] == ENROLMENT_CODE
    assert EnrolmentCode.objects.get().used_at is None


def test_a_code_issued_for_another_user_is_refused(client: Client, personas: Personas) -> None:
    clear = issue(personas, personas.astana_inspector)
    sign_in(client, "aigerim")
    response = client.post(ENROLMENT_CODE, {"code": clear})
    assert response.status_code == 200
    assert client.get(SETUP)["Location"] == ENROLMENT_CODE
    assert EnrolmentCode.objects.get().used_at is None  # still good for its own user
    redeem(Client(), clear, username="daniyar")


def test_a_new_code_withdraws_the_earlier_one(client: Client, personas: Personas) -> None:
    first = issue(personas, personas.astana_officer)
    second = issue(personas, personas.astana_officer)
    sign_in(client, "aigerim")
    assert client.post(ENROLMENT_CODE, {"code": first}).status_code == 200
    assert client.post(ENROLMENT_CODE, {"code": second}).status_code == 302


def test_wrong_enrolment_codes_count_and_lock_the_account(personas: Personas) -> None:
    clear = issue(personas, personas.astana_officer)
    for attempt in range(5):  # spread over fresh logins: counted per account
        client = Client()
        sign_in(client, "aigerim")
        response = client.post(ENROLMENT_CODE, {"code": f"wrongcode{attempt}"})
    assert response.status_code == 429
    failed = AuditEvent.objects.filter(action="auth.otp_failed", actor=personas.astana_officer)
    assert [e.changes["step"] for e in failed] == ["enrolment_code"] * 5
    assert "auth.locked_out" in actions(actor_username="aigerim")
    # Locked: not even the right password and the right enrolment code get through.
    client = Client()
    assert sign_in(client, "aigerim").status_code == 429
    assert client.post(ENROLMENT_CODE, {"code": clear})["Location"].startswith(LOGIN)
    assert EnrolmentCode.objects.get().used_at is None


def test_a_secret_made_before_the_code_is_dropped(client: Client, personas: Personas) -> None:
    # A pending device from the time the password alone showed its secret must not become usable.
    stale = TOTPDevice.objects.create(user=personas.astana_officer, name="authenticator", confirmed=False)
    redeem(client, issue(personas, personas.astana_officer))
    client.get(SETUP)
    assert not TOTPDevice.objects.filter(pk=stale.pk).exists()
    assert TOTPDevice.objects.filter(user=personas.astana_officer).count() == 1


def test_a_redeemed_code_opens_enrolment_in_its_own_session_only(personas: Personas) -> None:
    redeem(Client(), issue(personas, personas.astana_officer))
    other = Client()
    sign_in(other, "aigerim")
    assert other.get(SETUP)["Location"] == ENROLMENT_CODE


def test_enrolment_after_a_backup_code(client: Client, personas: Personas) -> None:
    user = personas.astana_officer
    codes = issue_backup_codes(user)
    sign_in(client, "aigerim")
    assert client.get(ENROLMENT_CODE)["Location"] == VERIFY  # has a second factor: no code needed
    client.post(VERIFY, {"code": codes[0]})
    response = client.get(SETUP)
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post(SETUP, {"code": current_totp(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.get(action="auth.otp_enrolled").changes == {"via": "verified_session"}


def test_used_up_backup_codes_lead_to_the_enrolment_code(client: Client, personas: Personas) -> None:
    [code] = issue_backup_codes(personas.astana_officer, count=1)
    sign_in(client, "aigerim")
    client.post(VERIFY, {"code": code})
    client.post("/accounts/logout/")
    sign_in(client, "aigerim")
    assert client.get(VERIFY)["Location"] == SETUP
    assert client.get(SETUP)["Location"] == ENROLMENT_CODE


def test_a_password_alone_cannot_replace_an_existing_second_factor(
    client: Client, personas: Personas
) -> None:
    issue_backup_codes(personas.astana_officer)
    issue(personas, personas.astana_officer)
    sign_in(client, "aigerim")
    for url in (SETUP, ENROLMENT_CODE):
        response = client.get(url)
        assert response["Location"].startswith(VERIFY)
    response = client.post(SETUP, {"code": "123456"})
    assert response["Location"].startswith(VERIFY)
    assert not TOTPDevice.objects.filter(user=personas.astana_officer).exists()


def test_a_verified_user_can_replace_the_authenticator(client: Client, personas: Personas) -> None:
    user = personas.astana_officer
    old = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    otp_login(client, user)
    client.get(SETUP)
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post(SETUP, {"code": current_totp(new)})
    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", flat=True)) == [new.pk]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


def test_nobody_enrols_an_authenticator_for_someone_else(personas: Personas) -> None:
    device = TOTPDevice.objects.create(user=personas.astana_officer, name="phone", confirmed=False)
    with pytest.raises(PermissionError):
        do_enrol_totp(actor=personas.astana_inspector, device=device)
    device.refresh_from_db()
    assert not device.confirmed
    assert not AuditEvent.objects.filter(action="auth.otp_enrolled").exists()


def test_the_service_refuses_an_enrolment_without_a_code_or_a_verified_session(personas: Personas) -> None:
    user = personas.astana_officer
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=False)
    with pytest.raises(PermissionError):
        do_enrol_totp(actor=user, device=device)
    do_issue_enrolment_code(actor=personas.sysadmin, user=user)
    unredeemed = EnrolmentCode.objects.get(user=user)
    with pytest.raises(PermissionError):
        do_enrol_totp(actor=user, device=device, enrolment_code=unredeemed)
    device.refresh_from_db()
    assert not device.confirmed


# --- issuing codes ------------------------------------------------------------------------------------


def test_issuing_a_code_is_audited_without_the_code(personas: Personas) -> None:
    code, clear = do_issue_enrolment_code(actor=personas.sysadmin, user=personas.astana_officer)
    assert len(clear.replace("-", "")) == 16
    assert code.expires_at - code.created_at == timedelta(hours=72)
    assert code.code_hash != clear and clear not in code.code_hash
    event = AuditEvent.objects.get(action="auth.enrolment_code_issued")
    assert event.actor == personas.sysadmin
    assert event.object_id == str(personas.astana_officer.pk)
    assert event.changes["enrolment_code"] == code.pk
    assert clear not in str(event.changes) and clear.replace("-", "") not in str(event.changes)


def test_who_may_issue_a_code(personas: Personas, agency_admin: User) -> None:
    do_issue_enrolment_code(actor=personas.sysadmin, user=personas.shymkent_worker)
    do_issue_enrolment_code(actor=agency_admin, user=personas.astana_officer)
    refused = [
        (agency_admin, personas.shymkent_worker),  # another agency
        (agency_admin, personas.astana_auditor),  # a privileged colleague: administered nationally
        (agency_admin, agency_admin),  # oneself
        (personas.astana_inspector, personas.astana_officer),  # no administrator
        (personas.sysadmin, personas.sysadmin),
    ]
    for actor, user in refused:
        with pytest.raises(PermissionError):
            do_issue_enrolment_code(actor=actor, user=user)
    User.objects.filter(pk=personas.astana_inspector.pk).update(is_active=False)
    personas.astana_inspector.refresh_from_db()
    with pytest.raises(PermissionError):
        do_issue_enrolment_code(actor=personas.sysadmin, user=personas.astana_inspector)
    assert AuditEvent.objects.filter(action="auth.enrolment_code_issued").count() == 2


def test_an_administrator_issues_codes_from_the_user_list(
    client: Client, personas: Personas, agency_admin: User
) -> None:
    otp_login(client, agency_admin)
    targets = [personas.astana_officer.pk, personas.astana_auditor.pk]
    response = client.post(
        "/admin/core/user/", {"action": "issue_enrolment_code", "_selected_action": targets}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    [row] = response.context["issued"]
    assert row["user"] == personas.astana_officer
    assert row["clear"] in response.content.decode()
    assert response.context["refused"] == [personas.astana_auditor]
    assert not EnrolmentCode.objects.filter(user=personas.astana_auditor).exists()
    redeem(Client(), row["clear"])


def test_the_admin_action_reaches_only_the_agencys_users(
    client: Client, personas: Personas, agency_admin: User
) -> None:
    otp_login(client, agency_admin)
    client.post(
        "/admin/core/user/",
        {"action": "issue_enrolment_code", "_selected_action": [personas.shymkent_worker.pk]},
    )
    assert not EnrolmentCode.objects.exists()


def test_the_management_command_prints_a_working_code(personas: Personas, capsys) -> None:
    call_command("issue_enrolment_code", "aigerim")
    out = capsys.readouterr().out
    assert out.startswith("aigerim: ")
    clear = out.split()[1]
    event = AuditEvent.objects.get(action="auth.enrolment_code_issued")
    assert event.actor is None
    redeem(Client(), clear)


def test_the_management_command_refuses_unknown_and_inactive_users(personas: Personas) -> None:
    with pytest.raises(CommandError, match="nobody"):
        call_command("issue_enrolment_code", "nobody")
    User.objects.filter(username="aigerim").update(is_active=False)
    with pytest.raises(CommandError, match="not active"):
        call_command("issue_enrolment_code", "aigerim")
    assert not EnrolmentCode.objects.exists()
