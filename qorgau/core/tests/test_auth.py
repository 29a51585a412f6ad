"""Sign-in with a second factor, lockout, backup codes, idle timeout and the audit of all of it."""

from __future__ import annotations

import importlib
from datetime import timedelta
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from qorgau.core.auth.backup_codes import issue_backup_codes
from qorgau.core.models import AuditEvent, User
from qorgau.core.testing import Personas, otp_login

from .signin import (
    LOGIN,
    LOGOUT,
    PASSWORD,
    PROTECTED,
    VERIFY,
    actions,
    current_totp,
    is_verified,
    sign_in,
    signed_in_user_id,
)

# --- step 1: the password ------------------------------------------------------------------------------


def test_it_shows_an_accessible_login_form(client: Client, db: None) -> None:
    response = client.get(reverse("core:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html
    assert '<label for="id_username"' in html


def test_a_wrong_password_shows_an_error_summary(client: Client, personas: Personas) -> None:
    response = sign_in(client, "aigerim", "wrong password")
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert signed_in_user_id(client) is None


def test_password_alone_does_not_reach_staff_pages(client: Client, personas: Personas) -> None:
    issue_backup_codes(personas.sysadmin)
    response = sign_in(client, "root_admin")
    assert response.status_code == 302
    assert response["Location"] == VERIFY
    assert signed_in_user_id(client) == str(personas.sysadmin.pk)
    assert not is_verified(client)

    response = client.get(PROTECTED)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


def test_the_middleware_remembers_the_page_asked_for(client: Client, personas: Personas) -> None:
    issue_backup_codes(personas.sysadmin)
    sign_in(client, "root_admin")
    response = client.get("/admin/core/user/?q=x")
    assert response["Location"] == VERIFY + "?next=%2Fadmin%2Fcore%2Fuser%2F%3Fq%3Dx"


def test_login_keeps_a_safe_next_and_drops_an_offsite_one(client: Client, personas: Personas) -> None:
    response = sign_in(client, "aigerim", next="/people/")
    assert response["Location"] == VERIFY + "?next=%2Fpeople%2F"

    other = Client()
    response = sign_in(other, "aigerim", next="https://evil.example/phish")
    assert response["Location"] == VERIFY
    response = other.get(VERIFY + "?next=//evil.example/")
    assert "evil" not in response.get("Location", "")


def test_successful_and_failed_logins_are_audited_without_the_password(
    client: Client, personas: Personas
) -> None:
    sign_in(client, "aigerim", "not-the-password-123")
    sign_in(client, "aigerim")
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.actor is None
    assert failed.actor_username == "aigerim"
    assert AuditEvent.objects.get(action="auth.login").actor == personas.astana_officer
    for event in AuditEvent.objects.all():
        assert "not-the-password-123" not in str(event.changes)
        assert PASSWORD not in str(event.changes)


# --- lockout -------------------------------------------------------------------------------------------


def test_it_locks_out_after_five_failures(client: Client, personas: Personas) -> None:
    for attempt in range(1, 6):
        response = sign_in(client, "aigerim", f"wrong-{attempt}")
    # The fifth failure already answers with the lockout page.
    assert response.status_code == 429
    assert "core/locked_out.html" in [t.name for t in response.templates]

    response = sign_in(client, "aigerim")  # the right password, sixth attempt
    assert response.status_code == 429
    assert signed_in_user_id(client) is None
    assert "auth.login" not in actions()
    assert actions(action="auth.login_failed", actor_username="aigerim") == ["auth.login_failed"] * 6
    assert "auth.locked_out" in actions(actor_username="aigerim")


def test_the_lockout_is_per_account(client: Client, personas: Personas) -> None:
    for attempt in range(5):
        sign_in(client, "aigerim", f"wrong-{attempt}")
    response = sign_in(client, "daniyar")
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(personas.astana_inspector.pk)


def test_the_locked_out_page_gives_nothing_away(personas: Personas) -> None:
    client = Client(headers={"accept-language": "en"})
    for attempt in range(5):
        response = sign_in(client, "aigerim", f"wrong-{attempt}")
    html = response.content.decode()
    assert "contact your agency's Qorgau administrator" in html.replace("&#x27;", "'")
    assert "aigerim" not in html
    assert "hour" not in html  # nor how long the lock lasts


def test_four_failures_do_not_lock(client: Client, personas: Personas) -> None:
    for attempt in range(4):
        sign_in(client, "aigerim", f"wrong-{attempt}")
    response = sign_in(client, "aigerim")
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(personas.astana_officer.pk)


# --- step 2: the second factor ------------------------------------------------------------------------


def test_a_backup_code_verifies_the_session(client: Client, personas: Personas) -> None:
    codes = issue_backup_codes(personas.sysadmin)
    sign_in(client, "root_admin")
    response = client.post(VERIFY, {"code": codes[0]})
    assert response.status_code == 302
    assert response["Location"] == resolve_url(django_settings.LOGIN_REDIRECT_URL)
    assert is_verified(client)
    assert client.get(PROTECTED).status_code == 200
    assert actions(actor=personas.sysadmin)[-1] == "auth.otp_verified"


def test_a_backup_code_works_only_once(client: Client, personas: Personas, no_throttle: None) -> None:
    codes = issue_backup_codes(personas.sysadmin)
    sign_in(client, "root_admin")
    client.post(VERIFY, {"code": codes[0]})
    client.post(LOGOUT)

    sign_in(client, "root_admin")
    response = client.post(VERIFY, {"code": codes[0]})
    assert response.status_code == 200
    assert not is_verified(client)


def test_verify_honours_a_safe_next(client: Client, personas: Personas) -> None:
    codes = issue_backup_codes(personas.astana_officer)
    sign_in(client, "aigerim")
    response = client.post(VERIFY + "?next=/people/", {"code": codes[1]})
    assert response["Location"] == "/people/"


def test_verify_ignores_an_offsite_next(client: Client, personas: Personas) -> None:
    codes = issue_backup_codes(personas.astana_officer)
    sign_in(client, "aigerim")
    response = client.post(VERIFY, {"code": codes[1], "next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil" not in response["Location"]
    assert is_verified(client)


def test_codes_are_accepted_with_spaces_and_capitals(client: Client, personas: Personas) -> None:
    codes = issue_backup_codes(personas.astana_officer)
    sign_in(client, "aigerim")
    messy = " " + codes[2][:4].upper() + " " + codes[2][4:] + " "
    client.post(VERIFY + "?next=/people/", {"code": messy})
    assert is_verified(client)


def test_a_totp_code_verifies_the_session(client: Client, personas: Personas) -> None:
    device = TOTPDevice.objects.create(user=personas.astana_officer, name="authenticator", confirmed=True)
    sign_in(client, "aigerim")
    response = client.post(VERIFY + "?next=/people/", {"code": current_totp(device)})
    assert response["Location"] == "/people/"
    assert is_verified(client)


def test_a_wrong_code_is_refused_and_audited(client: Client, personas: Personas) -> None:
    issue_backup_codes(personas.astana_officer)
    sign_in(client, "aigerim")
    response = client.post(VERIFY, {"code": "000000"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'autocomplete="one-time-code"' in html
    assert response.context["attempts_left"] == 4
    assert not is_verified(client)
    assert client.get(PROTECTED)["Location"].startswith(VERIFY)
    assert actions(action="auth.otp_failed", actor=personas.astana_officer) == ["auth.otp_failed"]
    assert "000000" not in str(AuditEvent.objects.get(action="auth.otp_failed").changes)


def test_five_wrong_codes_sign_out_and_lock_the_account(
    client: Client, personas: Personas, no_throttle: None
) -> None:
    codes = issue_backup_codes(personas.astana_officer)
    sign_in(client, "aigerim")
    for attempt in range(5):
        response = client.post(VERIFY, {"code": f"99999{attempt}"})
    assert response.status_code == 429
    assert signed_in_user_id(client) is None
    audited = actions(actor_username="aigerim")
    assert audited.count("auth.otp_failed") == 5
    assert "auth.locked_out" in audited
    assert audited[-1] == "auth.logout"

    # Signing in again with the password is refused while the lock lasts, so a stolen password cannot
    # buy another round of guesses.
    response = sign_in(client, "aigerim")
    assert response.status_code == 429
    assert signed_in_user_id(client) is None
    # Not even with a valid backup code in hand.
    assert client.post(VERIFY, {"code": codes[0]})["Location"].startswith(LOGIN)


def test_four_wrong_codes_then_a_right_one_succeeds(
    client: Client, personas: Personas, no_throttle: None
) -> None:
    codes = issue_backup_codes(personas.astana_officer)
    sign_in(client, "aigerim")
    for attempt in range(4):
        client.post(VERIFY, {"code": f"99999{attempt}"})
    response = client.post(VERIFY + "?next=/people/", {"code": codes[0]})
    assert response["Location"] == "/people/"
    assert is_verified(client)


def test_verify_needs_a_password_first(client: Client, db: None) -> None:
    response = client.get(VERIFY)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


# --- second-factor failures count per account, across sessions ------------------------------------------


def wrong_code_after_a_fresh_login(code: str = "999990") -> Client:
    client = Client()
    assert sign_in(client, "aigerim").status_code == 302
    client.post(VERIFY, {"code": code})
    return client


def test_wrong_codes_across_fresh_logins_lock_the_account(personas: Personas, no_throttle: None) -> None:
    # Before: each password login reset the count, so one wrong code per fresh login never locked.
    codes = issue_backup_codes(personas.astana_officer)
    for attempt in range(4):
        client = wrong_code_after_a_fresh_login(f"99999{attempt}")
        assert signed_in_user_id(client) is not None  # not locked yet
    client = Client()
    sign_in(client, "aigerim")
    response = client.post(VERIFY, {"code": "999994"})
    assert response.status_code == 429
    assert signed_in_user_id(client) is None
    assert actions(action="auth.otp_failed", actor=personas.astana_officer) == ["auth.otp_failed"] * 5
    assert "auth.locked_out" in actions(actor_username="aigerim")

    # The locked account cannot sign in, not with the right password and a valid backup code either.
    client = Client()
    assert sign_in(client, "aigerim").status_code == 429
    assert signed_in_user_id(client) is None
    assert client.post(VERIFY, {"code": codes[0]})["Location"].startswith(LOGIN)
    assert not is_verified(client)


def test_the_attempts_left_count_the_accounts_earlier_failures(
    client: Client, personas: Personas, no_throttle: None
) -> None:
    issue_backup_codes(personas.astana_officer)
    wrong_code_after_a_fresh_login()
    sign_in(client, "aigerim", "wrong password")
    sign_in(client, "aigerim")
    response = client.post(VERIFY, {"code": "999991"})
    assert response.context["attempts_left"] == 2
    assert AuditEvent.objects.filter(action="auth.otp_failed").latest("id").changes == {
        "step": "verify",
        "failures": 3,
    }


def test_a_verified_second_factor_resets_the_count(personas: Personas, no_throttle: None) -> None:
    codes = issue_backup_codes(personas.astana_officer)
    for attempt in range(4):
        wrong_code_after_a_fresh_login(f"99999{attempt}")
    client = Client()
    sign_in(client, "aigerim")
    client.post(VERIFY, {"code": codes[0]})
    assert is_verified(client)
    assert not AccessAttempt.objects.filter(username="aigerim").exists()

    for attempt in range(4):  # four more do not lock: the count started again
        client = wrong_code_after_a_fresh_login(f"99998{attempt}")
    assert signed_in_user_id(client) is not None
    assert "auth.locked_out" not in actions()


def test_a_right_password_alone_does_not_reset_the_count(client: Client, personas: Personas) -> None:
    for attempt in range(4):
        sign_in(client, "aigerim", f"wrong-{attempt}")
    sign_in(client, "aigerim")
    assert AccessAttempt.objects.get(username="aigerim").failures_since_start == 4


# --- django-otp's back-off after a wrong code -----------------------------------------------------------


def test_a_code_during_the_back_off_says_wait_and_is_not_counted(
    personas: Personas, long_throttle: None
) -> None:
    codes = issue_backup_codes(personas.astana_officer)
    client = Client(headers={"accept-language": "en"})
    sign_in(client, "aigerim")
    client.post(VERIFY, {"code": "999990"})
    response = client.post(VERIFY, {"code": codes[0]})  # the right code, too soon
    assert response.status_code == 200
    assert not is_verified(client)
    [error] = response.context["form"].errors["code"]
    assert "wait 60 seconds" in error or "wait 59 seconds" in error
    assert "not valid" not in response.content.decode()
    assert "attempts_left" not in response.context
    # Not a failure: one wrong code counted, once; and the backup code was not used up.
    assert actions(action="auth.otp_failed") == ["auth.otp_failed"]
    assert AccessAttempt.objects.get(username="aigerim").failures_since_start == 1
    assert StaticDevice.objects.get(user=personas.astana_officer).token_set.filter(token=codes[0]).exists()


def test_the_wait_is_translated(personas: Personas, long_throttle: None) -> None:
    issue_backup_codes(personas.astana_officer)
    client = Client(headers={"accept-language": "ru"})
    sign_in(client, "aigerim")
    client.post(VERIFY, {"code": "999990"})
    [error] = client.post(VERIFY, {"code": "999991"}).context["form"].errors["code"]
    assert "подождите" in error


def test_after_the_back_off_the_right_code_works(personas: Personas, long_throttle: None) -> None:
    codes = issue_backup_codes(personas.astana_officer)
    client = Client()
    sign_in(client, "aigerim")
    client.post(VERIFY, {"code": "999990"})
    later = timezone.now() + timedelta(seconds=61)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = client.post(VERIFY, {"code": codes[0]})
    assert response.status_code == 302
    assert is_verified(client)


# --- the session key changes when the second factor is verified -----------------------------------------


def test_verifying_the_second_factor_cycles_the_session_key(client: Client, personas: Personas) -> None:
    codes = issue_backup_codes(personas.astana_officer)
    sign_in(client, "aigerim")
    before = client.session.session_key
    client.post(VERIFY, {"code": codes[0]})
    after = client.session.session_key
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()  # the old key opens nothing
    assert is_verified(client)
    assert signed_in_user_id(client) == str(personas.astana_officer.pk)
    assert client.get("/").status_code == 200  # the login is kept, verified


# --- logout and session --------------------------------------------------------------------------------


def test_logout_is_post_only_and_audited(client: Client, personas: Personas) -> None:
    otp_login(client, personas.astana_officer)
    assert client.get(LOGOUT).status_code == 405
    assert signed_in_user_id(client) is not None

    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:login")
    assert signed_in_user_id(client) is None
    assert actions(actor=personas.astana_officer)[-1] == "auth.logout"


def test_the_session_expires_after_thirty_idle_minutes(client: Client, personas: Personas) -> None:
    assert django_settings.SESSION_COOKIE_AGE == 30 * 60
    otp_login(client, personas.sysadmin)
    start = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=29)):
        assert client.get(PROTECTED).status_code == 200  # activity renews the session
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=29 + 29)):
        assert client.get(PROTECTED).status_code == 200
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=29 + 29 + 31)):
        response = client.get(PROTECTED)
    assert response.status_code == 302
    assert not response["Location"].startswith(VERIFY)
    assert signed_in_user_id(client) is None


# --- passwords, headers ----------------------------------------------------------------------------------


def test_passwords_are_hashed_with_argon2_in_the_real_settings() -> None:
    # conftest swaps in MD5 for speed; the settings module itself must name Argon2 first.
    real = importlib.import_module("qorgau.settings")
    assert real.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    encoded = Argon2PasswordHasher().encode("s3cret-passphrase", "saltsaltsalt")  # argon2-cffi installed
    assert encoded.startswith("argon2$")


def test_pages_carry_a_content_security_policy(client: Client, db: None) -> None:
    response = client.get(LOGIN)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self' 'nonce-" in policy
    assert "img-src 'self' data:" in policy
    assert "frame-ancestors 'none'" in policy


# --- backup codes and the demo command -------------------------------------------------------------------


def test_issuing_backup_codes_replaces_the_old_ones(personas: Personas) -> None:
    user = personas.shymkent_worker
    first = issue_backup_codes(user)
    second = issue_backup_codes(user, count=3)
    device = StaticDevice.objects.get(user=user, name="backup")
    assert device.confirmed
    assert len(first) == 5
    assert sorted(device.token_set.values_list("token", flat=True)) == sorted(second)
    assert not set(first) & set(second)
    issued = AuditEvent.objects.filter(action="auth.backup_codes_issued", object_id=str(user.pk))
    assert issued.count() == 2
    assert not any(code in str(e.changes) for e in issued for code in first + second)


def test_demo_backup_codes_refuses_outside_demo_mode(settings, personas: Personas) -> None:
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("demo_backup_codes", "aigerim")
    assert not StaticDevice.objects.filter(user=personas.astana_officer).exists()


def test_demo_backup_codes_prints_working_codes(settings, personas: Personas, capsys) -> None:
    settings.DEMO_MODE = True
    call_command("demo_backup_codes", "aigerim", "saule")
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["aigerim", "saule"]
    code = lines[0].split(":")[1].split()[0]

    client = Client()
    sign_in(client, "aigerim")
    client.post(VERIFY + "?next=/people/", {"code": code})
    assert is_verified(client)


def test_demo_backup_codes_covers_every_active_user_by_default(settings, personas: Personas, capsys) -> None:
    settings.DEMO_MODE = True
    User.objects.filter(username="outsider").update(is_active=False)
    call_command("demo_backup_codes")
    printed = {line.split(":")[0] for line in capsys.readouterr().out.splitlines()}
    assert "aigerim" in printed
    assert "outsider" not in printed


def test_demo_backup_codes_rejects_unknown_users(settings, personas: Personas) -> None:
    settings.DEMO_MODE = True
    with pytest.raises(CommandError, match="nobody"):
        call_command("demo_backup_codes", "nobody")
