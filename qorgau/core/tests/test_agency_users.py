"""An agency administrator (the `agency_admin` fixture of core/tests/conftest.py) manages their own
agency's accounts on a page of the product (the admin site lets in staff only): within the agency,
without privileged roles or wider scopes, every change audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from qorgau.core.agency_users import do_create_agency_user, do_update_agency_user
from qorgau.core.models import AuditEvent, Role, User
from qorgau.core.permissions import Scope
from qorgau.core.testing import Personas, UserFactory, otp_login, role

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase-7"


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


def create(actor: User, **kw: Any) -> User:
    kw.setdefault("username", "new.officer")
    kw.setdefault("password", PASSWORD)
    kw.setdefault("first_name", "Aruzhan")
    kw.setdefault("last_name", "Sadykova")
    kw.setdefault("role", Role.objects.get(slug="duty_officer"))
    kw.setdefault("scope", Scope.AGENCY)
    return do_create_agency_user(actor=actor, **kw)


def test_a_new_account_joins_the_administrators_agency_and_is_audited(agency_admin: User) -> None:
    user = create(agency_admin)
    assert user.agency_id == agency_admin.agency_id
    assert not user.is_staff and not user.is_superuser
    assert user.check_password(PASSWORD)
    event = AuditEvent.objects.get(action="agency_user.add")
    assert event.actor == agency_admin and PASSWORD not in str(event.changes)


def test_privileged_roles_and_wide_scopes_are_refused_with_every_error(agency_admin: User) -> None:
    with pytest.raises(ValidationError) as exc:
        create(
            agency_admin,
            username="bad name!",
            password="123",
            role=Role.objects.get(slug="auditor"),
            scope=Scope.NATIONAL,
        )
    assert set(exc.value.message_dict) >= {"username", "password", "role", "scope"}
    assert not User.objects.filter(last_name="Sadykova").exists()


def test_a_taken_username_is_refused(agency_admin: User, personas: Personas) -> None:
    with pytest.raises(ValidationError) as exc:
        create(agency_admin, username=personas.astana_officer.username.upper())
    assert "taken" in exc.value.message_dict["username"][0]


def test_accounts_of_other_agencies_and_privileged_colleagues_are_not_changed(
    agency_admin: User, personas: Personas
) -> None:
    for other in (personas.shymkent_worker, personas.astana_auditor, agency_admin):
        with pytest.raises(PermissionDenied):
            do_update_agency_user(actor=agency_admin, user=other, scope=Scope.NONE)


def test_a_change_is_audited_with_old_and_new_values(agency_admin: User, personas: Personas) -> None:
    officer = personas.astana_officer
    do_update_agency_user(actor=agency_admin, user=officer, scope=Scope.OWN, is_active=False)
    officer.refresh_from_db()
    assert officer.scope == Scope.OWN and not officer.is_active
    event = AuditEvent.objects.get(action="agency_user.change")
    assert event.changes["scope"] == {"old": "agency", "new": "own"}


def test_only_agency_administrators_reach_the_page(client: Client, personas: Personas) -> None:
    otp_login(client, personas.astana_officer)
    assert client.get("/agency/users/").status_code == 403
    anonymous = Client()
    assert anonymous.get("/agency/users/").status_code == 302


def test_the_page_lists_the_agency_and_nothing_else(
    client: Client, agency_admin: User, personas: Personas
) -> None:
    otp_login(client, agency_admin)
    page = client.get("/agency/users/").content.decode()
    assert f'data-account="{personas.astana_officer.username}"' in page
    assert f'data-account="{personas.shymkent_worker.username}"' not in page
    # Another agency's account answers 404, like a record out of scope; a privileged colleague too.
    assert client.get(f"/agency/users/{personas.shymkent_worker.pk}/").status_code == 404
    colleague = UserFactory.create(username="auditor2", agency=personas.astana_police, role=role("auditor"))
    assert 'data-account="auditor2"' in client.get("/agency/users/").content.decode()  # listed, read only
    assert client.get(f"/agency/users/{colleague.pk}/").status_code == 404
    assert client.post(f"/agency/users/{personas.shymkent_worker.pk}/enrolment-code/").status_code == 404


def test_creating_an_account_shows_its_enrolment_code_once(client: Client, agency_admin: User) -> None:
    otp_login(client, agency_admin)
    form = client.get("/agency/users/new/").content.decode()
    assert (
        "auditor" not in form.lower().split("<select", 1)[-1].split("</select>", 1)[0]
    )  # no privileged role
    response = client.post(
        "/agency/users/new/",
        {
            "username": "new.officer",
            "first_name": "Aruzhan",
            "last_name": "Sadykova",
            "email": "",
            "role": Role.objects.get(slug="duty_officer").pk,
            "scope": Scope.AGENCY,
            "password": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert "data-enrolment-code" in response.content.decode()
    user = User.objects.get(username="new.officer")
    assert AuditEvent.objects.filter(action="auth.enrolment_code_issued", object_id=str(user.pk)).exists()


def test_a_bad_form_keeps_what_was_typed_and_says_what_is_wrong(client: Client, agency_admin: User) -> None:
    otp_login(client, agency_admin)
    response = client.post(
        "/agency/users/new/",
        {
            "username": "kept.name",
            "first_name": "Kept",
            "last_name": "",
            "scope": Scope.AGENCY,
            "password": "1",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="kept.name"' in page and 'value="Kept"' in page
    assert not User.objects.filter(username="kept.name").exists()


def test_changing_an_account_on_the_page(client: Client, agency_admin: User, personas: Personas) -> None:
    officer = personas.astana_officer
    otp_login(client, agency_admin)
    assert client.get(f"/agency/users/{officer.pk}/").status_code == 200
    response = client.post(
        f"/agency/users/{officer.pk}/",
        {
            "first_name": officer.first_name or "A",
            "last_name": officer.last_name or "B",
            "email": "",
            "role": officer.role_id,
            "scope": Scope.OWN,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.scope == Scope.OWN
