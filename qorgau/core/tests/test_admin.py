"""The administration: administrators with a second factor only, scoped by agency, every change audited."""

from __future__ import annotations

from typing import Any, cast

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

from qorgau.core.admin import PRIVILEGED_ACTIONS, RoleForm, site
from qorgau.core.models import AuditEvent, Role, User
from qorgau.core.permissions import Scope
from qorgau.core.roles import actions
from qorgau.core.testing import Personas, UserFactory, otp_login, role
from qorgau.people.models import Consent, Family, Person


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


def admin_request(user: User | AnonymousUser, verified: bool) -> object:
    request = RequestFactory().get("/admin/")
    user.is_verified = lambda: verified  # type: ignore[union-attr]
    request.user = user
    return request


# --- who gets in --------------------------------------------------------------------------------


def test_system_administrator_with_second_factor_gets_in(client: Client, personas: Personas) -> None:
    assert otp_login(client, personas.sysadmin).get("/admin/").status_code == 200


def test_staff_without_core_admin_is_refused(client: Client, personas: Personas) -> None:
    staff = cast(
        User,
        UserFactory(agency=personas.astana_police, role=role("auditor"), scope=Scope.NATIONAL, is_staff=True),
    )
    response = otp_login(client, staff).get("/admin/", follow=True)
    assert response.status_code == 403


def test_superuser_without_core_admin_is_refused(personas: Personas) -> None:
    root = UserFactory(role=None, is_staff=True, is_superuser=True)
    assert not site.has_permission(admin_request(root, verified=True))  # type: ignore[arg-type]


def test_administrator_who_is_not_staff_is_refused(personas: Personas) -> None:
    admin_without_staff = UserFactory(role=role("system_admin"), scope=Scope.NATIONAL, is_staff=False)
    assert not site.has_permission(admin_request(admin_without_staff, verified=True))  # type: ignore[arg-type]


def test_unverified_session_is_refused(personas: Personas) -> None:
    assert site.has_permission(admin_request(personas.sysadmin, verified=True))  # type: ignore[arg-type]
    assert not site.has_permission(admin_request(personas.sysadmin, verified=False))  # type: ignore[arg-type]


def test_anonymous_is_sent_to_the_qorgau_login(client: Client) -> None:
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")


def test_personal_data_and_the_audit_log_are_not_registered() -> None:
    for model in (Person, Family, Consent, AuditEvent):
        assert not site.is_registered(model), model


# --- users: agency administrators see their own agency only --------------------------------------


def test_agency_administrator_lists_only_users_of_their_agency(
    client: Client, personas: Personas, agency_admin: User
) -> None:
    response = otp_login(client, agency_admin).get("/admin/core/user/")
    shown = {user.username for user in response.context["cl"].result_list}
    assert "aigerim" in shown
    assert "saule" not in shown
    assert "root_admin" not in shown


def test_agency_administrator_cannot_open_a_user_of_another_agency(
    client: Client, personas: Personas, agency_admin: User
) -> None:
    otp_login(client, agency_admin)
    response = client.get(f"/admin/core/user/{personas.shymkent_worker.pk}/change/")
    assert response.status_code == 302  # Django's admin sends unknown ids back to the list
    assert not AuditEvent.objects.filter(action__startswith="admin.user").exists()


def test_system_administrator_lists_every_user(client: Client, personas: Personas) -> None:
    response = otp_login(client, personas.sysadmin).get("/admin/core/user/")
    shown = {user.username for user in response.context["cl"].result_list}
    assert {"aigerim", "saule", "root_admin"} <= shown


def user_form_data(user: User, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "agency": user.agency_id or "",
        "role": user.role_id or "",
        "scope": user.scope,
        "is_active": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_agency_administrator_changes_a_colleague_and_it_is_audited(
    client: Client, personas: Personas, agency_admin: User
) -> None:
    officer = personas.astana_officer
    otp_login(client, agency_admin)
    response = client.post(
        f"/admin/core/user/{officer.pk}/change/",
        user_form_data(officer, first_name="Aigerim", role=role("case_worker").pk),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    officer.refresh_from_db()
    assert officer.role == role("case_worker")
    event = AuditEvent.objects.get(action="admin.user.change")
    assert event.actor == agency_admin
    assert event.changes["first_name"] == {"old": "Test", "new": "Aigerim"}
    assert event.changes["role"] == {"old": role("duty_officer").pk, "new": role("case_worker").pk}
    assert "password" not in event.changes


@pytest.mark.parametrize(
    ("field", "value"),
    [("scope", Scope.NATIONAL), ("role", "system_admin"), ("role", "auditor"), ("agency", "shymkent")],
)
def test_agency_administrator_cannot_grant_beyond_their_agency(
    client: Client, personas: Personas, agency_admin: User, field: str, value: str
) -> None:
    officer = personas.astana_officer
    if field == "role":
        value = role(value).pk  # type: ignore[assignment]
    if field == "agency":
        value = personas.shymkent_crisis.pk  # type: ignore[assignment]
    otp_login(client, agency_admin)
    response = client.post(
        f"/admin/core/user/{officer.pk}/change/", user_form_data(officer, **{field: value})
    )
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    officer.refresh_from_db()
    assert officer.scope == Scope.AGENCY
    assert officer.role == role("duty_officer")
    assert officer.agency == personas.astana_police


def test_agency_administrator_cannot_change_a_privileged_colleague(
    client: Client, personas: Personas, agency_admin: User
) -> None:
    # The Astana auditor works in the same agency; changing them (or their password) is national work.
    auditor = personas.astana_auditor
    otp_login(client, agency_admin)
    response = client.post(f"/admin/core/user/{auditor.pk}/change/", user_form_data(auditor, first_name="X"))
    assert response.status_code == 403
    assert client.get(f"/admin/core/user/{auditor.pk}/password/").status_code == 403


def test_agency_administrator_adds_users_to_their_own_agency(
    client: Client, personas: Personas, agency_admin: User
) -> None:
    otp_login(client, agency_admin)
    response = client.post(
        "/admin/core/user/add/",
        {
            "username": "new_officer",
            "usable_password": "true",
            "password1": "a long passphrase 42",
            "password2": "a long passphrase 42",
        },
    )
    assert response.status_code == 302
    created = User.objects.get(username="new_officer")
    assert created.agency == personas.astana_police
    assert created.scope == Scope.NONE
    assert AuditEvent.objects.filter(action="admin.user.add", object_id=str(created.pk)).exists()


def test_setting_a_password_is_audited(client: Client, personas: Personas, agency_admin: User) -> None:
    officer = personas.astana_officer
    otp_login(client, agency_admin)
    response = client.post(
        f"/admin/core/user/{officer.pk}/password/",
        {
            "usable_password": "true",
            "password1": "another long phrase 7",
            "password2": "another long phrase 7",
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="admin.user.password_set", object_id=str(officer.pk)).exists()


# --- roles and reference data ----------------------------------------------------------------------


def test_role_form_offers_the_action_catalogue_as_checkboxes(personas: Personas) -> None:
    form = RoleForm(instance=role("auditor"))
    field = cast(forms.MultipleChoiceField, form.fields["actions"])
    assert {value for value, _label in cast(list[tuple[str, str]], field.choices)} == set(actions())
    assert form.initial["actions"] == ["audit.view"]


def test_role_form_rejects_unknown_actions(personas: Personas) -> None:
    form = RoleForm(data={"slug": "x", "name": "X", "actions": ["people.view", "people.delete_everything"]})
    assert not form.is_valid()
    assert "actions" in form.errors


def test_system_administrator_edits_a_role_and_it_is_audited(client: Client, personas: Personas) -> None:
    auditor_role = role("auditor")
    otp_login(client, personas.sysadmin)
    response = client.post(
        f"/admin/core/role/{auditor_role.pk}/change/",
        {
            "slug": "auditor",
            "name": auditor_role.name,
            "description": "",
            "actions": ["audit.view", "people.view"],
        },
    )
    assert response.status_code == 302
    auditor_role.refresh_from_db()
    assert auditor_role.actions == ["audit.view", "people.view"]
    event = AuditEvent.objects.get(action="admin.role.change")
    assert event.changes["actions"] == {"old": ["audit.view"], "new": ["audit.view", "people.view"]}


def test_agency_administrator_only_reads_roles_and_regions(
    client: Client, personas: Personas, agency_admin: User
) -> None:
    otp_login(client, agency_admin)
    auditor_role = role("auditor")
    response = client.post(
        f"/admin/core/role/{auditor_role.pk}/change/",
        {"slug": "auditor", "name": "Auditor", "actions": sorted(PRIVILEGED_ACTIONS)},
    )
    assert response.status_code == 403
    assert Role.objects.get(pk=auditor_role.pk).actions == ["audit.view"]
    assert client.get("/admin/core/region/add/").status_code == 403
    assert client.get(f"/admin/core/region/{personas.astana.pk}/change/").status_code == 200  # read-only view


def test_agency_administrator_sees_only_their_own_agency(
    client: Client, personas: Personas, agency_admin: User
) -> None:
    response = otp_login(client, agency_admin).get("/admin/core/agency/")
    assert [a.pk for a in response.context["cl"].result_list] == [personas.astana_police.pk]


def test_an_administrator_with_a_regional_scope_administers_only_their_agency(
    client: Client, personas: Personas
) -> None:
    # Reading scope and administration differ: only a national administrator administers beyond an agency.
    regional_admin = cast(
        User,
        UserFactory(
            username="regional_admin",
            agency=personas.astana_police,
            role=role("agency_admin"),
            scope=Scope.REGIONS,
            regions=[personas.astana, personas.shymkent],
            is_staff=True,
        ),
    )
    otp_login(client, regional_admin)
    users = {u.username for u in client.get("/admin/core/user/").context["cl"].result_list}
    assert "aigerim" in users and "saule" not in users
    agencies = [a.pk for a in client.get("/admin/core/agency/").context["cl"].result_list]
    assert agencies == [personas.astana_police.pk]
